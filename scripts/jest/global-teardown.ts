import fs from 'node:fs';
import type { RunningDatabase } from '../lib/ferretdb';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__FLEXINS_TEST_DB__ as
    { database: RunningDatabase; dataDir: string } | undefined;
  if (!started) return;
  await started.database.stop();
  fs.rmSync(started.dataDir, { recursive: true, force: true });
}
