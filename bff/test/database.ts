// Each test file gets its own database on the run's server, dropped after.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../src/platform/database';

export function testDatabaseUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri)
    throw new Error('MONGODB_URI is not set: run tests through `npm test` (jest global setup starts the database)');
  return uri;
}

export function uniqueDatabaseName(label = expect.getState().testPath ?? 'test'): string {
  const base = path
    .basename(label)
    .replace(/\.test\.tsx?$/, '')
    .replace(/[^A-Za-z0-9]/g, '_');
  return `t_${base.slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Connects in beforeAll and drops the database in afterAll.
 * `const db = useTestDatabase();` then `db.connection` inside tests.
 */
export function useTestDatabase(): { readonly connection: Connection; readonly name: string } {
  const state: { connection?: Connection; name: string } = { name: uniqueDatabaseName() };
  beforeAll(async () => {
    state.connection = await connectDatabase(testDatabaseUri(), state.name);
  });
  afterAll(async () => {
    if (!state.connection) return;
    await state.connection.dropDatabase();
    await state.connection.close();
  });
  return {
    get connection() {
      if (!state.connection) throw new Error('the test database is not connected yet (use it inside a test)');
      return state.connection;
    },
    get name() {
      return state.name;
    },
  };
}
