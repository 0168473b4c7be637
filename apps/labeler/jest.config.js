module.exports = { ...require('../../jest.preset.js'), displayName: '@relabel/labeler', rootDir: __dirname };
