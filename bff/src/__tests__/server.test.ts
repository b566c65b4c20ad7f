import { spawn } from 'node:child_process';
import path from 'node:path';
import Router from '@koa/router';
import { startServer } from '../server';
import { testConfig } from '../../test/config';
import { connectDatabase } from '../platform/database';
import { createLogger } from '@flexins/shared/server';
import { testDatabaseUri, useTestDatabase } from '../../test/database';

const db = useTestDatabase();
const ROOT = path.resolve(__dirname, '../../..');

function runServerProcess(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bff/src/server.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('the BFF process', () => {
  it('refuses to start without MONGODB_URI, naming the setting', async () => {
    const { code, stderr } = await runServerProcess({});
    expect(code).toBe(1);
    expect(stderr).toContain('MONGODB_URI 未设置');
  });

  it('refuses to start with a malformed PORT, naming the setting', async () => {
    const { code, stderr } = await runServerProcess({ MONGODB_URI: testDatabaseUri(), PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT 必须是');
  });

  it('on shutdown finishes the in-flight request, refuses new ones and closes the database', async () => {
    const connection = await connectDatabase(testDatabaseUri(), db.name);
    const config = testConfig({
      MONGODB_URI: testDatabaseUri(),
      PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
      WORKER_MODE: 'off',
    });
    let arrived!: () => void;
    let release!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const running = await startServer(
      config,
      createLogger('error', () => {}),
      connection,
      (app) => {
        const router = new Router();
        router.get('/api/slow', async (ctx) => {
          arrived();
          await released;
          ctx.body = { finished: true };
        });
        app.use(router.routes());
      },
    );

    const inFlight = fetch(`${running.url}/api/slow`).then((r) => r.json());
    await requestArrived;
    const stopping = running.shutdown();

    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    release();
    await expect(inFlight).resolves.toEqual({ finished: true });
    await stopping;
    expect(connection.readyState).toBe(0);
    expect(running.server.listening).toBe(false);
  });
});
