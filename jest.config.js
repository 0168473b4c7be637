// `npm test` runs every project's tests in one jest process (cheaper on 2 cores than one per project).
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.js', '<rootDir>/libs/shared/*/jest.config.js'],
  maxWorkers: 2,
};
