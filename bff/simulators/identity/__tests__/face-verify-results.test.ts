// The host face SDK's result token (verifyResult): issued by the stand-in
// endpoint, confirmed once by a face check for the person it was issued to.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  IDENTITY_FACE_CHECK_REPLY,
  IDENTITY_FACE_VERIFY_RESULT_REPLY,
  type IdentityFaceCheckReply,
  type IdentityFaceVerifyResultReply,
} from '@flexins/shared';
import { check, type CallOutcome } from '@flexins/shared/server';
import { findPerson } from '../../roster';
import { useTestSimulator } from '../../test-support';
import { identitySimulator } from '../index';

const sim = useTestSimulator(identitySimulator);

function ok<T>(outcome: CallOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.body;
}

const write = <T>(path: string, body: unknown, key: string = randomUUID()) =>
  sim.client.post<T>(path, body, { idempotencyKey: key });

const person = (key: string) => findPerson(key)!;

async function verifyResult(personKey: string): Promise<string> {
  const reply = ok(await write<IdentityFaceVerifyResultReply>('/identity/v1/face-verify-results', { personKey }));
  return reply.verifyResult;
}

const faceCheck = (idNumber: string, token: string, key?: string) =>
  write<IdentityFaceCheckReply>('/identity/v1/face-checks', { idNumber, verifyResult: token }, key);

describe('issuing a result token (standing in for the host face SDK)', () => {
  it('issues an opaque token for a roster person, valid for 10 minutes, and keeps only its digest', async () => {
    const before = Date.now();
    const reply = ok(
      await write<IdentityFaceVerifyResultReply>('/identity/v1/face-verify-results', {
        personKey: 'part-time-worker',
      }),
    );
    expect(check(IDENTITY_FACE_VERIFY_RESULT_REPLY, reply)).toMatchObject({ ok: true });
    expect(Date.parse(reply.expiresAt)).toBeGreaterThanOrEqual(before + 10 * 60 * 1000);
    const records = await sim.records('face_verify_results', person('part-time-worker').idNumber);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ used: false, passed: true });
    expect(JSON.stringify(records)).not.toContain(reply.verifyResult);
  });

  it('refuses an unknown person with PERSON_NOT_FOUND naming the field', async () => {
    const outcome = await write('/identity/v1/face-verify-results', { personKey: 'no-such-person' });
    expect(outcome).toMatchObject({
      kind: 'error',
      status: 404,
      code: 'PERSON_NOT_FOUND',
      fields: { personKey: expect.any(String) },
    });
  });
});

describe('a face check with a result token', () => {
  it("passes on the host's word for a person whose face matches, and records that it came from the host", async () => {
    const vendor = person('eligible-vendor');
    const reply = ok(await faceCheck(vendor.idNumber, await verifyResult(vendor.key)));
    expect(check(IDENTITY_FACE_CHECK_REPLY, reply)).toMatchObject({ ok: true });
    expect(reply).toMatchObject({
      idNumber: vendor.idNumber,
      passed: true,
      checkId: expect.stringMatching(/^RL\d{14}$/),
    });
    const records = (await sim.records('face_checks', vendor.idNumber)).filter((r) => r.checkId === reply.checkId);
    expect(records).toMatchObject([{ hostResult: true, passed: true }]);
  });

  it('fails face-check-fails with the plain-Chinese reason', async () => {
    const fails = person('face-check-fails');
    const reply = ok(await faceCheck(fails.idNumber, await verifyResult(fails.key)));
    expect(reply.passed).toBe(false);
    expect(reply.reason).toContain('人脸与公安部门留存照片比对不一致');
  });

  it('takes a token once: a second check with it is FACE_RESULT_INVALID, a replay of the first call is the first answer', async () => {
    const vendor = person('eligible-vendor');
    const token = await verifyResult(vendor.key);
    const key = randomUUID();
    const first = ok(await faceCheck(vendor.idNumber, token, key));
    expect(ok(await faceCheck(vendor.idNumber, token, key))).toEqual(first);

    const again = await faceCheck(vendor.idNumber, token);

    expect(again).toMatchObject({ kind: 'error', status: 422, code: 'FACE_RESULT_INVALID' });
    if (again.kind === 'error') expect(again.message).toContain('已经用过');
  });

  it('confirms a token only once when two checks race with it', async () => {
    const vendor = person('eligible-vendor');
    const token = await verifyResult(vendor.key);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => faceCheck(vendor.idNumber, token)));
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'error' && o.code === 'FACE_RESULT_INVALID')).toHaveLength(3);
  });

  it('refuses a token it never issued', async () => {
    const vendor = person('eligible-vendor');
    const outcome = await faceCheck(vendor.idNumber, randomBytes(32).toString('base64url'));
    expect(outcome).toMatchObject({ kind: 'error', status: 422, code: 'FACE_RESULT_INVALID' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('无效');
  });

  it("refuses someone else's token and leaves it for its owner", async () => {
    const [vendor, worker] = [person('eligible-vendor'), person('part-time-worker')];
    const workersToken = await verifyResult(worker.key);

    const stolen = await faceCheck(vendor.idNumber, workersToken);

    expect(stolen).toMatchObject({ kind: 'error', status: 422, code: 'FACE_RESULT_INVALID' });
    if (stolen.kind === 'error') expect(stolen.message).toContain('与办事人不一致');
    expect(ok(await faceCheck(worker.idNumber, workersToken))).toMatchObject({
      idNumber: worker.idNumber,
      passed: true,
    });
  });

  it('answers a malformed token with 400 naming the field in Chinese', async () => {
    const outcome = await faceCheck(person('eligible-vendor').idNumber, 'short');
    expect(outcome).toMatchObject({
      kind: 'error',
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: { verifyResult: expect.stringContaining('人脸核验结果凭证') },
    });
  });
});

describe('an expired token', () => {
  const quick = useTestSimulator(identitySimulator, { options: { FACE_RESULT_TTL_MS: '0' } });

  it('is refused as expired', async () => {
    const vendor = person('eligible-vendor');
    const issued = ok(
      await quick.client.post<IdentityFaceVerifyResultReply>(
        '/identity/v1/face-verify-results',
        { personKey: vendor.key },
        { idempotencyKey: randomUUID() },
      ),
    );
    const outcome = await quick.client.post(
      '/identity/v1/face-checks',
      { idNumber: vendor.idNumber, verifyResult: issued.verifyResult },
      { idempotencyKey: randomUUID() },
    );
    expect(outcome).toMatchObject({ kind: 'error', status: 422, code: 'FACE_RESULT_INVALID' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('已过期');
  });
});
