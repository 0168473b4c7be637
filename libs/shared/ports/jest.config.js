module.exports = { ...require('../../../jest.preset.js'), displayName: '@relabel/ports', rootDir: __dirname };
