// `npm test` runs every project's tests in one jest process (cheaper on 2 cores than one per project).
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.js', '<rootDir>/libs/shared/*/jest.config.js', '<rootDir>/e2e/jest.config.js', '<rootDir>/docker/jest.config.js'],
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
};
