// Lint holds the architecture: Nx tags say which project may import which, and `@aws-sdk/*` may only
// be imported by the AWS adapter project. Apps see contracts, ports and platform — never an adapter.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**', '.nx/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', '**/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@aws-sdk/*', 'fastify', 'bullmq', 'ioredis'] },
            { sourceTag: 'type:ports', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['@aws-sdk/*', 'fastify', 'bullmq'] },
            { sourceTag: 'type:adapter-local', onlyDependOnLibsWithTags: ['type:contracts', 'type:ports'], bannedExternalImports: ['@aws-sdk/*', 'fastify'] },
            { sourceTag: 'type:adapter-aws', onlyDependOnLibsWithTags: ['type:contracts', 'type:ports'], bannedExternalImports: ['fastify'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:ports', 'type:adapter-local', 'type:adapter-aws'], bannedExternalImports: ['@aws-sdk/*'] },
            // Apps reach queues only through the platform (typed producers, handlers, `delayJob`), never BullMQ itself.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:ports', 'type:platform'], bannedExternalImports: ['@aws-sdk/*', 'onnxruntime-node', 'nsfwjs', 'bullmq'] },
          ],
        },
      ],
    },
  },
  {
    // e2e/src/testing holds the end-to-end tests' shared helpers: test code, like the tests.
    files: ['**/*.test.ts', 'scripts/**/*.ts', 'e2e/src/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
