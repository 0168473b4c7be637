// docker/ is not an Nx project, but its generated files and template are checked like code.
module.exports = { ...require('../jest.preset.js'), displayName: 'docker', rootDir: __dirname, testMatch: ['<rootDir>/ecs/**/*.test.ts'] };
