const preset = require('../../jest.preset.js');

// `cookie` 2 (light-my-request → app.inject) is ESM-only like content-disposition: transpile it too.
const esmOnly = '/node_modules/(content-disposition|cookie)/.+\\.js$';
module.exports = {
  ...preset,
  displayName: '@relabel/trainer',
  rootDir: __dirname,
  transform: { ...preset.transform, [esmOnly]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
};
