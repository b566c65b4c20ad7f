// The jest settings every Node-side project shares (shared, bff, tests).
'use strict';
module.exports = function nodeProject(displayName, overrides = {}) {
  return {
    displayName,
    testEnvironment: 'node',
    transform: { '^.+\\.tsx?$': ['@swc/jest'] },
    testMatch: ['**/__tests__/**/*.test.ts', '**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
    ...overrides,
  };
};
