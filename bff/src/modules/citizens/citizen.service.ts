// Citizen sign-in (统一身份认证): the host app's one-time code is exchanged
// with the identity platform for the person's real-name data; we keep it
// sealed and issue our own short-lived token. Also the face check.
import { createHash, randomBytes } from 'node:crypto';
import {
  checkSubmission,
  maskIdNumber,
  maskName,
  maskPhone,
  type Applicant,
  type FaceCheckView,
  type IdentityPerson,
  type MeView,
  type SubmissionCheckView,
  type SubmissionFacts,
} from '@flexins/shared';
import type { Departments } from '../../departments';
import type { IssuedToken, TokenService } from '../../platform/auth';
import type { FieldCipher } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import { applicantKeyModel, type ApplicantKeyModel } from './applicant-key.model';
import type { ApplicantModel, ApplicantRecord } from './applicant.model';

export class CitizenService {
  private readonly keys: ApplicantKeyModel;

  constructor(
    private readonly applicants: ApplicantModel,
    private readonly departments: Departments,
    private readonly cipher: FieldCipher,
    private readonly tokens: TokenService,
  ) {
    this.keys = applicantKeyModel(applicants.db);
  }

  /** 1. exchange the code  2. keep the person sealed (same person, same applicant id)  3. issue our token. */
  async signIn(code: string, requestId: string): Promise<{ token: IssuedToken; applicantId: string }> {
    const exchanged = await this.departments.identity.exchangeCode(code, {
      requestId,
      // The code itself never travels as a header: its digest keys the exchange.
      idempotencyKey: `code-${createHash('sha256').update(code).digest('hex').slice(0, 48)}`,
    });
    if (exchanged.kind === 'refused') throw new AppError('SIGN_IN_CODE_INVALID');
    if (exchanged.kind === 'failed')
      throw new AppError('DEPARTMENT_UNAVAILABLE', `统一身份认证平台暂时不可用，请稍后再试（${exchanged.reason}）`);
    const record = await this.record(exchanged.value.person);
    return { token: this.tokens.issueCitizenToken(record.applicantId), applicantId: record.applicantId };
  }

  /**
   * The person's applicant record, made from what the identity platform
   * says of them on their first visit and refreshed on every later one (the app's sign-in and the
   * window's ID reading find the same record).
   */
  async record(person: IdentityPerson): Promise<ApplicantRecord> {
    const applicant: Applicant = {
      name: person.name,
      idNumber: person.idNumber,
      sex: person.sex,
      birthDate: person.birthDate,
      ethnicity: person.ethnicity,
      phone: person.phone,
      household: person.household,
      ...(person.residencePermit ? { residencePermit: person.residencePermit } : {}),
      photo: { contentType: person.photo.contentType, base64: person.photo.base64 },
    };
    const idNumberHash = this.cipher.lookupHash('idNumber', applicant.idNumber);
    const fields = {
      sealed: this.cipher.encryptJson(applicant),
      phoneHash: this.cipher.lookupHash('phone', applicant.phone),
      nameMasked: maskName(applicant.name),
      training: person.training === true,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = await this.keys.findById(idNumberHash).lean();
      if (key) {
        const found = await this.applicants
          .findOneAndUpdate({ _id: key.applicantId }, { $set: fields }, { new: true })
          .lean<ApplicantRecord>();
        if (found) return found;
      }
      try {
        const applicantId = `A${randomBytes(12).toString('hex')}`;
        const created = await this.applicants.create({ _id: applicantId, applicantId, idNumberHash, ...fields });
        await this.noteKey(idNumberHash, applicantId);
        return created.toObject();
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        // Another first visit of the same person won, or one stopped before it
        // wrote the key: find the record the slow way, this once, and key it.
        const found = await this.applicants
          .findOneAndUpdate({ idNumberHash }, { $set: fields }, { new: true })
          .lean<ApplicantRecord>();
        if (found) {
          await this.noteKey(idNumberHash, found.applicantId);
          return found;
        }
      }
    }
    throw new Error('could not record the applicant');
  }

  private async noteKey(idNumberHash: string, applicantId: string): Promise<void> {
    try {
      await this.keys.create({ _id: idNumberHash, applicantId, createdAt: new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  async load(applicantId: string): Promise<{ record: ApplicantRecord; applicant: Applicant }> {
    const record = await this.applicants.findById(applicantId).lean<ApplicantRecord>();
    if (!record) throw new AppError('UNAUTHENTICATED');
    return { record, applicant: this.cipher.decryptJson<Applicant>(record.sealed) };
  }

  /**
   * Remembers the person's newest case, so their progress and messages are
   * found by key; the draft has become the case and goes (one write for both).
   */
  async noteCase(applicantId: string, caseNo: string, known?: string): Promise<void> {
    if (known === caseNo) return;
    await this.applicants.updateOne(
      { _id: applicantId, caseNos: { $ne: caseNo } },
      { $set: { latestCaseNo: caseNo }, $push: { caseNos: caseNo }, $unset: { draftSealed: 1, draftSavedAt: 1 } },
    );
  }

  /**
   * The phone the identity platform holds for the person, whole: to the
   * person themself only, to prefill the card's recipient phone (the data they
   * confirm on screen stays masked).
   */
  async ownPhone(applicantId: string): Promise<string> {
    const { applicant } = await this.load(applicantId);
    return applicant.phone;
  }

  /** Where the person stands for a submission now (the server's clock); with a margin, for taking money. */
  async submissionCheck(applicantId: string, marginMs = 0): Promise<SubmissionCheckView> {
    const { record } = await this.load(applicantId);
    return checkSubmission(submissionFacts(record), Date.now(), marginMs);
  }

  /** What the citizen confirms: their own data, with the ID number and phone partly hidden. */
  async me(applicantId: string): Promise<MeView> {
    const { record, applicant } = await this.load(applicantId);
    return {
      name: applicant.name,
      idNumber: maskIdNumber(applicant.idNumber),
      phone: maskPhone(applicant.phone),
      sex: applicant.sex === 'male' ? '男' : '女',
      birthDate: applicant.birthDate,
      ethnicity: applicant.ethnicity,
      household: applicant.household,
      ...(applicant.residencePermit ? { residencePermit: applicant.residencePermit } : {}),
      hasPhoto: Boolean(applicant.photo),
      ...(record.faceCheck
        ? {
            faceCheck: {
              passed: record.faceCheck.passed,
              checkId: record.faceCheck.checkId,
              checkedAt: new Date(record.faceCheck.checkedAt).toISOString(),
              ...(record.faceCheck.reason ? { reason: record.faceCheck.reason } : {}),
              // A passed check lapses: the page must not say "passed" when the submission would refuse it.
              current: checkSubmission(submissionFacts(record), Date.now()).faceCheck.state === 'passed',
            },
          }
        : {}),
    };
  }

  /**
   * The face (liveness) check against the identity platform's certified photo.
   * With the host face SDK's result token (mini-program), the platform confirms
   * that token for this person instead; without it, it compares on its own.
   */
  async faceCheck(
    applicantId: string,
    requestId: string,
    attemptKey: string,
    verifyResult?: string,
  ): Promise<FaceCheckView> {
    // 1. ask the platform; a repeat of this attempt is the same call, a new token a new one
    const { applicant } = await this.load(applicantId);
    const tokenPart = verifyResult ? `-${createHash('sha256').update(verifyResult).digest('hex').slice(0, 16)}` : '';
    const result = await this.departments.identity.faceCheck(
      applicant.idNumber,
      { requestId, idempotencyKey: `face-${applicantId}-${attemptKey}${tokenPart}` },
      verifyResult,
    );
    if (result.kind === 'failed') throw new AppError('DEPARTMENT_UNAVAILABLE', `人脸核验服务暂时不可用，请稍后再试`);
    // A refused token (forged, used, expired, someone else's) comes back with the platform's reason.
    if (result.kind === 'refused') throw new AppError('FACE_CHECK_UNAVAILABLE', result.message);
    if (result.value.idNumber !== applicant.idNumber) {
      throw new AppError('FACE_CHECK_UNAVAILABLE', '人脸核验结果与办事人不一致，请本人重新进行人脸核验');
    }

    // 2. keep the outcome with the applicant: the submission checks it there
    const faceCheck = {
      checkId: result.value.checkId,
      passed: result.value.passed,
      checkedAt: new Date(),
      ...(result.value.reason ? { reason: result.value.reason } : {}),
    };
    await this.applicants.updateOne({ _id: applicantId }, { $set: { faceCheck } });
    return {
      checkId: faceCheck.checkId,
      passed: faceCheck.passed,
      ...(faceCheck.reason ? { reason: faceCheck.reason } : {}),
    };
  }
}

/** The facts the submission rule needs, from the applicant's record. */
export function submissionFacts(record: ApplicantRecord): SubmissionFacts {
  return {
    ...(record.eligibility
      ? { eligibility: { checkedAt: record.eligibility.checkedAt, eligible: record.eligibility.verdict.eligible } }
      : {}),
    ...(record.faceCheck ? { faceCheck: record.faceCheck } : {}),
  };
}
