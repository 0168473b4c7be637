// Shared jest settings: SWC transpiles (type checking is `npm run typecheck`'s job, keeping tests fast
// on 2 cores) and the tsconfig path aliases map to sources, exactly as at run time under tsx.
const path = require('path');
const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // ESM-only dependencies (content-disposition via @fastify/static, cookie via light-my-request, the
    // fauxqs emulator of the wire tests) load natively under Node's require(esm) but not in jest's
    // module runtime: transpile just those.
    '/node_modules/(content-disposition|cookie|fauxqs)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie|fauxqs)/)'],
  moduleNameMapper: {
    // fauxqs exports only an `import` condition, which jest's require-based resolver does not match
    '^fauxqs$': path.join(root, 'node_modules/fauxqs/dist/app.js'),
    '^@relabel/contracts$': path.join(root, 'libs/shared/contracts/src/index.ts'),
    '^@relabel/ports$': path.join(root, 'libs/shared/ports/src/index.ts'),
    '^@relabel/ports/testing$': path.join(root, 'libs/shared/ports/src/testing/index.ts'),
    '^@relabel/platform$': path.join(root, 'libs/shared/platform/src/index.ts'),
    '^@relabel/platform/testing$': path.join(root, 'libs/shared/platform/src/testing/index.ts'),
    '^@relabel/local-adapters$': path.join(root, 'libs/shared/local/src/index.ts'),
    '^@relabel/aws-adapters$': path.join(root, 'libs/shared/aws/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
};
