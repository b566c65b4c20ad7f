// Face (liveness) checks (人脸核验): compares the live face with the photo the
// public security department keeps. The simulator passes or fails per the
// roster's faceCheck; the score is stable per person (pass ≥ 86, fail ≤ 59,
// threshold 80). The liveness sample itself is not stored.
//
// In the mini-program the host's face SDK does the liveness check and hands
// back a result token (verifyResult); a face check that carries one confirms
// it instead: once, within its time, for the person it was issued to. The
// token endpoint here stands in for the host SDK (tests, developers).
import { createHash, randomBytes } from 'node:crypto';
import type {
  IdentityFaceCheckQueryRequest,
  IdentityFaceCheckReply,
  IdentityFaceCheckRequest,
  IdentityFaceVerifyResultReply,
  IdentityFaceVerifyResultRequest,
} from '@flexins/shared';
import { IDENTITY_ERRORS } from '@flexins/shared';
import { errorFactory } from '../common/errors';
import { nextNumber } from '@flexins/shared/server';
import type { CallContext, SimDeps } from '../common/types';
import { codeDigest } from './login-codes';
import { identityModels, type FaceCheckRecord, type PersonRecord } from './models';
import { insertRecord } from '../common/records';

const fail = errorFactory(IDENTITY_ERRORS);

export const FACE_CHECK_THRESHOLD = 80;

export const FACE_CHECK_FAILED_REASON =
  '人脸与公安部门留存照片比对不一致。请在光线充足的地方正对手机重试；仍不通过的，请携带身份证到就近政务服务大厅人社窗口办理，咨询电话 12333';

function scoreFor(idNumber: string, passed: boolean): number {
  const spread = createHash('sha256').update(`face:${idNumber}`).digest()[0]!;
  return passed ? 86 + (spread % 13) : 35 + (spread % 25);
}

function toReply(record: FaceCheckRecord): IdentityFaceCheckReply {
  return {
    checkId: record.checkId,
    idNumber: record.idNumber,
    passed: record.passed,
    score: record.score,
    checkedAt: record.checkedAt.toISOString(),
    ...(record.reason ? { reason: record.reason } : {}),
  };
}

export const DEFAULT_FACE_RESULT_TTL_MS = 10 * 60 * 1000;
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 60_000;

/** Option FACE_RESULT_TTL_MS (env SIM_OPT_FACE_RESULT_TTL_MS), 10 minutes unless set. */
function faceResultTtlMs(deps: SimDeps): number {
  const raw = deps.config.options.FACE_RESULT_TTL_MS;
  if (raw === undefined || raw === '') return DEFAULT_FACE_RESULT_TTL_MS;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_FACE_RESULT_TTL_MS;
}

const lastSweep = new WeakMap<object, number>();

/** No TTL indexes on FerretDB: drop tokens a day past expiry, at most once a minute. */
async function sweep(deps: SimDeps, now: Date): Promise<void> {
  const last = lastSweep.get(deps.db) ?? 0;
  if (now.getTime() - last < SWEEP_EVERY_MS) return;
  lastSweep.set(deps.db, now.getTime());
  const { FaceVerifyResults } = identityModels(deps.db);
  await FaceVerifyResults.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - KEEP_EXPIRED_MS) } });
}

/** POST /identity/v1/face-verify-results: what the host's face SDK hands the mini-program. */
export async function createFaceVerifyResult(
  input: IdentityFaceVerifyResultRequest,
  ctx: CallContext,
): Promise<IdentityFaceVerifyResultReply> {
  const { deps } = ctx;
  const { People, FaceVerifyResults } = identityModels(deps.db);
  const person = await People.findOne({ key: input.personKey }).lean();
  if (!person) {
    throw fail('PERSON_NOT_FOUND', {
      message: `名册中没有标识为 ${input.personKey} 的人员，请核对名册人员标识`,
      fields: { personKey: '名册中没有这个人员标识' },
    });
  }
  const now = deps.now();
  await sweep(deps, now);
  const verifyResult = randomBytes(32).toString('base64url'); // 256 bits
  const expiresAt = new Date(now.getTime() + faceResultTtlMs(deps));
  await insertRecord(FaceVerifyResults, {
    _id: codeDigest(verifyResult),
    personKey: person.key,
    idNumber: person.idNumber,
    passed: person.faceCheck === 'pass',
    issuedAt: now,
    expiresAt,
    used: false,
    callerId: ctx.callerId,
  });
  return { verifyResult, expiresAt: expiresAt.toISOString() };
}

/**
 * Marks the token used, in one atomic update, if it was issued for this
 * person, is unused and has not expired; returns what the host found.
 * Anything else is refused with the reason, and someone else's token is
 * left as it was (its owner may still use it).
 */
async function confirmVerifyResult(deps: SimDeps, person: PersonRecord, verifyResult: string): Promise<boolean> {
  const now = deps.now();
  const { FaceVerifyResults } = identityModels(deps.db);
  const digest = codeDigest(verifyResult);
  const confirmed = await FaceVerifyResults.findOneAndUpdate(
    { _id: digest, idNumber: person.idNumber, used: false, expiresAt: { $gt: now } },
    { $set: { used: true, usedAt: now } },
    { new: true },
  ).lean();
  if (confirmed) return confirmed.passed;

  const known = await FaceVerifyResults.findById(digest).lean();
  const reason = !known
    ? '人脸核验结果无效（不是“我的宁夏”人脸核验签发的），请重新进行人脸核验'
    : known.idNumber !== person.idNumber
      ? '人脸核验结果与办事人不一致，请本人重新进行人脸核验'
      : known.used
        ? '这次人脸核验的结果已经用过，不能重复使用，请重新进行人脸核验'
        : '人脸核验结果已过期，请重新进行人脸核验';
  throw fail('FACE_RESULT_INVALID', { message: reason, fields: { verifyResult: reason } });
}

export async function createFaceCheck(
  input: IdentityFaceCheckRequest,
  ctx: CallContext,
): Promise<IdentityFaceCheckReply> {
  const { deps } = ctx;
  const { People, FaceChecks } = identityModels(deps.db);
  const person = await People.findOne({ idNumber: input.idNumber }).lean();
  if (!person) throw fail('PERSON_NOT_FOUND');

  // The host's face SDK decided, when it gave a token; else the platform compares.
  const passed = input.verifyResult
    ? await confirmVerifyResult(deps, person, input.verifyResult)
    : person.faceCheck === 'pass';
  const now = deps.now();
  const record: FaceCheckRecord = {
    checkId: await nextNumber(deps.db, 'RL', now),
    idNumber: person.idNumber,
    passed,
    score: scoreFor(person.idNumber, passed),
    ...(passed ? {} : { reason: FACE_CHECK_FAILED_REASON }),
    checkedAt: now,
    livenessSampleProvided: typeof input.livenessSample === 'string' && input.livenessSample.length > 0,
    ...(input.verifyResult ? { hostResult: true } : {}),
    callerId: ctx.callerId,
  };
  await insertRecord(FaceChecks, record);
  return toReply(record);
}

export async function getFaceCheck(
  input: IdentityFaceCheckQueryRequest,
  ctx: CallContext,
): Promise<IdentityFaceCheckReply> {
  const { FaceChecks } = identityModels(ctx.deps.db);
  const record = await FaceChecks.findOne({ checkId: input.checkId }).lean();
  if (!record) throw fail('FACE_CHECK_NOT_FOUND');
  return toReply(record);
}
