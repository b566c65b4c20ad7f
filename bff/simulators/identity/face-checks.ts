// Face (liveness) checks (人脸核验): compares the live face with the photo the
// public security department keeps. The simulator passes or fails per the
// roster's faceCheck; the score is stable per person (pass ≥ 86, fail ≤ 59,
// threshold 80). The liveness sample itself is not stored.
import { createHash } from 'node:crypto';
import type { IdentityFaceCheckQueryRequest, IdentityFaceCheckReply, IdentityFaceCheckRequest } from '@flexins/shared';
import { IDENTITY_ERRORS } from '@flexins/shared';
import { errorFactory } from '../common/errors';
import { nextNumber } from '@flexins/shared/server';
import type { CallContext } from '../common/types';
import { identityModels, type FaceCheckRecord } from './models';

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

export async function createFaceCheck(
  input: IdentityFaceCheckRequest,
  ctx: CallContext,
): Promise<IdentityFaceCheckReply> {
  const { deps } = ctx;
  const { People, FaceChecks } = identityModels(deps.db);
  const person = await People.findOne({ idNumber: input.idNumber }).lean();
  if (!person) throw fail('PERSON_NOT_FOUND');

  const now = deps.now();
  const passed = person.faceCheck === 'pass';
  const record: FaceCheckRecord = {
    checkId: await nextNumber(deps.db, 'RL', now),
    idNumber: person.idNumber,
    passed,
    score: scoreFor(person.idNumber, passed),
    ...(passed ? {} : { reason: FACE_CHECK_FAILED_REASON }),
    checkedAt: now,
    livenessSampleProvided: typeof input.livenessSample === 'string' && input.livenessSample.length > 0,
    callerId: ctx.callerId,
  };
  await FaceChecks.create(record);
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
