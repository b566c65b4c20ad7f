import { randomUUID } from 'node:crypto';
import { IDENTITY_STAFF_SIGN_IN_REPLY } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { useTestSimulator } from '../../test-support';
import { identitySimulator } from '../index';
import { STAFF_ACCOUNTS, findStaffSeed } from '../staff';

const sim = useTestSimulator(identitySimulator);

// Sign-ins are writes: every attempt needs its own Idempotency-Key.
const signIn = (username: string, password: string) =>
  sim.client.post('/identity/v1/staff-sign-ins', { username, password }, { idempotencyKey: randomUUID() });

const seed = (username: string) => findStaffSeed(username)!;

async function account(username: string) {
  const [found] = (await sim.records('staff_accounts')).filter((a) => a.username === username);
  return found;
}

describe('staff sign-in', () => {
  it.each(STAFF_ACCOUNTS.map((s) => [s.username, s] as const))(
    '%s signs in with the demo password and gets role, region and training flag',
    async (_username, staff) => {
      const outcome = await signIn(staff.username, staff.password);
      if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
      expect(check(IDENTITY_STAFF_SIGN_IN_REPLY, outcome.body)).toMatchObject({ ok: true });
      expect(outcome.body).toEqual({
        staffId: staff.staffId,
        name: staff.name,
        role: staff.role,
        regionCode: staff.regionCode,
        training: staff.training,
      });
    },
  );

  it('seeds the regions and roles the service needs', () => {
    const summary = STAFF_ACCOUNTS.filter((s) => !s.training).map((s) => `${s.role}@${s.regionCode}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'windowClerk@640104',
        'agent@640104',
        'agent@640106',
        'agent@6401',
        'supervisor@64',
        'supervisor@6404',
      ]),
    );
    expect(
      STAFF_ACCOUNTS.filter((s) => s.training)
        .map((s) => s.role)
        .sort(),
    ).toEqual(['agent', 'supervisor', 'windowClerk']);
  });

  it('stores scrypt hashes with a salt per account, never the password', async () => {
    const records = await sim.records('staff_accounts');
    expect(records).toHaveLength(STAFF_ACCOUNTS.length);
    expect(new Set(records.map((r) => r.passwordSalt)).size).toBe(records.length);
    for (const record of records) {
      expect(record.passwordHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(record)).not.toContain(seed(record.username).password);
    }
  });

  it('answers a wrong password and an unknown username alike, not saying which part was wrong', async () => {
    const wrongPassword = await signIn('xq.agent', 'not-the-password');
    const unknownUser = await signIn('no.such.user', seed('xq.agent').password);
    expect(wrongPassword).toMatchObject({ kind: 'error', status: 401, code: 'STAFF_CREDENTIALS_INVALID' });
    expect(unknownUser).toEqual(wrongPassword);
    if (wrongPassword.kind === 'error') expect(wrongPassword.message).toBe('用户名或密码不正确，请重新输入');
  });

  it('locks the account for 15 minutes on the fifth wrong password within 15 minutes, saying when to retry', async () => {
    const { username, password } = seed('jf.agent');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await signIn(username, `wrong-${attempt}`)).toMatchObject({ code: 'STAFF_CREDENTIALS_INVALID' });
    }
    const fifth = await signIn(username, 'wrong-5');
    expect(fifth).toMatchObject({ kind: 'error', status: 423, code: 'STAFF_LOCKED' });
    if (fifth.kind === 'error') expect(fifth.message).toMatch(/请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）后再试/);

    // Even the right password is refused while locked.
    expect(await signIn(username, password)).toMatchObject({ status: 423, code: 'STAFF_LOCKED' });

    const locked = await account(username);
    const lockMs = new Date(locked.lockedUntil).getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(14 * 60 * 1000);
    expect(lockMs).toBeLessThanOrEqual(15 * 60 * 1000);
    const log = (await sim.records('staff_sign_ins')).filter((r) => r.username === username).map((r) => r.outcome);
    expect(log.slice(-6)).toEqual([
      'wrongPassword',
      'wrongPassword',
      'wrongPassword',
      'wrongPassword',
      'locked',
      'locked',
    ]);
  });

  it('lets the account in again once the lock has passed', async () => {
    const { username, password } = seed('yc.agent');
    for (let attempt = 1; attempt <= 5; attempt++) await signIn(username, `wrong-${attempt}`);
    expect(await signIn(username, password)).toMatchObject({ code: 'STAFF_LOCKED' });
    // Move the lock into the past rather than wait 15 minutes.
    await sim.running.deps.db
      .collection('staff_accounts')
      .updateOne({ username }, { $set: { lockedUntil: new Date(Date.now() - 1_000) } });
    expect(await signIn(username, password)).toMatchObject({ kind: 'ok' });
  });

  it('resets the count on a success', async () => {
    const { username, password } = seed('gy.supervisor');
    for (let attempt = 1; attempt <= 4; attempt++) await signIn(username, `wrong-${attempt}`);
    expect(await signIn(username, password)).toMatchObject({ kind: 'ok' });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await signIn(username, `again-${attempt}`)).toMatchObject({ code: 'STAFF_CREDENTIALS_INVALID' });
    }
    expect(await signIn(username, password)).toMatchObject({ kind: 'ok' });
  });

  it('does not count failures older than 15 minutes', async () => {
    const { username } = seed('train.agent');
    await sim.running.deps.db
      .collection('staff_accounts')
      .updateOne({ username }, { $set: { failedAttempts: 4, firstFailureAt: new Date(Date.now() - 16 * 60 * 1000) } });
    expect(await signIn(username, 'wrong')).toMatchObject({ code: 'STAFF_CREDENTIALS_INVALID' });
    expect((await account(username)).failedAttempts).toBe(1);
  });
});
