/**
 * What must stand for a submission (提交前提): a standing eligibility check
 * that found the person eligible, and a passed face check not older than its
 * validity. One rule for every place that asks: the submission itself, the
 * postage payment (asked with a margin, so nobody pays and is then stopped),
 * and the pages that show the citizen where they stand.
 */
import type { ErrorCode } from './errors';

/** How long an eligibility verdict stands (the departments are asked again after it). */
export const ELIGIBILITY_VALID_MS = 60 * 60 * 1000;
/** How long a passed face check may be used for a submission. */
export const FACE_CHECK_VALID_MS = 30 * 60 * 1000;
/** Money is taken only while both checks still stand this much longer: time to pay and submit. */
export const PAY_MARGIN_MS = 10 * 60 * 1000;

export interface SubmissionFacts {
  eligibility?: { checkedAt: Date | string; eligible: boolean };
  faceCheck?: { checkedAt: Date | string; passed: boolean; checkId: string };
}

/** What the citizen does about a blocker: answer the eligibility questions again, or redo the face check. */
export type SubmissionAction = 'eligibility' | 'faceCheck';

export interface SubmissionBlocker {
  code: Extract<ErrorCode, 'ELIGIBILITY_REQUIRED' | 'NOT_ELIGIBLE' | 'FACE_CHECK_REQUIRED' | 'FACE_CHECK_FAILED'>;
  message: string;
  action: SubmissionAction;
}

/** GET /api/submission-check: where the citizen stands, checked by the server's clock. */
export interface SubmissionCheckView {
  ready: boolean;
  eligibility: { state: 'valid' | 'expired' | 'missing' | 'ineligible'; validUntil?: string };
  faceCheck: { state: 'passed' | 'expired' | 'failed' | 'missing'; validUntil?: string; checkId?: string };
  /** In the order they should be done; empty when ready. */
  blockers: SubmissionBlocker[];
}

function minutesLeft(untilMs: number, now: number): number {
  return Math.max(1, Math.ceil((untilMs - now) / 60_000));
}

/**
 * Where the facts stand at `now`. With `marginMs`, a check that lapses within
 * it already blocks (said as "will lapse in N minutes"), for paying.
 */
export function checkSubmission(facts: SubmissionFacts, now: number, marginMs = 0): SubmissionCheckView {
  const blockers: SubmissionBlocker[] = [];

  let eligibility: SubmissionCheckView['eligibility'] = { state: 'missing' };
  if (!facts.eligibility) {
    blockers.push({ code: 'ELIGIBILITY_REQUIRED', message: '请先完成申报条件核验', action: 'eligibility' });
  } else {
    const until = new Date(facts.eligibility.checkedAt).getTime() + ELIGIBILITY_VALID_MS;
    const validUntil = new Date(until).toISOString();
    if (until < now) {
      eligibility = { state: 'expired', validUntil };
      blockers.push({
        code: 'ELIGIBILITY_REQUIRED',
        message: '申报条件核验已超过 1 小时，部门的参保情况可能有变化，请重新核验（约 1 分钟）',
        action: 'eligibility',
      });
    } else if (!facts.eligibility.eligible) {
      eligibility = { state: 'ineligible', validUntil };
      blockers.push({
        code: 'NOT_ELIGIBLE',
        message: '根据申报条件核验结果，暂不能通过本服务办理，请查看原因和办理建议',
        action: 'eligibility',
      });
    } else {
      eligibility = { state: 'valid', validUntil };
      if (until - now < marginMs) {
        blockers.push({
          code: 'ELIGIBILITY_REQUIRED',
          message: `申报条件核验还有 ${minutesLeft(until, now)} 分钟过期，请先重新核验再支付，以免付款后不能提交`,
          action: 'eligibility',
        });
      }
    }
  }

  let faceCheck: SubmissionCheckView['faceCheck'] = { state: 'missing' };
  const face = facts.faceCheck;
  if (!face) {
    blockers.push({ code: 'FACE_CHECK_REQUIRED', message: '请先完成人脸核验', action: 'faceCheck' });
  } else if (!face.passed) {
    faceCheck = { state: 'failed' };
    blockers.push({
      code: 'FACE_CHECK_FAILED',
      message: '人脸核验没有通过，可以重新核验；多次不通过请到人社窗口办理或拨打 12333 咨询',
      action: 'faceCheck',
    });
  } else {
    const until = new Date(face.checkedAt).getTime() + FACE_CHECK_VALID_MS;
    const validUntil = new Date(until).toISOString();
    if (until < now) {
      faceCheck = { state: 'expired', validUntil };
      blockers.push({
        code: 'FACE_CHECK_REQUIRED',
        message: '人脸核验已超过 30 分钟，为保护您的账户安全，请重新核验（已付的邮寄费不受影响）',
        action: 'faceCheck',
      });
    } else {
      faceCheck = { state: 'passed', validUntil, checkId: face.checkId };
      if (until - now < marginMs) {
        blockers.push({
          code: 'FACE_CHECK_REQUIRED',
          message: `人脸核验还有 ${minutesLeft(until, now)} 分钟过期，请先重新核验再支付，以免付款后不能提交`,
          action: 'faceCheck',
        });
      }
    }
  }

  return { ready: blockers.length === 0, eligibility, faceCheck, blockers };
}
