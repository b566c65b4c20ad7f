import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GatewayClient } from '@flexins/shared/server';
import mongoose from 'mongoose';
import { uniqueDatabaseName } from '../../../test/database';
import { person } from './support';

const ROOT = path.resolve(__dirname, '../../../..');
const ENTRY = path.join(ROOT, 'bff/simulators/hrss/server.ts');

function start(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [require.resolve('tsx/cli'), ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the URL from the `listening` log line; rejects if the process ends first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'listening' && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the HRSS simulator process (server.ts)', () => {
  const uri = () => {
    if (!process.env.MONGODB_URI) throw new Error('MONGODB_URI is not set: run tests through `npm test`');
    return process.env.MONGODB_URI;
  };
  const dbName = uniqueDatabaseName('sim_hrss_process');

  afterAll(async () => {
    const connection = await mongoose.createConnection(uri(), { dbName }).asPromise();
    await connection.dropDatabase();
    await connection.close();
  });

  it('starts, serves its OpenAPI document and signed calls, and exits 0 on SIGTERM', async () => {
    const child = start({
      MONGODB_URI: uri(),
      SIM_DB_NAME: dbName,
      SIM_PORT: '0',
      SIM_CALLERS: 'bff:x',
      SIM_ADMIN_TOKEN: 't',
      SIM_LATENCY_MS: '0',
      SIM_JITTER_MS: '0',
    });
    try {
      const url = await listeningUrl(child);

      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { info: { title: string }; paths: object };
      expect(doc.info.title).toBe('宁夏人社一体化系统（模拟）');
      expect(Object.keys(doc.paths)).toContain('/hrss/v1/card-applications');

      const client = new GatewayClient({ baseUrl: url, callerId: 'bff', secret: 'x' });
      const query = await client.post('/hrss/v1/enrollment-queries', {
        idNumber: person('employee-pension-other-province').idNumber,
      });
      expect(query).toMatchObject({ kind: 'ok', body: { enrollments: [{ provinceName: '广东省' }, {}] } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  }, 30_000);

  it('refuses to start with a malformed step option, naming the variable', async () => {
    const child = start({
      MONGODB_URI: uri(),
      SIM_DB_NAME: dbName,
      SIM_PORT: '0',
      SIM_CALLERS: 'bff:x',
      SIM_ADMIN_TOKEN: 't',
      SIM_OPT_CARD_STEP_MS: 'soon',
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(1);
    expect(stderr).toContain('SIM_OPT_CARD_STEP_MS 必须是不小于 0 的整数');
  }, 30_000);
});
