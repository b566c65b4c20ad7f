// What the BFF's staff endpoints answer (bff/src/modules/{staff,audit,supervision,problems}),
// as the staff pages read it. Personal data arrives masked unless revealed.
import type { MatterId } from '@flexins/shared';

export type StaffRole = 'windowClerk' | 'agent' | 'supervisor';

export interface StaffProfile {
  staffId: string;
  name: string;
  role: StaffRole;
  roleLabel: string;
  regionCode: string;
  regionName: string;
  training: boolean;
}

export interface SignInReply {
  token: string;
  expiresAt: string;
  staff: StaffProfile;
}

export interface WindowVisit {
  visitId: string;
  expiresAt: string;
  training: boolean;
  person: {
    name: string;
    idNumber: string;
    phone: string;
    sex: string;
    birthDate: string;
    ethnicity: string;
    household: { regionCode: string; regionName?: string };
    residencePermit?: { regionCode: string; regionName?: string; validUntil: string };
  };
}

export interface FaceCheckReply {
  checkId: string;
  passed: boolean;
  reason?: string;
}

export interface PostageOrder {
  orderId: string;
  amountFen: number;
  status: 'created' | 'paid' | 'refunded' | 'closed';
  cashierUrl: string;
  paidAt?: string;
}

export type Channel = 'app' | 'window';

export interface CaseSummary {
  caseNo: string;
  status: 'processing' | 'awaitingPayment' | 'completed';
  statusLabel: string;
  applicantName: string;
  idNumber: string;
  phone: string;
  regionCode: string;
  regionName: string;
  channel: Channel;
  training: boolean;
  createdAt: string;
  attention: { manual: number; rejected: number };
}

export interface StaffMatter {
  id: MatterId;
  name: string;
  department: string;
  state: string;
  stateLabel: string;
  cause?: string;
  lastError?: string;
  attempts: number;
  refs: Record<string, string>;
  updatedAt: string;
  canRetry: boolean;
  canSettle: boolean;
}

export type RevealField = 'name' | 'idNumber' | 'phone' | 'mailingAddress';

export interface StaffCase extends CaseSummary {
  clerkId?: string;
  employmentType: string;
  completedAt?: string;
  offlineNotes: string[];
  postage?: { amountFen: number; paid: boolean; refunded: boolean; refundNo?: string };
  matters: StaffMatter[];
  timeline: { at: string; matter?: string; text: string }[];
  certificate?: { code: string; issuedAt: string };
  rating?: { score: number; comment?: string; ratedAt: string };
  notes: { at: string; staffId: string; role: string; text: string }[];
  revealable: RevealField[];
}

export interface Revealed {
  field: RevealField;
  label: string;
  value: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  staffId: string;
  role: StaffRole;
  regionCode: string;
  training: boolean;
  action: string;
  actionLabel: string;
  caseNo?: string;
  target?: string;
  reason?: string;
  detail?: string;
  hash: string;
}

export type ChainCheck =
  | { intact: true; checked: number; lastSeq: number }
  | { intact: false; checked: number; brokenAt: number; problem: string };

export interface Figures {
  applications: number;
  completed: number;
  manual: number;
  rejected: number;
}

export interface Problem {
  problemId: string;
  source: 'rating' | 'report';
  sourceLabel: string;
  caseNo?: string;
  regionCode?: string;
  regionName?: string;
  category: string;
  categoryLabel: string;
  text: string;
  score?: number;
  status: ProblemStatus;
  statusLabel: string;
  owner?: string;
  deadline: string;
  overdue: boolean;
  fix?: string;
  training: boolean;
  createdAt: string;
  resolvedAt?: string;
}

export type ProblemStatus = 'open' | 'inProgress' | 'resolved';

export interface ProblemList {
  items: Problem[];
  total: number;
  overdue: number;
}

export interface Dashboard {
  regionCode: string;
  regionName: string;
  from: string | null;
  to: string | null;
  totals: Figures;
  byChannel: (Figures & { channel: Channel; label: string })[];
  byRegion: (Figures & { regionCode: string; regionName: string })[];
  byMatter: { matter: MatterId; name: string; done: number; manual: number; rejected: number }[];
  timeToComplete: {
    completed: number;
    medianSeconds: number | null;
    p95Seconds: number | null;
    buckets: { upToSeconds: number | null; count: number }[];
  };
  failureReasons: { reason: string; count: number }[];
  ratings: { count: number; average: number | null; byScore: Record<'1' | '2' | '3' | '4' | '5', number>; bad: number };
  followUps: { total: number; overdue: number; items: Problem[] };
}
