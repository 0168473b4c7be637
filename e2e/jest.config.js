module.exports = { ...require('../jest.preset.js'), displayName: '@relabel/e2e', rootDir: __dirname };
