// One-time login codes (一次性登录凭证): the host app hands one to our
// service after the citizen signs in (the sign-in page for the H5 build, the
// wx.login-like call for the mini-program); the BFF exchanges it once, within
// five minutes, for the real-name record. Only the code's digest is stored.
import { createHash, randomBytes } from 'node:crypto';
import {
  IDENTITY_ERRORS,
  type IdentityCodeExchangeRequest,
  type IdentityLoginCodeReply,
  type IdentityLoginCodeRequest,
  type IdentityPersonReply,
} from '@flexins/shared';
import { errorFactory } from '../common/errors';
import type { CallContext, SimDeps } from '../common/types';
import { identityModels, type LoginCodeRecord, type PersonRecord } from './models';
import { toIdentityPerson } from './people';
import { insertRecord } from '../common/records';

const fail = errorFactory(IDENTITY_ERRORS);

export const DEFAULT_CODE_TTL_MS = 5 * 60 * 1000;
const SWEEP_EVERY_MS = 60_000;
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

export function codeDigest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** Option CODE_TTL_MS (env SIM_OPT_CODE_TTL_MS), 5 minutes unless set. */
export function codeTtlMs(deps: SimDeps): number {
  const raw = deps.config.options.CODE_TTL_MS;
  if (raw === undefined || raw === '') return DEFAULT_CODE_TTL_MS;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_CODE_TTL_MS;
}

const lastSweep = new WeakMap<object, number>();

/** No TTL indexes on FerretDB: drop codes a day past expiry, at most once a minute. */
async function sweep(deps: SimDeps, now: Date): Promise<void> {
  const last = lastSweep.get(deps.db) ?? 0;
  if (now.getTime() - last < SWEEP_EVERY_MS) return;
  lastSweep.set(deps.db, now.getTime());
  const { LoginCodes } = identityModels(deps.db);
  await LoginCodes.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - KEEP_EXPIRED_MS) } });
}

export async function issueLoginCode(
  deps: SimDeps,
  person: PersonRecord,
  via: LoginCodeRecord['via'],
): Promise<IdentityLoginCodeReply> {
  const now = deps.now();
  await sweep(deps, now);
  const code = randomBytes(32).toString('base64url'); // 256 bits
  const expiresAt = new Date(now.getTime() + codeTtlMs(deps));
  const { LoginCodes } = identityModels(deps.db);
  await insertRecord(LoginCodes, {
    _id: codeDigest(code),
    personKey: person.key,
    idNumber: person.idNumber,
    via,
    issuedAt: now,
    expiresAt,
    used: false,
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

/**
 * Marks the code used, in one atomic update, if it exists, is unused and has
 * not expired; returns the person's key, or undefined for any other code.
 */
export async function redeemLoginCode(deps: SimDeps, code: string): Promise<string | undefined> {
  const now = deps.now();
  const { LoginCodes } = identityModels(deps.db);
  const redeemed = await LoginCodes.findOneAndUpdate(
    { _id: codeDigest(code), used: false, expiresAt: { $gt: now } },
    { $set: { used: true, usedAt: now } },
    { new: true },
  ).lean();
  return redeemed?.personKey;
}

/** POST /identity/v1/login-codes: the mini-program host's wx.login-like code. */
export async function createLoginCode(
  input: IdentityLoginCodeRequest,
  ctx: CallContext,
): Promise<IdentityLoginCodeReply> {
  const { People } = identityModels(ctx.deps.db);
  const person = await People.findOne({ key: input.personKey }).lean();
  if (!person) {
    throw fail('PERSON_NOT_FOUND', {
      message: `名册中没有标识为 ${input.personKey} 的人员，请核对名册人员标识`,
      fields: { personKey: '名册中没有这个人员标识' },
    });
  }
  return issueLoginCode(ctx.deps, person, 'api');
}

/** POST /identity/v1/code-exchanges: the code, once, for the real-name record. */
export async function exchangeCode(input: IdentityCodeExchangeRequest, ctx: CallContext): Promise<IdentityPersonReply> {
  const key = await redeemLoginCode(ctx.deps, input.code);
  const { People } = identityModels(ctx.deps.db);
  const person = key ? await People.findOne({ key }).lean() : null;
  if (!person) throw fail('CODE_INVALID');
  return { person: toIdentityPerson(person) };
}
