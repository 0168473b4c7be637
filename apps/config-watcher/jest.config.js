module.exports = { ...require('../../jest.preset.js'), displayName: '@relabel/config-watcher', rootDir: __dirname };
