module.exports = { ...require('../../../jest.preset.js'), displayName: '@relabel/contracts', rootDir: __dirname };
