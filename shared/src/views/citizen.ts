/**
 * What the BFF answers the citizen's app (bff/src/modules/{citizens,
 * applications,messages,drafts,postage,problems,certificates,notice,
 * eligibility}), one declaration per reply. Personal data is partly hidden
 * unless said otherwise. Types only.
 */
import type { Applicant, ApplicationDraft } from '../application';
import type { MatterStage, MatterState } from '../case-states';
import type { LastEligibility } from '../eligibility-rules';
import type { ManifestEntry, ManifestRecipient } from '../manifest';
import type { MatterId } from '../matters';
import type { Notice } from '../notice';
import type { CaseCertificate, CasePostage, CaseStatus, CaseTimelineEntry, Channel } from './common';

/** GET /api/auth/sign-in-url (H5): the identity platform's sign-in page. */
export interface SignInUrlReply {
  url: string;
}

/** POST /api/auth/sessions: our own token for the citizen. */
export interface CitizenSessionReply {
  token: string;
  expiresAt: string;
}

/** GET /api/notice: the one notice and the data-sharing manifest. */
export interface NoticeReply {
  notice: Notice;
  manifest: Readonly<Record<ManifestRecipient, ManifestEntry>>;
}

/** GET /api/me: the person's own real-name data, to confirm; ID number and phone partly hidden (110105********123X). */
export interface MeView {
  name: string;
  idNumber: string;
  phone: string;
  sex: '男' | '女';
  birthDate: string;
  ethnicity: string;
  household: Applicant['household'];
  residencePermit?: NonNullable<Applicant['residencePermit']>;
  hasPhoto: boolean;
  /** The last face check; `current` while it can still be used for a submission (30 minutes). */
  faceCheck?: { passed: boolean; reason?: string; checkedAt: string; checkId: string; current: boolean };
}

/** GET /api/me/phone: the registered phone, whole, to the person themself only. */
export interface OwnPhoneReply {
  phone: string;
}

/** GET /api/eligibility: the last check while it stands. */
export interface LastEligibilityReply {
  eligibility: LastEligibility | null;
}

/** GET /api/drafts/current: the saved draft, or nulls when there is none. */
export interface DraftView {
  draft: ApplicationDraft | null;
  savedAt: string | null;
}

/** PUT /api/drafts/current: the draft as kept, and when. */
export interface SavedDraftView {
  draft: ApplicationDraft;
  savedAt: string;
}

/** One matter of the citizen's case (within CaseView). */
export interface MatterView {
  id: MatterId;
  name: string;
  department: string;
  state: MatterState;
  stateLabel: string;
  explanation: string;
  /** The stage a progress bar shows; null outside the four stages. */
  stage: MatterStage | null;
  cause?: string;
  refs: Record<string, string>;
  result?: Record<string, unknown>;
  attempts: number;
  updatedAt: string;
}

/**
 * POST /api/applications, GET /api/applications/:caseNo, POST …/premium-payment,
 * POST …/rating: the case as the applicant sees it (their name masked).
 */
export interface CaseView {
  caseNo: string;
  status: CaseStatus;
  statusLabel: string;
  applicantName: string;
  channel: Channel;
  createdAt: string;
  completedAt?: string;
  offlineNotes: string[];
  postage?: CasePostage;
  matters: MatterView[];
  timeline: CaseTimelineEntry[];
  certificate?: CaseCertificate;
  rating?: { score: number; comment?: string };
}

/** GET /api/applications/current: the person's latest case, if any. */
export interface CurrentCaseReply {
  application: CaseView | null;
}

/** One in-app message (within MessageList). */
export interface MessageView {
  id: string;
  caseNo: string;
  text: string;
  createdAt: string;
  read: boolean;
}

/** GET /api/messages: newest first. */
export interface MessageList {
  messages: MessageView[];
}

/** POST /api/messages/read: how many were unread. */
export interface MessagesMarkedRead {
  marked: number;
}

/** POST /api/problems: what the citizen gets back after reporting a problem. */
export interface ReportReceipt {
  problemId: string;
  deadline: string;
  message: string;
}

/** GET /api/certificates/:code (public): a masked summary of a completed case. */
export interface VerificationView {
  valid: true;
  caseNo: string;
  applicant: { name: string; idNumber: string };
  completedAt: string;
  matters: { name: string; outcome: string }[];
}

/** Which channels of the messages outside the app the citizen has on (GET/PUT /api/me/notification-settings). */
export interface NotificationSettingsView {
  /** 短信, to the phone of the real-name record. */
  sms: boolean;
  /** “我的宁夏”订阅消息. */
  subscription: boolean;
}
