// Staff sign-in (工作人员登录): username and password against scrypt hashes
// with a per-account salt. Five wrong passwords within 15 minutes lock the
// account for 15 minutes; a success resets the count. The refusal never
// says whether the username or the password was wrong.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { IdentityStaffSignInReply, IdentityStaffSignInRequest } from '@flexins/shared';
import { IDENTITY_ERRORS } from '@flexins/shared';
import { errorFactory } from '../common/errors';
import type { CallContext, SimDeps } from '../common/types';
import { identityModels, type StaffAccountRecord, type StaffSignInRecord } from './models';
import { STAFF_ACCOUNTS, type StaffSeed } from './staff';
import { insertRecord } from '../common/records';

const fail = errorFactory(IDENTITY_ERRORS);

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const EPOCH = new Date(0);
/** Hashed for unknown usernames so they take as long as known ones. */
const DUMMY_SALT = Buffer.alloc(16, 7);

export function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

async function passwordMatches(account: StaffAccountRecord, password: string): Promise<boolean> {
  const expected = Buffer.from(account.passwordHash, 'hex');
  const given = await hashPassword(password, Buffer.from(account.passwordSalt, 'hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function hashedFields(seed: StaffSeed): Promise<Pick<StaffAccountRecord, 'passwordSalt' | 'passwordHash'>> {
  const salt = randomBytes(16);
  return {
    passwordSalt: salt.toString('hex'),
    passwordHash: (await hashPassword(seed.password, salt)).toString('hex'),
  };
}

/**
 * Upserts the seeded accounts. A new account (or one whose stored hash no
 * longer matches the demo password in staff.ts) gets a fresh salt and hash;
 * lock-out state is kept across restarts.
 */
export async function seedStaff(deps: SimDeps): Promise<void> {
  const { StaffAccounts } = identityModels(deps.db);
  await Promise.all(
    STAFF_ACCOUNTS.map(async (seed) => {
      const existing = await StaffAccounts.findOne({ username: seed.username }).lean();
      const profile = {
        staffId: seed.staffId,
        name: seed.name,
        role: seed.role,
        regionCode: seed.regionCode,
        training: seed.training,
      };
      if (existing && (await passwordMatches(existing, seed.password))) {
        await StaffAccounts.updateOne({ username: seed.username }, { $set: profile });
        return;
      }
      await StaffAccounts.updateOne(
        { username: seed.username },
        {
          $set: { ...profile, ...(await hashedFields(seed)) },
          $setOnInsert: { failedAttempts: 0, firstFailureAt: EPOCH, lockedUntil: EPOCH, createdAt: deps.now() },
        },
        { upsert: true },
      );
    }),
  );
}

/** `2026-11-29 14:35` in Beijing time. */
function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function locked(until: Date) {
  return fail('STAFF_LOCKED', {
    message: `密码连续输错 ${MAX_FAILURES} 次，账号已临时锁定，请于 ${beijingMinute(until)}（北京时间）后再试；如需立即解锁请联系系统管理员`,
    details: { lockedUntil: until.toISOString() },
  });
}

export async function signInStaff(
  input: IdentityStaffSignInRequest,
  ctx: CallContext,
): Promise<IdentityStaffSignInReply> {
  const { deps, callerId } = ctx;
  const { StaffAccounts, StaffSignIns } = identityModels(deps.db);
  const audit = (outcome: StaffSignInRecord['outcome']) =>
    insertRecord(StaffSignIns, { username: input.username, at: deps.now(), outcome, callerId });

  // 1. the account, or the same work and the same answer as a wrong password
  const account = await StaffAccounts.findOne({ username: input.username }).lean();
  if (!account) {
    await hashPassword(input.password, DUMMY_SALT);
    await audit('unknownUser');
    throw fail('STAFF_CREDENTIALS_INVALID');
  }

  // 2. a locked account answers "locked" whatever the password
  const now = deps.now();
  if (account.lockedUntil > now) {
    await audit('locked');
    throw locked(account.lockedUntil);
  }

  // 3. the password
  if (await passwordMatches(account, input.password)) {
    await StaffAccounts.updateOne(
      { username: input.username },
      { $set: { failedAttempts: 0, firstFailureAt: EPOCH, lockedUntil: EPOCH } },
    );
    await audit('ok');
    return {
      staffId: account.staffId,
      name: account.name,
      role: account.role,
      regionCode: account.regionCode,
      training: account.training,
    };
  }

  // 4. count the failure in its 15-minute window; the fifth locks the account
  await StaffAccounts.updateOne(
    { username: input.username, firstFailureAt: { $lt: new Date(now.getTime() - FAILURE_WINDOW_MS) } },
    { $set: { failedAttempts: 0, firstFailureAt: now } },
  );
  const counted = await StaffAccounts.findOneAndUpdate(
    { username: input.username },
    { $inc: { failedAttempts: 1 } },
    { new: true },
  ).lean();
  if (counted && counted.failedAttempts >= MAX_FAILURES) {
    const until = new Date(now.getTime() + LOCK_MS);
    await StaffAccounts.updateOne(
      { username: input.username },
      { $set: { failedAttempts: 0, firstFailureAt: EPOCH, lockedUntil: until } },
    );
    await audit('locked');
    throw locked(until);
  }
  await audit('wrongPassword');
  throw fail('STAFF_CREDENTIALS_INVALID');
}
