import { GATEWAY_HEADERS, signedHeaders } from '@flexins/shared/server';
import { SMS_PATHS, SMS_SEND_REPLY } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { TEST_CALLER, TEST_SECRET, openApiOf, signedPost, useTestSimulator } from '../../test-support';
import { smsSimulator } from '../index';
import { segmentsOf } from '../routes';

const sim = useTestSimulator(smsSimulator);
const SEND = SMS_PATHS.messages;

let n = 0;
function message(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    channel: 'sms',
    phone: '13900001234',
    templateId: 'caseAccepted',
    text: `【我的宁夏】张*，您的灵活就业参保申请已受理（测试 ${n}）`,
    reference: `LJ20261205${String(n).padStart(6, '0')}`,
    ...overrides,
  };
}

async function sentUnder(key: string): Promise<any[]> {
  return (await sim.records('messages')).filter((r) => r.idempotencyKey === key);
}

describe('sending', () => {
  it('sends a message, answers within its contract and keeps a record of it', async () => {
    const body = message();
    const res = await signedPost(sim, SEND, body, 'send-1');
    expect(res.status).toBe(200);
    expect(check(SMS_SEND_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toMatchObject({
      channel: 'sms',
      status: 'sent',
      segments: 1,
      messageId: expect.stringMatching(/^SMS\d{14}$/),
    });
    expect(await sentUnder('send-1')).toEqual([
      expect.objectContaining({ ...body, callerId: TEST_CALLER, messageId: res.body.messageId, segments: 1 }),
    ]);
  });

  it('carries the host app subscription messages on their own channel', async () => {
    const res = await signedPost(sim, SEND, message({ channel: 'subscription', templateId: 'matterDone' }), 'sub-1');
    expect(res.status).toBe(200);
    expect(res.body.messageId).toMatch(/^SUB\d{14}$/);
    expect((await sentUnder('sub-1'))[0]).toMatchObject({ channel: 'subscription' });
  });

  it('counts a long SMS in parts of 67 characters, a subscription message as one', () => {
    expect(segmentsOf('sms', '字'.repeat(70))).toBe(1);
    expect(segmentsOf('sms', '字'.repeat(71))).toBe(2);
    expect(segmentsOf('sms', '字'.repeat(135))).toBe(3);
    expect(segmentsOf('subscription', '字'.repeat(300))).toBe(1);
  });

  it('refuses a text holding a full ID number (CONTENT_REJECTED, final) and sends nothing', async () => {
    const res = await signedPost(sim, SEND, message({ text: '您的身份证号 640104198803150314 已登记' }), 'id-1');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CONTENT_REJECTED');
    expect(await sentUnder('id-1')).toEqual([]);
  });

  it('answers bad input with 400 naming the fields in Chinese', async () => {
    const res = await signedPost(sim, SEND, { ...message(), phone: '123', channel: 'fax', extra: 1 }, 'bad-1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['channel', 'extra', 'phone']);
    for (const text of Object.values(res.body.error.fields)) expect(text).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('idempotency: one key, one message', () => {
  it('needs an Idempotency-Key', async () => {
    const res = await signedPost(sim, SEND, message(), null);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('answers a repeat with the same body with the first reply, and sends nothing more', async () => {
    const body = message();
    const first = await signedPost(sim, SEND, body, 'repeat-1');
    const again = await signedPost(sim, SEND, body, 'repeat-1');
    expect(again).toEqual(first);
    expect(await sentUnder('repeat-1')).toHaveLength(1);
  });

  it('refuses the same key with another body (422)', async () => {
    const body = message();
    expect((await signedPost(sim, SEND, body, 'other-1')).status).toBe(200);
    const other = await signedPost(sim, SEND, { ...body, text: `${body.text}！` }, 'other-1');
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await sentUnder('other-1')).toHaveLength(1);
  });

  it('sends once when the same call comes ten times at once', async () => {
    await sim.admin('PUT', '/admin/faults', { latencyMs: 30, jitterMs: 30 });
    try {
      const body = message();
      const replies = await Promise.all(Array.from({ length: 10 }, () => signedPost(sim, SEND, body, 'burst-1')));
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(replies.map((r) => r.body.messageId)).size).toBe(1);
      expect(await sentUnder('burst-1')).toHaveLength(1);
    } finally {
      await sim.admin('PUT', '/admin/faults', { latencyMs: 0, jitterMs: 0 });
    }
  });
});

describe('signatures', () => {
  const raw = async (headers: Record<string, string>, text: string) => {
    const response = await fetch(`${sim.url}${SEND}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [GATEWAY_HEADERS.idempotencyKey]: `k-${Math.random()}`,
        ...headers,
      },
      body: text,
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('refuses an unsigned call, a wrong secret, a stale timestamp and a replayed nonce', async () => {
    const text = JSON.stringify(message());
    const req = { method: 'POST', path: SEND, body: text };
    expect((await raw({}, text)).body.error.code).toBe('SIGNATURE_MISSING');
    expect((await raw(signedHeaders(TEST_CALLER, 'not-the-secret', req), text)).body.error.code).toBe(
      'SIGNATURE_INVALID',
    );
    const stale = await raw(signedHeaders(TEST_CALLER, TEST_SECRET, req, Date.now() - 6 * 60_000), text);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('STALE_TIMESTAMP');
    const headers = signedHeaders(TEST_CALLER, TEST_SECRET, req);
    expect((await raw(headers, text)).status).toBe(200);
    const replay = await raw(headers, text);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REPLAYED_NONCE');
  });
});

describe('faults', () => {
  afterEach(async () => {
    await sim.admin('PUT', '/admin/faults', { errorRate: 0, lostReplyRate: 0, hangRate: 0 });
    await sim.admin('DELETE', '/admin/scripts');
  });

  it('answers 500 or 503 with errors switched on, and sends nothing', async () => {
    expect((await sim.admin('PUT', '/admin/faults', { errorRate: 1 })).status).toBe(200);
    const res = await signedPost(sim, SEND, message(), 'fault-1');
    expect([500, 503]).toContain(res.status);
    expect(['INJECTED_ERROR', 'INJECTED_UNAVAILABLE']).toContain(res.body.error.code);
    expect(await sentUnder('fault-1')).toEqual([]);
  });

  it('loses the reply of a message it did send; the repeat under the same key sends nothing more', async () => {
    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 1 });
    const body = message();
    await expect(signedPost(sim, SEND, body, 'lost-1')).rejects.toThrow();
    expect(await sentUnder('lost-1')).toHaveLength(1);
    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 0 });
    const again = await signedPost(sim, SEND, body, 'lost-1');
    expect(again.status).toBe(200);
    expect(await sentUnder('lost-1')).toHaveLength(1);
  });

  it('follows a script for one phone number: an unreachable number is refused, once', async () => {
    const phone = '13900009999';
    const scripted = await sim.admin('POST', '/admin/scripts', {
      idNumber: phone,
      outcome: 'refuse',
      code: 'RECIPIENT_UNREACHABLE',
      times: 1,
    });
    expect(scripted.status).toBe(201);
    const refused = await signedPost(sim, SEND, message({ phone }), 'script-1');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('RECIPIENT_UNREACHABLE');
    expect((await signedPost(sim, SEND, message({ phone }), 'script-2')).status).toBe(200);
  });

  it('holds a call open with hangs switched on (the caller times out)', async () => {
    await sim.admin('PUT', '/admin/faults', { hangRate: 1, hangMs: 300 });
    await expect(signedPost(sim, SEND, message(), 'hang-1')).rejects.toThrow();
    expect(await sentUnder('hang-1')).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('names the gateway and lists the send with its Idempotency-Key and refusals', async () => {
    const doc = await openApiOf(sim);
    expect(doc.info.title).toContain('短信');
    const send = doc.paths[SEND]!.post!;
    expect(send.operationId).toBe('sendMessage');
    expect(send.parameters.map((p) => p.name)).toEqual(['Idempotency-Key']);
    expect(send.responses.default.description).toContain('RECIPIENT_UNREACHABLE');
  });
});
