// One jest run over every package. The database is started once for the run
// (scripts/jest/global-setup.ts) unless MONGODB_URI names one already.
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/bff', '<rootDir>/miniapp', '<rootDir>/tests'],
  globalSetup: '<rootDir>/scripts/jest/global-setup.ts',
  globalTeardown: '<rootDir>/scripts/jest/global-teardown.ts',
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
};
