module.exports = { ...require('../../jest.preset.js'), displayName: '@relabel/detector', rootDir: __dirname };
