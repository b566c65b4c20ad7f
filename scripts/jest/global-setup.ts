// Starts the run's own FerretDB in a fresh temporary directory, unless
// MONGODB_URI names a server to use instead. Workers inherit the variable.
// FLEXINS_DB=postgres puts FerretDB on a PostgreSQL cluster made for the run
// in that directory (not durable: fsync off), thrown away with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDbBuilt, startFerretDb, waitForPing } from '../lib/ferretdb';

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    await waitForPing(process.env.MONGODB_URI, 10_000);
    return;
  }
  ensureFerretDbBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexins-test-db-'));
  const database = await startFerretDb({ dataDir, durable: false });
  process.env.MONGODB_URI = database.uri;
  (globalThis as Record<string, unknown>).__FLEXINS_TEST_DB__ = { database, dataDir };
}
