import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { uniqueDatabaseName } from '../../../test/database';

const ROOT = path.resolve(__dirname, '../../../..');

describe('the tax simulator process', () => {
  const dbName = uniqueDatabaseName('sim_tax_process');

  afterAll(async () => {
    const db = mongoose.createConnection(process.env.MONGODB_URI!, { dbName });
    await db.asPromise();
    await db.dropDatabase();
    await db.close();
  });

  it('starts from server.ts, serves its OpenAPI document, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), path.join(ROOT, 'bff/simulators/tax/server.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          MONGODB_URI: process.env.MONGODB_URI!,
          SIM_DB_NAME: dbName,
          SIM_PORT: '0',
          SIM_CALLERS: 'bff:x',
          SIM_ADMIN_TOKEN: 't',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'listening' && record.url) resolve(record.url);
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });

    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { info: { title: string }; paths: object };
    expect(doc.info.title).toContain('税务局');
    expect(Object.keys(doc.paths)).toEqual([
      '/tax/v1/insurance-registrations',
      '/tax/v1/declarations',
      '/tax/v1/declaration-queries',
      '/tax/v1/payments',
    ]);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
