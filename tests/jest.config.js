module.exports = require('../scripts/jest/node-project')('tests', {
  setupFilesAfterEnv: ['<rootDir>/support/setup.ts'],
});
