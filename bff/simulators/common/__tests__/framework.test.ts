import { randomUUID } from 'node:crypto';
import { signedHeaders } from '@flexins/shared/server';
import { errorFactory } from '../errors';
import type { SimulatorDefinition } from '../types';
import { TEST_CALLER, TEST_SECRET, useTestSimulator } from '../../test-support';

// A tiny department, so the framework is tested apart from any real one.
const DEMO_ERRORS = { DEMO_REFUSED: { status: 422, message: '演示：不予办理' } };
const fail = errorFactory(DEMO_ERRORS);

const demo: SimulatorDefinition = {
  name: 'tax',
  title: '演示系统',
  errors: DEMO_ERRORS,
  collections: ['widgets'],
  async setup() {},
  async addPerson() {},
  routes: [
    {
      method: 'POST',
      path: '/demo/v1/widgets',
      operationId: 'createWidget',
      summary: '登记一个部件',
      write: true,
      request: {
        type: 'object',
        required: ['idNumber', 'size'],
        properties: {
          idNumber: { type: 'string', title: '身份证号', pattern: '^\\d{17}[\\dX]$' },
          size: { type: 'integer', title: '尺寸', minimum: 1, maximum: 10 },
        },
        additionalProperties: false,
      },
      reply: {
        type: 'object',
        required: ['widgetNo'],
        properties: { widgetNo: { type: 'string' } },
        additionalProperties: false,
      },
      errors: ['DEMO_REFUSED'],
      personOf: (input: { idNumber: string }) => input.idNumber,
      async handle(input: { idNumber: string; size: number }, ctx) {
        if (input.size === 7) throw fail('DEMO_REFUSED');
        const widgetNo = `W${randomUUID().slice(0, 8)}`;
        await ctx.deps.db.collection('widgets').insertOne({ widgetNo, idNumber: input.idNumber, size: input.size });
        return { widgetNo };
      },
    },
  ],
};

const sim = useTestSimulator(demo);
const PERSON = '640104199001011234';
const OTHER = '640105198802023456';

afterEach(async () => {
  await sim.admin('PUT', '/admin/faults', { errorRate: 0, hangRate: 0, lostReplyRate: 0, latencyMs: 0, jitterMs: 0 });
  await sim.admin('DELETE', '/admin/scripts');
});

async function rawPost(path: string, body: object, headers: Record<string, string>) {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('gateway signature', () => {
  const body = { idNumber: PERSON, size: 1 };
  const text = JSON.stringify(body);

  it('accepts a correctly signed call', async () => {
    const headers = signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path: '/demo/v1/widgets', body: text });
    expect((await rawPost('/demo/v1/widgets', body, headers)).status).toBe(200);
  });

  it('refuses a wrong signature', async () => {
    const headers = signedHeaders(TEST_CALLER, 'not-the-secret', {
      method: 'POST',
      path: '/demo/v1/widgets',
      body: text,
    });
    const res = await rawPost('/demo/v1/widgets', body, headers);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a body changed after signing', async () => {
    const headers = signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path: '/demo/v1/widgets', body: text });
    const res = await rawPost('/demo/v1/widgets', { ...body, size: 2 }, headers);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a stale timestamp', async () => {
    const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
    const headers = signedHeaders(
      TEST_CALLER,
      TEST_SECRET,
      { method: 'POST', path: '/demo/v1/widgets', body: text },
      sixMinutesAgo,
    );
    const res = await rawPost('/demo/v1/widgets', body, headers);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'STALE_TIMESTAMP', message: '请求时间戳已过期或超前' });
  });

  it('refuses a replayed nonce', async () => {
    const headers = signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path: '/demo/v1/widgets', body: text });
    expect((await rawPost('/demo/v1/widgets', body, headers)).status).toBe(200);
    const replay = await rawPost('/demo/v1/widgets', body, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REPLAYED_NONCE');
  });

  it('refuses an unknown caller and a call without signature headers', async () => {
    const headers = signedHeaders('stranger', TEST_SECRET, { method: 'POST', path: '/demo/v1/widgets', body: text });
    expect((await rawPost('/demo/v1/widgets', body, headers)).body.error.code).toBe('UNKNOWN_CALLER');
    expect((await rawPost('/demo/v1/widgets', body, {})).body.error.code).toBe('SIGNATURE_MISSING');
  });
});

describe('input checks', () => {
  it('answers bad input with 400 naming the field in Chinese', async () => {
    const outcome = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: '123', size: 11, extra: 1 },
      { idempotencyKey: randomUUID() },
    );
    expect(outcome).toMatchObject({ kind: 'error', status: 400, code: 'VALIDATION_FAILED' });
    if (outcome.kind !== 'error') throw new Error('expected an error');
    expect(outcome.fields).toEqual({
      idNumber: '身份证号格式不正确',
      size: '尺寸不能大于 10',
      extra: '不认识的字段“extra”，请删除',
    });
  });

  it('answers malformed JSON with 400, not a crash', async () => {
    const text = '{"idNumber":';
    const headers = signedHeaders(TEST_CALLER, TEST_SECRET, { method: 'POST', path: '/demo/v1/widgets', body: text });
    const response = await fetch(`${sim.url}/demo/v1/widgets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: text,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe('MALFORMED_JSON');
  });
});

describe('idempotency', () => {
  it('requires an Idempotency-Key on writes', async () => {
    const outcome = await sim.client.post('/demo/v1/widgets', { idNumber: PERSON, size: 1 });
    expect(outcome).toMatchObject({ kind: 'error', status: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
  });

  it('turns 20 parallel identical writes into one record and one answer', async () => {
    const key = randomUUID();
    const person = '640104199202023338';
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        sim.client.post('/demo/v1/widgets', { idNumber: person, size: 3 }, { idempotencyKey: key }),
      ),
    );
    const numbers = outcomes.map((o) => (o.kind === 'ok' ? (o.body as { widgetNo: string }).widgetNo : o.kind));
    expect(new Set(numbers).size).toBe(1);
    expect(numbers[0]).toMatch(/^W/);
    expect(await sim.records('widgets', person)).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const key = randomUUID();
    await sim.client.post('/demo/v1/widgets', { idNumber: PERSON, size: 1 }, { idempotencyKey: key });
    const outcome = await sim.client.post('/demo/v1/widgets', { idNumber: PERSON, size: 2 }, { idempotencyKey: key });
    expect(outcome).toMatchObject({ kind: 'error', status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('replays a refusal too, so a retry cannot turn a no into a yes', async () => {
    const key = randomUUID();
    const first = await sim.client.post('/demo/v1/widgets', { idNumber: PERSON, size: 7 }, { idempotencyKey: key });
    const again = await sim.client.post('/demo/v1/widgets', { idNumber: PERSON, size: 7 }, { idempotencyKey: key });
    expect(first).toMatchObject({ kind: 'error', status: 422, code: 'DEMO_REFUSED', message: '演示：不予办理' });
    expect(again).toEqual(first);
  });
});

describe('fault switches', () => {
  it('lost reply: the work is committed, and a retry with the same key returns the original result', async () => {
    const person = '640104199303033333';
    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 1 });
    const key = randomUUID();
    const lost = await sim.client.post('/demo/v1/widgets', { idNumber: person, size: 2 }, { idempotencyKey: key });
    expect(lost).toMatchObject({ kind: 'unreachable', reason: 'network' });
    const committed = await sim.records('widgets', person);
    expect(committed).toHaveLength(1);

    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 0 });
    const retried = await sim.client.post('/demo/v1/widgets', { idNumber: person, size: 2 }, { idempotencyKey: key });
    expect(retried).toMatchObject({ kind: 'ok', body: { widgetNo: committed[0].widgetNo } });
    expect(await sim.records('widgets', person)).toHaveLength(1);
  });

  it('error rate: answers 500 or 503 and does no work', async () => {
    const person = '640104199404044444';
    await sim.admin('PUT', '/admin/faults', { errorRate: 1 });
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() =>
        sim.client.post('/demo/v1/widgets', { idNumber: person, size: 1 }, { idempotencyKey: randomUUID() }),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome.kind).toBe('error');
      if (outcome.kind === 'error') expect([500, 503]).toContain(outcome.status);
    }
    expect(await sim.records('widgets', person)).toHaveLength(0);
  });

  it('hang rate: holds the call past the client time-out', async () => {
    await sim.admin('PUT', '/admin/faults', { hangRate: 1 });
    const outcome = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: PERSON, size: 1 },
      { idempotencyKey: randomUUID(), timeoutMs: 300 },
    );
    expect(outcome).toMatchObject({ kind: 'unreachable', reason: 'timeout' });
  });

  it('latency: every call waits at least the configured base', async () => {
    await sim.admin('PUT', '/admin/faults', { latencyMs: 250, jitterMs: 0 });
    const started = performance.now();
    const outcome = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: PERSON, size: 1 },
      { idempotencyKey: randomUUID() },
    );
    expect(outcome.kind).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it('scripted outcome: refuses one person, a set number of times, and leaves others alone', async () => {
    const added = await sim.admin('POST', '/admin/scripts', {
      idNumber: OTHER,
      outcome: 'refuse',
      code: 'DEMO_REFUSED',
      times: 1,
    });
    expect(added.status).toBe(201);
    const first = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: OTHER, size: 1 },
      { idempotencyKey: randomUUID() },
    );
    const someoneElse = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: PERSON, size: 1 },
      { idempotencyKey: randomUUID() },
    );
    const second = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: OTHER, size: 1 },
      { idempotencyKey: randomUUID() },
    );
    expect(first).toMatchObject({ kind: 'error', code: 'DEMO_REFUSED' });
    expect(someoneElse.kind).toBe('ok');
    expect(second.kind).toBe('ok');
  });

  it('scripted outcome: an injected error for one operation', async () => {
    await sim.admin('POST', '/admin/scripts', { idNumber: OTHER, operationId: 'createWidget', outcome: 'unavailable' });
    const outcome = await sim.client.post(
      '/demo/v1/widgets',
      { idNumber: OTHER, size: 1 },
      { idempotencyKey: randomUUID() },
    );
    expect(outcome).toMatchObject({ kind: 'error', status: 503, code: 'INJECTED_UNAVAILABLE' });
  });
});

describe('admin endpoints', () => {
  it('refuse a wrong admin token', async () => {
    const response = await fetch(`${sim.url}/admin/faults`, { headers: { 'x-admin-token': 'guess' } });
    expect(response.status).toBe(403);
  });

  it('name the field of a bad fault setting', async () => {
    const res = await sim.admin('PUT', '/admin/faults', { errorRate: 2, sparkles: 1 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['errorRate', 'sparkles']);
  });

  it('list only the collections the simulator declares', async () => {
    expect((await sim.admin('GET', '/admin/records/idempotency_records')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes every operation with its schemas and error codes', async () => {
    const doc = (await (await fetch(`${sim.url}/openapi.json`)).json()) as any;
    const operation = doc.paths['/demo/v1/widgets'].post;
    expect(operation.operationId).toBe('createWidget');
    expect(operation.requestBody.content['application/json'].schema.required).toEqual(['idNumber', 'size']);
    expect(operation.responses.default.description).toContain('DEMO_REFUSED：演示：不予办理');
  });
});
