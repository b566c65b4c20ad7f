import Router from '@koa/router';
import request from 'supertest';
import { createApp } from '../../app';
import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../test/database';
import { createServer } from 'node:net';
import mongoose from 'mongoose';

const db = useTestDatabase();

function appWithEcho() {
  const lines: string[] = [];
  const app = createApp({ db: db.connection, logger: createLogger('info', (l) => lines.push(l)) });
  const router = new Router();
  router.post('/api/echo', (ctx) => {
    ctx.body = { received: ctx.request.body };
  });
  router.get('/api/cached', (ctx) => {
    ctx.set('Cache-Control', 'max-age=600');
    ctx.body = {};
  });
  router.get('/api/boom', () => {
    throw new Error('unexpected 640104199001011234');
  });
  // A database that does not answer: nothing listens on the port.
  router.get('/api/no-database', async (ctx) => {
    const client = new mongoose.mongo.MongoClient(`mongodb://127.0.0.1:${ctx.query.port as string}`, {
      serverSelectionTimeoutMS: 200,
    });
    try {
      ctx.body = await client.db('gone').collection('cases').findOne({});
    } finally {
      await client.close();
    }
  });
  app.use(router.routes());
  return { app: app.callback(), lines };
}

/** A port nothing listens on (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HTTP basics', () => {
  it('answers unknown paths with a Chinese 404 body and a request id', async () => {
    const res = await request(appWithEcho().app).get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: '没有找到您要的内容' });
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const { app } = appWithEcho();
    const kept = await request(app).get('/healthz').set('X-Request-Id', 'abc-12345678');
    expect(kept.headers['x-request-id']).toBe('abc-12345678');
    const replaced = await request(app).get('/healthz').set('X-Request-Id', 'bad id!');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers and no-store on the API', async () => {
    const res = await request(appWithEcho().app).get('/healthz');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
  });

  it('keeps an API reply out of caches whatever its route said, and lets an API reply load or frame nothing', async () => {
    const res = await request(appWithEcho().app).get('/api/cached');
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': 'geolocation=(), microphone=()',
    });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sets the same headers but no content policy and no no-store outside the API', async () => {
    const res = await request(appWithEcho().app).get('/somewhere');
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it('accepts JSON bodies', async () => {
    const res = await request(appWithEcho().app).post('/api/echo').send({ a: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: { a: 1 } });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await request(appWithEcho().app).post('/api/echo').type('form').send('a=1');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await request(appWithEcho().app).post('/api/echo').type('json').send('{"a":');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'MALFORMED_JSON', message: '请求内容不是有效的 JSON' });
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await request(appWithEcho().app)
      .post('/api/echo')
      .send({ text: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('turns an unexpected error into a plain 500 and logs it without personal data', async () => {
    const { app, lines } = appWithEcho();
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'INTERNAL' });
    expect(JSON.stringify(res.body)).not.toContain('unexpected');
    const logged = lines.join('');
    expect(logged).toContain('request failed');
    expect(logged).not.toContain('640104199001011234');
  });

  it('answers "try again" (503) when the database does not answer in time, and logs it', async () => {
    const { app, lines } = appWithEcho();
    const res = await request(app).get(`/api/no-database?port=${await closedPort()}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' });
    expect(lines.join('')).toMatch(/"level":"warn","msg":"request not served",.*"code":"SERVICE_UNAVAILABLE"/);
  });

  it('answers a wrong method with 405', async () => {
    const res = await request(appWithEcho().app).post('/healthz').send({});
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
