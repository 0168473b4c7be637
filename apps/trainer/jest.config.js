module.exports = { ...require('../../jest.preset.js'), displayName: '@relabel/trainer', rootDir: __dirname };
