// Drafts (草稿) of the one form, kept sealed on the server so the citizen can
// stop and go on later, on another device.
import type { ApplicationDraft, DraftView, SavedDraftView } from '@flexins/shared';
import type { FieldCipher } from '../../platform/crypto';
import type { ApplicantModel, ApplicantRecord } from '../citizens/applicant.model';

export class DraftService {
  constructor(
    private readonly applicants: ApplicantModel,
    private readonly cipher: FieldCipher,
  ) {}

  async save(applicantId: string, draft: ApplicationDraft): Promise<SavedDraftView> {
    const savedAt = new Date();
    await this.applicants.updateOne(
      { _id: applicantId },
      { $set: { draftSealed: this.cipher.encryptJson(draft), draftSavedAt: savedAt } },
    );
    return { draft, savedAt: savedAt.toISOString() };
  }

  async load(applicantId: string): Promise<DraftView> {
    const record = await this.applicants.findById(applicantId).lean<ApplicantRecord>();
    if (!record?.draftSealed) return { draft: null, savedAt: null };
    return {
      draft: this.cipher.decryptJson<ApplicationDraft>(record.draftSealed),
      savedAt: record.draftSavedAt ? new Date(record.draftSavedAt).toISOString() : null,
    };
  }
}
