import Router from '@koa/router';
import { createLogger } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../app';
import { connectDatabase } from '../database';
import { RATE_LIMIT_COLLECTION, RateLimitStore, byClientIp, rateLimit, useRateLimitStore } from '../rate-limit';
import { testDatabaseUri, useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const WINDOW_MS = 60_000;
// Mid-window, so a test never straddles a window boundary by accident.
const START = Date.parse('2026-03-02T09:00:20+08:00');
let clock = START;
let second: Connection;

beforeAll(async () => {
  second = await connectDatabase(testDatabaseUri(), db.name);
});
afterAll(async () => {
  await second.close();
});
beforeEach(async () => {
  clock = START;
  await db.connection.collection(RATE_LIMIT_COLLECTION).deleteMany({});
});

/** A BFF app with one limited route; `connection` stands for its own process's pool. */
function appOn(connection: Connection, limit = 3, key = byClientIp, perProcess = false) {
  const koa = createApp({ db: connection, logger: createLogger('error', () => {}), trustProxy: true });
  useRateLimitStore(koa, new RateLimitStore(connection, { now: () => clock }));
  const router = new Router();
  router.post('/api/sign-in', rateLimit({ name: 'sign-in', limit, windowMs: WINDOW_MS, key, perProcess }), (ctx) => {
    ctx.body = { ok: true };
  });
  koa.use(router.routes());
  return koa.callback();
}

const call = (app: ReturnType<typeof appOn>, ip = '203.0.113.7') =>
  request(app).post('/api/sign-in').set('X-Forwarded-For', ip);

describe('rateLimit', () => {
  it('refuses the (limit+1)th call in a window with 429 and Retry-After until the window ends', async () => {
    const app = appOn(db.connection);
    for (let i = 0; i < 3; i++) expect((await call(app)).status).toBe(200);

    const refused = await call(app);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' });
    expect(refused.headers['retry-after']).toBe('40'); // 20 s into a 60 s window

    clock += 39_000;
    expect((await call(app)).headers['retry-after']).toBe('1');
    clock += 1_000; // the next window
    expect((await call(app)).status).toBe(200);
  });

  it('perProcess: counted in the process, the same 429 and Retry-After, nothing written; another process counts its own', async () => {
    const app = appOn(db.connection, 2, byClientIp, true);
    for (let i = 0; i < 2; i++) expect((await call(app)).status).toBe(200);
    const refused = await call(app);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('40');
    expect(await db.connection.collection(RATE_LIMIT_COLLECTION).countDocuments({})).toBe(0);
    expect((await call(appOn(second, 2, byClientIp, true))).status).toBe(200);
    clock += 40_000; // the next window
    expect((await call(app)).status).toBe(200);
  });

  it('counts each key on its own', async () => {
    const app = appOn(db.connection, 1);
    expect((await call(app, '203.0.113.7')).status).toBe(200);
    expect((await call(app, '203.0.113.7')).status).toBe(429);
    expect((await call(app, '198.51.100.9')).status).toBe(200);
  });

  it('shares the count between two apps on the same database', async () => {
    const one = appOn(db.connection);
    const two = appOn(second);
    expect((await call(one)).status).toBe(200);
    expect((await call(two)).status).toBe(200);
    expect((await call(one)).status).toBe(200);
    expect((await call(two)).status).toBe(429);
    expect((await call(one)).status).toBe(429);
  });

  it('lets exactly the limit through when many calls arrive at once, across two apps', async () => {
    const one = appOn(db.connection, 5);
    const two = appOn(second, 5);
    const replies = await Promise.all(Array.from({ length: 24 }, (_, i) => call(i % 2 ? one : two)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(19);
    const stored = await db.connection.collection(RATE_LIMIT_COLLECTION).find().toArray();
    expect(stored).toEqual([expect.objectContaining({ name: 'sign-in', count: 24 })]);
  });

  it('keeps one document per limit, key and window, named by them', async () => {
    await call(appOn(db.connection));
    const windowStart = Math.floor(START / WINDOW_MS) * WINDOW_MS;
    const stored = await db.connection.collection(RATE_LIMIT_COLLECTION).find().toArray();
    expect(stored).toEqual([
      {
        _id: `sign-in:203.0.113.7:${windowStart}`,
        name: 'sign-in',
        count: 1,
        windowStart: new Date(windowStart),
        deleteAfter: new Date(windowStart + 2 * WINDOW_MS),
      },
    ]);
  });

  it('refuses to key a limit by an ID number or a phone (a programming error, answered 500)', async () => {
    const byIdNumber = () => '640104199001011234';
    const res = await request(appOn(db.connection, 3, byIdNumber)).post('/api/sign-in');
    expect(res.status).toBe(500);
    expect(await db.connection.collection(RATE_LIMIT_COLLECTION).countDocuments()).toBe(0);
  });

  it('checks its rule when the route is wired, not on the first request', () => {
    expect(() => rateLimit({ name: 'Sign In', limit: 3, windowMs: WINDOW_MS, key: byClientIp })).toThrow(/name/);
    expect(() => rateLimit({ name: 'x', limit: 0, windowMs: WINDOW_MS, key: byClientIp })).toThrow(/limit/);
    expect(() => rateLimit({ name: 'x', limit: 1, windowMs: 10, key: byClientIp })).toThrow(/window/);
  });
});

describe('RateLimitStore.sweep', () => {
  it('deletes windows older than twice their length, at most once a minute per process', async () => {
    const windows = db.connection.collection(RATE_LIMIT_COLLECTION);
    const ids = async () => (await windows.find().toArray()).map((w) => String(w._id).split(':')[1]).sort();
    const store = new RateLimitStore(db.connection, { now: () => clock });
    const rule = { name: 'sign-in', limit: 3, windowMs: WINDOW_MS };
    // START is 20 s into window W.
    await store.hit(rule, 'a'); // in W
    await store.sweep();
    clock += WINDOW_MS;
    await store.hit(rule, 'b'); // in W+1
    await store.sweep(); // 80 s after W began: W stays
    expect(await ids()).toEqual(['a', 'b']);

    clock += WINDOW_MS;
    await store.sweep(); // 140 s after W began: W goes, W+1 stays
    expect(await ids()).toEqual(['b']);

    clock += 50_000; // W+1 is now past too, but this process swept 50 s ago
    await store.sweep();
    expect(await ids()).toEqual(['b']);
    await new RateLimitStore(db.connection, { now: () => clock }).sweep(); // another process has not
    expect(await ids()).toEqual([]);
  });
});
