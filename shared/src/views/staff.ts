/**
 * What the BFF answers the staff pages (bff/src/modules/{staff,audit,
 * supervision,problems}), one declaration per reply. Personal data arrives
 * masked; a full value leaves the server only through a reveal. Types only.
 */
import type { MatterState } from '../case-states';
import type { IdentityStaffRole } from '../contracts/identity';
import type { MatterId } from '../matters';
import type { ProblemCategory } from '../problems';
import type { CaseCertificate, CasePostage, CaseStatus, CaseTimelineEntry, Channel } from './common';

export type StaffRole = IdentityStaffRole;

/** Who is signed in (within StaffSignInReply). */
export interface StaffProfile {
  staffId: string;
  name: string;
  role: StaffRole;
  roleLabel: string;
  regionCode: string;
  regionName: string;
  /** A training account works only with training cases. */
  training: boolean;
}

/** POST /api/staff/sessions. */
export interface StaffSignInReply {
  token: string;
  expiresAt: string;
  staff: StaffProfile;
}

/** GET /api/staff/me: the token's facts (no name: the token does not carry it) and when it lapses. */
export interface StaffMeView extends Omit<StaffProfile, 'name'> {
  expiresAt: string;
}

/** POST /api/staff/window/visits: the person read at the window, masked. */
export interface WindowVisitView {
  visitId: string;
  expiresAt: string;
  training: boolean;
  person: {
    name: string;
    idNumber: string;
    phone: string;
    sex: '男' | '女';
    birthDate: string;
    ethnicity: string;
    household: { regionCode: string; regionName?: string };
    residencePermit?: { regionCode: string; regionName?: string; validUntil: string };
  };
}

/** One case in a look-up (within StaffCaseList); also the head of StaffCaseView. */
export interface StaffCaseSummary {
  caseNo: string;
  status: CaseStatus;
  statusLabel: string;
  applicantName: string;
  idNumber: string;
  phone: string;
  regionCode: string;
  regionName: string;
  channel: Channel;
  training: boolean;
  createdAt: string;
  /** Matters that need staff: in manual handling or refused. */
  attention: { manual: number; rejected: number };
}

/** GET /api/staff/cases?caseNo|idNumber|phone. */
export interface StaffCaseList {
  cases: StaffCaseSummary[];
}

/** One matter of a case as staff see it (within StaffCaseView). */
export interface StaffMatterView {
  id: MatterId;
  name: string;
  department: string;
  state: MatterState;
  stateLabel: string;
  cause?: string;
  lastError?: string;
  attempts: number;
  refs: Record<string, string>;
  updatedAt: string;
  /** What staff may do now. */
  canRetry: boolean;
  canSettle: boolean;
}

/** What a member of staff may reveal in full, with a reason. */
export type RevealField = 'name' | 'idNumber' | 'phone' | 'mailingAddress';

/** What each revealable field is called on the staff screens and in the audit trail. */
export const REVEAL_FIELD_LABELS: Readonly<Record<RevealField, string>> = {
  name: '姓名',
  idNumber: '身份证号',
  phone: '手机号',
  mailingAddress: '社保卡邮寄地址',
};

/** Why a full value is looked at (查看理由): chosen from these, with a note (required for 其他). */
export type RevealReason = 'callerIdentity' | 'business' | 'complaint' | 'other';

export const REVEAL_REASON_LABELS: Readonly<Record<RevealReason, string>> = {
  callerIdentity: '来电核实身份',
  business: '办理业务需要',
  complaint: '投诉处理',
  other: '其他',
};

/** One entry of a case's timeline as staff see it: who it came from (a department, the applicant, a clerk, the system). */
export interface StaffTimelineEntry extends CaseTimelineEntry {
  author: string;
}

/**
 * GET /api/staff/cases/:caseNo, POST …/matters/:matter/retries, POST …/notes,
 * POST …/matters/:matter/settlements, POST /api/staff/window/applications.
 */
export interface StaffCaseView extends StaffCaseSummary {
  clerkId?: string;
  /** The clerk's name, when the staff directory knows it. */
  clerkName?: string;
  employmentType: string;
  completedAt?: string;
  offlineNotes: string[];
  postage?: CasePostage;
  matters: StaffMatterView[];
  timeline: StaffTimelineEntry[];
  certificate?: CaseCertificate;
  rating?: { score: number; comment?: string; ratedAt: string };
  notes: { at: string; staffId: string; staffName?: string; role: StaffRole; text: string }[];
  /** Fields that can be revealed with a reason. */
  revealable: RevealField[];
}

/** POST /api/staff/cases/:caseNo/reveals: one full value. */
export interface RevealedValue {
  field: RevealField;
  label: string;
  value: string;
}

/** What an audit entry records having been done. */
export type AuditAction =
  | 'signIn'
  | 'lookup'
  | 'view'
  | 'reveal'
  | 'retry'
  | 'note'
  | 'settle'
  | 'windowRead'
  | 'windowSubmit'
  | 'problemUpdate'
  | 'clearTraining'
  | 'trainingRefused'
  | 'auditExport'
  | 'statsExport'
  | 'problemExport'
  | 'summaryRecompute';

/** One audit entry (within AuditEntryList). */
export interface AuditEntryView {
  seq: number;
  at: string;
  staffId: string;
  /** From the staff directory (their latest sign-in); absent for an id it does not know. */
  staffName?: string;
  role: StaffRole;
  roleLabel: string;
  regionCode: string;
  training: boolean;
  action: AuditAction;
  actionLabel: string;
  caseNo?: string;
  /** What was acted on: `idNumber:640104********1234`, `phone`, a problem id … */
  target?: string;
  /** The target in words: `手机号`, `身份证号 640104********1234`, a matter's name … */
  targetLabel?: string;
  reason?: string;
  detail?: string;
  hash: string;
}

/** GET /api/staff/audit-entries (newest first), GET /api/staff/audit-entries/export?format=json (oldest first). */
export interface AuditEntryList {
  entries: AuditEntryView[];
}

/** GET /api/staff/audit-entries/verification: the hash chain intact, or where it breaks. */
export type AuditChainCheck =
  | { intact: true; checked: number; lastSeq: number }
  | { intact: false; checked: number; brokenAt: number; problem: string };

export type ProblemStatus = 'open' | 'inProgress' | 'resolved';

/** Where a problem came from: a 1–2 rating, or a citizen's report. */
export type ProblemSource = 'rating' | 'report';

/** One item of the problem list, free text masked (PATCH /api/staff/problems/:problemId; within ProblemList). */
export interface ProblemView {
  problemId: string;
  source: ProblemSource;
  sourceLabel: string;
  caseNo?: string;
  regionCode?: string;
  regionName?: string;
  category: ProblemCategory;
  categoryLabel: string;
  text: string;
  score?: number;
  status: ProblemStatus;
  statusLabel: string;
  owner?: string;
  /** `YYYY-MM-DD`, China time. */
  deadline: string;
  overdue: boolean;
  fix?: string;
  training: boolean;
  createdAt: string;
  resolvedAt?: string;
}

/** GET /api/staff/problems (overdue first); also the dashboard's follow-ups of bad ratings. */
export interface ProblemList {
  items: ProblemView[];
  total: number;
  overdue: number;
}

/** Cases, completed, in manual handling, with a refusal. */
export interface DashboardFigures {
  applications: number;
  completed: number;
  manual: number;
  rejected: number;
  /** 待缴费: the premium declared and assessed, the first premium not yet paid (not completed). */
  awaitingPayment: number;
}

/** Matters done, awaiting the citizen's payment (待缴费, not done), in manual handling, refused. */
export interface MatterFigures {
  done: number;
  awaitingPayment: number;
  manual: number;
  rejected: number;
}

/** GET /api/staff/dashboard. */
export interface Dashboard {
  regionCode: string;
  regionName: string;
  /** Months, `YYYY-MM`, as asked. */
  from: string | null;
  to: string | null;
  totals: DashboardFigures;
  byChannel: (DashboardFigures & { channel: Channel; label: string })[];
  byRegion: (DashboardFigures & { regionCode: string; regionName: string })[];
  byMatter: (MatterFigures & { matter: MatterId; name: string; byChannel: Record<Channel, MatterFigures> })[];
  timeToComplete: {
    completed: number;
    medianSeconds: number | null;
    p95Seconds: number | null;
    buckets: { upToSeconds: number | null; count: number }[];
  };
  failureReasons: { reason: string; count: number }[];
  ratings: { count: number; average: number | null; byScore: Record<'1' | '2' | '3' | '4' | '5', number>; bad: number };
  followUps: ProblemList;
}

/** One day's figures for one region (每日汇总), China time; training cases left out. */
export interface DailySummaryFigures {
  /** Cases submitted that day. */
  received: number;
  receivedByChannel: Record<Channel, number>;
  /** Cases completed (办结) that day, whenever submitted. */
  completed: number;
  /** Of those submitted that day, completed the same day (当日办结). */
  completedSameDay: number;
  /** Matters that went to manual handling that day. */
  manual: number;
  /** Matters refused (不予办理) that day, and why, commonest first. */
  refused: number;
  refusalsByReason: { reason: string; count: number }[];
  /** Ratings given that day. */
  ratings: { count: number; average: number | null; byScore: Record<'1' | '2' | '3' | '4' | '5', number>; bad: number };
}

/** One kept daily summary (within DailySummaryList). */
export interface DailySummaryView extends DailySummaryFigures {
  regionCode: string;
  regionName: string;
  /** `YYYY-MM-DD`, China time. */
  date: string;
  producedAt: string;
  /** `worker` (the scheduled run) or the staff id of a supervisor who had it made again. */
  producedBy: string;
}

/** GET /api/staff/daily-summaries: the last days' summaries, newest first; POST …: the one made again. */
export interface DailySummaryList {
  summaries: DailySummaryView[];
  /** When the worker makes the day before's summary, China time (`HH:MM`). */
  scheduledAt: string;
}

/** POST /api/staff/training/clearances: what was cleared. */
export interface TrainingCleared {
  /** The region cleared (the supervisor's own or one under it). */
  regionCode: string;
  cases: number;
  /** The sealed applicant data of those cases. */
  caseData: number;
  jobs: number;
  followUps: number;
  notes: number;
  problems: number;
  windowVisits: number;
  /** Postage and premium orders of training people. */
  orders: number;
}
