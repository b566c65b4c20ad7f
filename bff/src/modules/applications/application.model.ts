// The case (办件): one per submission of the one form. Personal data is
// sealed (encrypted) in its own document (case-data.model.ts); what staff and
// statistics need is kept here masked, hashed for look-up, or non-personal. Per-matter state is
// a fixed sub-document keyed by matter (FerretDB handles no positional array
// updates), and the timeline is an append-only array.
import { matterById, type CaseStatus, type Channel, type MatterId, type MatterState } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';
import { notifyOnEvents } from '../notifications/case-hook';

export type { CaseStatus, Channel, MatterState } from '@flexins/shared';
export { FINAL_MATTER_STATES } from '@flexins/shared';

export interface MatterRecord {
  state: MatterState;
  /** Why it waits, is handled by a person, or was refused — plain Chinese. */
  cause?: string;
  attempts: number;
  lastError?: string;
  /** Department reference numbers (registrationNo, transferLetterNo, …). */
  refs: Record<string, string>;
  /** Other results worth showing (assessment, electronic card, tracking). */
  result?: Record<string, unknown>;
  updatedAt: Date;
  deliveredAt?: Date;
  /** While retrying: not before this time. */
  retryAt?: Date;
}

export interface CaseEvent {
  at: Date;
  matter?: MatterId;
  state?: MatterState;
  /**
   * What the citizen reads. Absent on the entry of a matter going under review (审核), whose text is
   * always the same (`reviewingText`): read every entry's text with `eventText`.
   */
  text?: string;
  /** What the entry tells, for the messages sent outside the app, where matter and state do not say it. */
  kind?: 'cardPosted';
  /** Its machine-readable reference (the card's mail number). */
  ref?: string;
}

/** The entry of a matter going under review, always the same words: not stored with each entry. */
export function reviewingText(matter: MatterId): string {
  return `${matterById(matter).name}：已受理，正在审核`;
}

/** A timeline entry as it is stored: without its text when that is the matter's under-review text. */
export function storedEvent(event: CaseEvent & { text: string }): CaseEvent {
  if (event.state !== 'reviewing' || !event.matter || event.text !== reviewingText(event.matter)) return event;
  const { text: _text, ...rest } = event;
  return rest;
}

/** The text of a timeline entry, stored or not (`storedEvent`). */
export function eventText(event: CaseEvent): string {
  return event.text ?? (event.matter && event.state === 'reviewing' ? reviewingText(event.matter) : '');
}

export interface ApplicationCase {
  /** The case number again: the one key FerretDB looks up without reading every case. */
  _id: string;
  caseNo: string;
  /** `${applicantId}:${client key}`: a double tap or a retried submission finds the first case. */
  submissionKey: string;
  /** The applicant id while open, `closed:${caseNo}` after: at most one open case per person. */
  openCaseKey: string;
  applicantId: string;
  channel: Channel;
  clerkId?: string;
  /** The window's county when a clerk accepted it: its agents see the case too (the resident's county does). */
  windowRegionCode?: string;
  training: boolean;
  /** Current Ningxia county and city of residence, for routing and statistics. */
  regionCode: string;
  cityCode: string;
  employmentType: string;
  idNumberHash: string;
  phoneHash: string;
  /** The card's recipient phone (收件人手机号), hashed like `phoneHash`, so an agent finds the case by it too. */
  mailingPhoneHash?: string;
  nameMasked: string;
  idNumberMasked: string;
  phoneMasked: string;
  consent: { noticeVersion: string; agreedAt: Date };
  faceCheckId: string;
  postage?: {
    orderId: string;
    amountFen: number;
    paidAt?: Date;
    refund?: { refundNo: string; refundedAt: Date; reason: string };
  };
  /** Matters that go offline, said up front (back payment at an HRSS window). */
  offlineNotes: string[];
  matters: Record<MatterId, MatterRecord>;
  events: CaseEvent[];
  status: CaseStatus;
  certificate?: { code: string; issuedAt: Date };
  /** 好差评: one per case, once it is completed. */
  rating?: { score: number; comment?: string; ratedAt: Date };
  createdAt: Date;
  updatedAt: Date;
  completedAt?: Date;
}

const matterSchema = new Schema<MatterRecord>(
  {
    state: { type: String, required: true },
    cause: String,
    attempts: { type: Number, required: true, default: 0 },
    lastError: String,
    refs: { type: Schema.Types.Mixed, default: {} },
    result: Schema.Types.Mixed,
    updatedAt: { type: Date, required: true },
    deliveredAt: Date,
    retryAt: Date,
  },
  { _id: false, minimize: false },
);

const caseSchema = new Schema<ApplicationCase>(
  {
    _id: { type: String, required: true },
    caseNo: { type: String, required: true },
    submissionKey: { type: String, required: true },
    openCaseKey: { type: String, required: true },
    applicantId: { type: String, required: true },
    channel: { type: String, required: true, enum: ['app', 'window'] },
    clerkId: String,
    windowRegionCode: String,
    training: { type: Boolean, required: true, default: false },
    regionCode: { type: String, required: true },
    cityCode: { type: String, required: true },
    employmentType: { type: String, required: true },
    idNumberHash: { type: String, required: true },
    phoneHash: { type: String, required: true },
    mailingPhoneHash: String,
    nameMasked: { type: String, required: true },
    idNumberMasked: { type: String, required: true },
    phoneMasked: { type: String, required: true },
    consent: { noticeVersion: { type: String, required: true }, agreedAt: { type: Date, required: true } },
    faceCheckId: { type: String, required: true },
    postage: {
      type: new Schema(
        {
          orderId: { type: String, required: true },
          amountFen: { type: Number, required: true },
          paidAt: Date,
          refund: { refundNo: String, refundedAt: Date, reason: String },
        },
        { _id: false },
      ),
      required: false,
    },
    offlineNotes: { type: [String], default: [] },
    matters: {
      employmentRegistration: { type: matterSchema, required: true },
      archiveTransfer: { type: matterSchema, required: true },
      pensionRegistration: { type: matterSchema, required: true },
      socialSecurityCard: { type: matterSchema, required: true },
      medicalRegistration: { type: matterSchema, required: true },
      premiumDeclaration: { type: matterSchema, required: true },
    },
    events: [{ _id: false, at: Date, matter: String, state: String, text: String, kind: String, ref: String }],
    status: { type: String, required: true, enum: ['processing', 'awaitingPayment', 'completed'] },
    certificate: { type: new Schema({ code: String, issuedAt: Date }, { _id: false }), required: false },
    rating: {
      type: new Schema({ score: Number, comment: String, ratedAt: Date }, { _id: false }),
      required: false,
    },
    completedAt: Date,
  },
  { collection: 'cases', timestamps: true, versionKey: false, minimize: false },
);
caseSchema.index({ caseNo: 1 }, { unique: true });
caseSchema.index({ submissionKey: 1 }, { unique: true });
caseSchema.index({ openCaseKey: 1 }, { unique: true });
caseSchema.index({ applicantId: 1, createdAt: -1 });
caseSchema.index({ idNumberHash: 1 });
caseSchema.index({ phoneHash: 1 });
caseSchema.index({ mailingPhoneHash: 1 });
caseSchema.index({ 'certificate.code': 1 });
// Every timeline entry marks the case as having messages to send, in the same write.
notifyOnEvents(caseSchema);

export type CaseModel = Model<ApplicationCase>;

export function caseModel(db: Connection): CaseModel {
  return (db.models.Case as CaseModel | undefined) ?? db.model<ApplicationCase>('Case', caseSchema);
}
