import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { makeIdNumber } from '@flexins/shared';
import {
  IDENTITY_FACE_CHECK_REPLY,
  IDENTITY_LOGIN_CODE_REPLY,
  IDENTITY_PERSON_REPLY,
  type IdentityFaceCheckReply,
  type IdentityLoginCodeReply,
  type IdentityPersonReply,
} from '@flexins/shared';
import { check, type CallOutcome } from '@flexins/shared/server';
import { ROSTER, TRAINING_ROSTER, findPerson } from '../../roster';
import { useTestSimulator } from '../../test-support';
import { identitySimulator } from '../index';
import { personIdOf } from '../people';
import { PHOTO_HEIGHT, PHOTO_WIDTH } from '../photo';

const sim = useTestSimulator(identitySimulator);

function ok<T>(outcome: CallOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.body;
}

const write = <T>(path: string, body: unknown, key: string = randomUUID()) =>
  sim.client.post<T>(path, body, { idempotencyKey: key });
const query = <T>(path: string, body: unknown) => sim.client.post<T>(path, body);

async function loginCode(personKey: string): Promise<IdentityLoginCodeReply> {
  return ok(await write<IdentityLoginCodeReply>('/identity/v1/login-codes', { personKey }));
}

function pngSize(base64: string): { width: number; height: number; bytes: number } {
  const png = Buffer.from(base64, 'base64');
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
}

describe('login codes and the code exchange', () => {
  it('issues a code for a roster person that expires in 5 minutes', async () => {
    const before = Date.now();
    const reply = await loginCode('eligible-vendor');
    const after = Date.now();
    expect(check(IDENTITY_LOGIN_CODE_REPLY, reply)).toMatchObject({ ok: true });
    expect(Date.parse(reply.expiresAt)).toBeGreaterThanOrEqual(before + 5 * 60 * 1000);
    expect(Date.parse(reply.expiresAt)).toBeLessThanOrEqual(after + 5 * 60 * 1000);
  });

  it('exchanges a code once for the real-name record with the certified photo', async () => {
    const person = findPerson('residence-permit-ningxia')!;
    const { code } = await loginCode(person.key);
    const reply = ok(await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code }));
    expect(check(IDENTITY_PERSON_REPLY, reply)).toMatchObject({ ok: true });
    expect(reply.person).toMatchObject({
      personId: personIdOf(person.idNumber),
      name: person.name,
      idNumber: person.idNumber,
      sex: person.sex,
      birthDate: person.birthDate,
      ethnicity: person.ethnicity,
      phone: person.phone,
      household: person.household,
      residencePermit: person.residencePermit,
      photo: { contentType: 'image/png' },
    });
    expect(pngSize(reply.person.photo.base64)).toEqual({
      width: PHOTO_WIDTH,
      height: PHOTO_HEIGHT,
      bytes: expect.any(Number),
    });
    expect(pngSize(reply.person.photo.base64).bytes).toBeLessThan(10 * 1024);

    const again = await write('/identity/v1/code-exchanges', { code });
    expect(again).toMatchObject({ kind: 'error', status: 401, code: 'CODE_INVALID' });
    if (again.kind === 'error') expect(again.message).toContain('重新进入');
  });

  it('gives the same person the same personId and photo every time, and others a different one', async () => {
    const first = ok(
      await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code: (await loginCode('under-16')).code }),
    );
    const second = ok(
      await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code: (await loginCode('under-16')).code }),
    );
    const other = ok(
      await write<IdentityPersonReply>('/identity/v1/code-exchanges', {
        code: (await loginCode('eligible-vendor')).code,
      }),
    );
    expect(second.person.personId).toBe(first.person.personId);
    expect(second.person.photo).toEqual(first.person.photo);
    expect(first.person).not.toHaveProperty('residencePermit');
    expect(other.person.personId).not.toBe(first.person.personId);
    expect(other.person.photo.base64).not.toBe(first.person.photo.base64);
    // The raw pixels really differ (a different background colour): IDAT data sits
    // after the signature and IHDR (41 bytes) and before its CRC and IEND (16 bytes).
    const pixels = (b64: string) => inflateSync(Buffer.from(b64, 'base64').subarray(41, -16));
    expect(pixels(other.person.photo.base64).equals(pixels(first.person.photo.base64))).toBe(false);
  });

  it('replays the same person to a retry with the same Idempotency-Key (a lost reply), and nobody else', async () => {
    const { code } = await loginCode('part-time-worker');
    const key = randomUUID();
    const first = ok(await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code }, key));
    const retried = ok(await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code }, key));
    expect(retried).toEqual(first);
    expect(await write('/identity/v1/code-exchanges', { code })).toMatchObject({ code: 'CODE_INVALID' });
  });

  it('lets exactly one of 10 parallel exchanges of one code succeed', async () => {
    const { code } = await loginCode('self-employed-no-employees');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => write('/identity/v1/code-exchanges', { code })),
    );
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'error' && o.code === 'CODE_INVALID')).toHaveLength(9);
  });

  it('refuses a code it never issued', async () => {
    const outcome = await write('/identity/v1/code-exchanges', { code: 'A'.repeat(43) });
    expect(outcome).toMatchObject({ kind: 'error', status: 401, code: 'CODE_INVALID' });
  });

  it('issues codes for training people too (the mini-program host and tests need them)', async () => {
    const trainee = TRAINING_ROSTER[0]!;
    const reply = ok(
      await write<IdentityPersonReply>('/identity/v1/code-exchanges', { code: (await loginCode(trainee.key)).code }),
    );
    expect(reply.person.idNumber).toBe(trainee.idNumber);
  });

  it('answers an unknown person key with PERSON_NOT_FOUND naming the key', async () => {
    const outcome = await write('/identity/v1/login-codes', { personKey: 'no-such-person' });
    expect(outcome).toMatchObject({ kind: 'error', status: 404, code: 'PERSON_NOT_FOUND' });
    if (outcome.kind === 'error') {
      expect(outcome.message).toContain('no-such-person');
      expect(outcome.fields).toEqual({ personKey: '名册中没有这个人员标识' });
    }
  });
});

describe('with a 1 ms code lifetime', () => {
  const quick = useTestSimulator(identitySimulator, { options: { CODE_TTL_MS: '1' } });

  it('refuses a code once it has expired', async () => {
    const issued = await quick.client.post<IdentityLoginCodeReply>(
      '/identity/v1/login-codes',
      { personKey: 'eligible-vendor' },
      { idempotencyKey: randomUUID() },
    );
    const { code, expiresAt } = ok(issued);
    // The simulator's clock (deps.now) is the wall clock: wait until the expiry has passed.
    while (Date.now() <= Date.parse(expiresAt)) await new Promise((resolve) => setImmediate(resolve));
    const outcome = await quick.client.post('/identity/v1/code-exchanges', { code }, { idempotencyKey: randomUUID() });
    expect(outcome).toMatchObject({ kind: 'error', status: 401, code: 'CODE_INVALID' });
  });
});

describe('face checks', () => {
  it('passes the roster person whose face matches', async () => {
    const person = findPerson('eligible-vendor')!;
    const reply = ok(
      await write<IdentityFaceCheckReply>('/identity/v1/face-checks', {
        idNumber: person.idNumber,
        livenessSample: 'bGl2ZW5lc3M=',
      }),
    );
    expect(check(IDENTITY_FACE_CHECK_REPLY, reply)).toMatchObject({ ok: true });
    expect(reply).toMatchObject({ idNumber: person.idNumber, passed: true });
    expect(reply.score).toBeGreaterThanOrEqual(80);
    expect(reply).not.toHaveProperty('reason');
  });

  it('fails face-check-fails with a plain-Chinese reason saying where to go', async () => {
    const person = findPerson('face-check-fails')!;
    const reply = ok(await write<IdentityFaceCheckReply>('/identity/v1/face-checks', { idNumber: person.idNumber }));
    expect(check(IDENTITY_FACE_CHECK_REPLY, reply)).toMatchObject({ ok: true });
    expect(reply.passed).toBe(false);
    expect(reply.score).toBeLessThan(80);
    expect(reply.reason).toContain('人脸与公安部门留存照片比对不一致');
    expect(reply.reason).toContain('窗口');
  });

  it('answers a query with the same record, so the BFF can verify a check at submission', async () => {
    const person = findPerson('face-check-fails')!;
    const created = ok(await write<IdentityFaceCheckReply>('/identity/v1/face-checks', { idNumber: person.idNumber }));
    const queried = ok(
      await query<IdentityFaceCheckReply>('/identity/v1/face-check-queries', { checkId: created.checkId }),
    );
    expect(check(IDENTITY_FACE_CHECK_REPLY, queried)).toMatchObject({ ok: true });
    expect(queried).toEqual(created);
  });

  it('keeps a record per check with the ID number, but not the liveness sample', async () => {
    const person = findPerson('holds-ningxia-card')!;
    await write('/identity/v1/face-checks', { idNumber: person.idNumber, livenessSample: 'c2FtcGxlLWJ5dGVz' });
    const records = await sim.records('face_checks', person.idNumber);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ idNumber: person.idNumber, livenessSampleProvided: true });
    expect(JSON.stringify(records[0])).not.toContain('c2FtcGxlLWJ5dGVz');
  });

  it('answers an unknown person with PERSON_NOT_FOUND and an unknown check with FACE_CHECK_NOT_FOUND', async () => {
    const stranger = makeIdNumber('640104', '1990-05-05', 555);
    expect(await write('/identity/v1/face-checks', { idNumber: stranger })).toMatchObject({
      kind: 'error',
      status: 404,
      code: 'PERSON_NOT_FOUND',
    });
    expect(await query('/identity/v1/face-check-queries', { checkId: 'RL20260101999999' })).toMatchObject({
      kind: 'error',
      status: 404,
      code: 'FACE_CHECK_NOT_FOUND',
    });
  });
});

describe('the data-sharing look-up', () => {
  it.each([...ROSTER.slice(0, 3), TRAINING_ROSTER[0]!].map((p) => [p.key, p] as const))(
    'returns %s to a clerk reading the ID card',
    async (_key, person) => {
      const reply = ok(await query<IdentityPersonReply>('/identity/v1/people-queries', { idNumber: person.idNumber }));
      expect(check(IDENTITY_PERSON_REPLY, reply)).toMatchObject({ ok: true });
      expect(reply.person).toMatchObject({ name: person.name, idNumber: person.idNumber });
    },
  );

  it('answers an unknown ID number with PERSON_NOT_FOUND in Chinese', async () => {
    const outcome = await query('/identity/v1/people-queries', { idNumber: makeIdNumber('640105', '1991-03-03', 777) });
    expect(outcome).toMatchObject({ kind: 'error', status: 404, code: 'PERSON_NOT_FOUND' });
    if (outcome.kind === 'error') expect(outcome.message).toContain('没有这个身份证号的实名信息');
  });
});

describe('bad input', () => {
  it.each([
    [
      '/identity/v1/face-checks',
      { idNumber: '64010419880315031' },
      { idNumber: '身份证号格式不正确，应为 18 位，最后一位是数字或大写字母 X' },
    ],
    ['/identity/v1/staff-sign-ins', { username: 'xq.clerk' }, { password: '请填写密码' }],
    [
      '/identity/v1/login-codes',
      { personKey: 'Not A Key', extra: 1 },
      {
        personKey: '名册人员标识格式不正确，应为名册中的人员标识，例如 eligible-vendor',
        extra: '不认识的字段“extra”，请删除',
      },
    ],
    ['/identity/v1/code-exchanges', {}, { code: '请填写登录凭证' }],
  ])('%s answers 400 naming the field in Chinese', async (path, body, fields) => {
    const outcome = await write(path, body);
    expect(outcome).toMatchObject({ kind: 'error', status: 400, code: 'VALIDATION_FAILED', fields });
  });

  it('answers a query with a bad check number with 400 too', async () => {
    const outcome = await query('/identity/v1/face-check-queries', { checkId: 'x' });
    expect(outcome).toMatchObject({ kind: 'error', status: 400, fields: { checkId: '核验编号格式不正确' } });
  });
});

describe('setup and the OpenAPI document', () => {
  it('can run again on a running database without duplicating or re-hashing anything', async () => {
    const people = (await sim.records('people')).length;
    const hashes = (await sim.records('staff_accounts')).map((a) => a.passwordHash).sort();
    await identitySimulator.setup(sim.running.deps);
    expect(await sim.records('people')).toHaveLength(people);
    expect((await sim.records('staff_accounts')).map((a) => a.passwordHash).sort()).toEqual(hashes);
    expect(people).toBeGreaterThanOrEqual(ROSTER.length + TRAINING_ROSTER.length);
  });

  it('lists every operation', async () => {
    const doc = (await (await fetch(`${sim.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(identitySimulator.routes.map((r) => r.operationId).sort());
    expect(operations).toHaveLength(7);
  });
});
