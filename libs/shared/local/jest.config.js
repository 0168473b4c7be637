module.exports = { ...require('../../../jest.preset.js'), displayName: '@relabel/local-adapters', rootDir: __dirname };
