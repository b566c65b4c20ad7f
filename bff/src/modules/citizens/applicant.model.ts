// The applicant (申请人): a person who signed in through the host app. What
// the identity platform shared is sealed; the keyed ID-number hash finds the
// same person again on the next sign-in, on any device.
import type { EligibilityAnswers } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';
import type { StoredVerdict } from '../eligibility/stored-verdict';

export interface ApplicantRecord {
  /** The applicant id again: FerretDB finds documents without a scan only by `_id`. */
  _id: string;
  applicantId: string;
  idNumberHash: string;
  phoneHash: string;
  /** AES-GCM sealed `Applicant` (name, ID number, phone, household, photo, …). */
  sealed: string;
  nameMasked: string;
  /** A training person (培训人员), as the identity platform says; absent on records made before it said so. */
  training?: boolean;
  /**
   * Latest eligibility check, so the submission need not ask the departments again; the verdict
   * without the rule set's own texts (eligibility/stored-verdict.ts: `verdictOf` reads it whole).
   */
  eligibility?: { answers: EligibilityAnswers; verdict: StoredVerdict; checkedAt: Date };
  faceCheck?: { checkId: string; passed: boolean; reason?: string; checkedAt: Date };
  /** Sealed draft of the one form. */
  draftSealed?: string;
  draftSavedAt?: Date;
  /** The newest case of this person (not a training one): their progress and messages. */
  latestCaseNo?: string;
  /** All their cases, oldest first (the timeline of each is their in-app messages). */
  caseNos?: string[];
  /** When they last marked their messages read. */
  messagesReadAt?: Date;
  /** Channels of the messages outside the app they switched off (absent: on); notification-settings.ts. */
  notificationChannels?: { sms?: boolean; subscription?: boolean };
  createdAt: Date;
  updatedAt: Date;
}

const applicantSchema = new Schema<ApplicantRecord>(
  {
    _id: { type: String, required: true },
    applicantId: { type: String, required: true },
    idNumberHash: { type: String, required: true },
    phoneHash: { type: String, required: true },
    sealed: { type: String, required: true },
    nameMasked: { type: String, required: true },
    training: Boolean,
    eligibility: { type: Schema.Types.Mixed, required: false },
    faceCheck: { type: Schema.Types.Mixed, required: false },
    draftSealed: String,
    draftSavedAt: Date,
    latestCaseNo: String,
    caseNos: { type: [String], default: undefined },
    messagesReadAt: Date,
    notificationChannels: { sms: Boolean, subscription: Boolean },
  },
  { collection: 'applicants', timestamps: true, versionKey: false },
);
applicantSchema.index({ applicantId: 1 }, { unique: true });
applicantSchema.index({ idNumberHash: 1 }, { unique: true });

export type ApplicantModel = Model<ApplicantRecord>;

export function applicantModel(db: Connection): ApplicantModel {
  return (db.models.Applicant as ApplicantModel | undefined) ?? db.model<ApplicantRecord>('Applicant', applicantSchema);
}
