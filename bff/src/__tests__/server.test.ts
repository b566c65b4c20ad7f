import { spawn } from 'node:child_process';
import net from 'node:net';
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

  it('answers a request Node cannot parse in JSON and Chinese too: a bad header 400, headers too large 431', async () => {
    const connection = await connectDatabase(testDatabaseUri(), db.name);
    const config = testConfig({ MONGODB_URI: testDatabaseUri(), PORT: '0', WORKER_MODE: 'off' });
    const running = await startServer(
      config,
      createLogger('error', () => {}),
      connection,
    );
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = running.server.address() as net.AddressInfo;
        const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
        let reply = '';
        socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
        socket.on('end', () => resolve(reply));
        socket.on('error', reject);
      });
    const parse = (reply: string) => ({
      status: Number(reply.split(' ')[1]),
      type: /content-type: ([^\r]+)/i.exec(reply)?.[1],
      body: JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)),
    });
    try {
      const bad = parse(await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'));
      expect(bad).toEqual({
        status: 400,
        type: 'application/json; charset=utf-8',
        body: { error: { code: 'MALFORMED_REQUEST', message: '请求格式有误，请刷新页面后重试' } },
      });
      const large = parse(await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(large.status).toBe(431);
      expect(large.body.error.code).toBe('HEADERS_TOO_LARGE');
      expect(large.body.error.message).toMatch(/请求头过大/);
    } finally {
      await running.shutdown();
    }
  });
});
