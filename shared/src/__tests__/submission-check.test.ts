import { FACE_CHECK_VALID_MS, PAY_MARGIN_MS, checkSubmission } from '../submission-check';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-03T06:00:00.000Z');
const ago = (minutes: number) => new Date(NOW - minutes * MINUTE);
const standing = {
  eligibility: { checkedAt: ago(5), eligible: true },
  faceCheck: { checkedAt: ago(5), passed: true, checkId: 'RL1' },
};

describe('what must stand for a submission (提交前提)', () => {
  it('is ready with both checks standing, and says until when', () => {
    expect(checkSubmission(standing, NOW)).toEqual({
      ready: true,
      eligibility: { state: 'valid', validUntil: '2026-12-03T06:55:00.000Z' },
      faceCheck: { state: 'passed', validUntil: '2026-12-03T06:25:00.000Z', checkId: 'RL1' },
      blockers: [],
    });
  });

  it('asks for both checks when neither was made, eligibility first', () => {
    const check = checkSubmission({}, NOW);
    expect(check.ready).toBe(false);
    expect(check.blockers.map((b) => [b.code, b.action])).toEqual([
      ['ELIGIBILITY_REQUIRED', 'eligibility'],
      ['FACE_CHECK_REQUIRED', 'faceCheck'],
    ]);
  });

  it('calls a face check older than 30 minutes lapsed, and says the paid postage is kept', () => {
    const check = checkSubmission({ ...standing, faceCheck: { ...standing.faceCheck, checkedAt: ago(31) } }, NOW);
    expect(check.faceCheck.state).toBe('expired');
    expect(check.blockers).toEqual([
      expect.objectContaining({
        code: 'FACE_CHECK_REQUIRED',
        message: expect.stringContaining('已付的邮寄费不受影响'),
      }),
    ]);
  });

  it('lets a submission through until the last minute, but not a payment that close to it', () => {
    const closeToLapsing = { ...standing, faceCheck: { ...standing.faceCheck, checkedAt: ago(25) } };
    expect(checkSubmission(closeToLapsing, NOW).ready).toBe(true);
    const forPaying = checkSubmission(closeToLapsing, NOW, PAY_MARGIN_MS);
    expect(forPaying.ready).toBe(false);
    expect(forPaying.blockers[0]).toMatchObject({
      code: 'FACE_CHECK_REQUIRED',
      message: expect.stringContaining('还有 5 分钟过期'),
    });
    // exactly at the margin it still stands
    const atMargin = {
      ...standing,
      faceCheck: { ...standing.faceCheck, checkedAt: new Date(NOW - FACE_CHECK_VALID_MS + PAY_MARGIN_MS) },
    };
    expect(checkSubmission(atMargin, NOW, PAY_MARGIN_MS).ready).toBe(true);
  });

  it('refuses a failed face check and an ineligible verdict with their own codes', () => {
    const check = checkSubmission(
      {
        eligibility: { checkedAt: ago(5), eligible: false },
        faceCheck: { checkedAt: ago(5), passed: false, checkId: 'RL2' },
      },
      NOW,
    );
    expect(check.blockers.map((b) => b.code)).toEqual(['NOT_ELIGIBLE', 'FACE_CHECK_FAILED']);
  });

  it('asks for eligibility again after an hour', () => {
    const check = checkSubmission({ ...standing, eligibility: { checkedAt: ago(61), eligible: true } }, NOW);
    expect(check.eligibility.state).toBe('expired');
    expect(check.blockers.map((b) => b.code)).toEqual(['ELIGIBILITY_REQUIRED']);
  });
});
