// Where things live on disk. Plain CommonJS with Node built-ins only, because
// scripts/bootstrap.js reads it before any dependency is installed.
'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// Both can be moved (tests run `npm start` against throw-away folders).
const CACHE_DIR = process.env.FLEXINS_CACHE_DIR || path.join(ROOT, '.cache');
const DATA_DIR = process.env.FLEXINS_DATA_DIR || path.join(ROOT, '.data');

module.exports = {
  ROOT,
  CACHE_DIR,
  /** Kept between `npm start` runs; ignored by git. */
  DATA_DIR,
  FERRETDB_SOURCE_DIR: path.join(ROOT, 'scripts', 'ferretdb'),
  FERRETDB_BIN: path.join(CACHE_DIR, 'ferretdb', 'ferretdb-embedded'),
  H5_DIST_DIR: path.join(ROOT, 'miniapp', 'dist', 'h5'),
  WEAPP_DIST_DIR: path.join(ROOT, 'miniapp', 'dist', 'weapp'),
  /** `npm run build`: shared, the BFF, its worker and the simulators as JavaScript (tsconfig.build.json). */
  BUILD_DIR: path.join(ROOT, 'build'),
  /** Debian's Chromium, driven by playwright-core in the browser journeys. */
  CHROMIUM_BIN: '/usr/bin/chromium',
  /** Screenshots and other things tests leave for people to look at. */
  ARTIFACTS_DIR: path.join(ROOT, 'artifacts'),
};
