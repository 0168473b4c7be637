module.exports = { ...require('../../../jest.preset.js'), displayName: '@relabel/platform', rootDir: __dirname };
