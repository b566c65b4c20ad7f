module.exports = require('../scripts/jest/node-project')('bff');
