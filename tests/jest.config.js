module.exports = require('../scripts/jest/node-project')('tests', { testTimeout: 120_000 });
