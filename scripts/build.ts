// `npm run build`: shared, the BFF, its worker and the simulators compiled to
// JavaScript in build/ (see scripts/lib/build.ts). Run them with plain node,
// e.g. `NODE_ENV=production node build/bff/src/server.js`.
import { buildServer } from './lib/build';

try {
  buildServer();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
