module.exports = { ...require('../../../jest.preset.js'), displayName: '@relabel/aws-adapters', rootDir: __dirname };
