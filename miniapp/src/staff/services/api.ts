// One function per staff endpoint the pages call.
import type {
  ApplicationForm,
  AuditChainCheck,
  AuditEntryList,
  CaseTracking,
  DailySummaryList,
  DailySummaryView,
  Dashboard,
  EligibilityAnswers,
  EligibilityVerdict,
  FaceCheckView,
  PostageView,
  ProblemList,
  ProblemStatus,
  ProblemView,
  RevealedValue,
  RevealField,
  RevealReason,
  StaffCaseList,
  StaffCaseView,
  StaffMeView,
  StaffSignInReply,
  TrainingCleared,
  WindowVisitView,
} from '@flexins/shared';
import { staffRequest } from './http';

const enc = encodeURIComponent;

export interface AuditFilter {
  staffId?: string;
  action?: string;
  caseNo?: string;
  from?: string;
  to?: string;
  before?: string;
}

export type StatsQuery = {
  regionCode?: string;
  from?: string;
  to?: string;
};

export type StatsTable = 'region' | 'matter' | 'channel' | 'month';

export type LookupBy = 'caseNo' | 'idNumber' | 'phone';

export const staffApi = {
  signIn: (username: string, password: string) =>
    staffRequest<StaffSignInReply>('POST', '/api/staff/sessions', { body: { username, password }, anonymous: true }),
  me: () => staffRequest<StaffMeView>('GET', '/api/staff/me'),

  openVisit: (idNumber: string) =>
    staffRequest<WindowVisitView>('POST', '/api/staff/window/visits', { body: { idNumber } }),
  eligibility: (visitId: string, answers: EligibilityAnswers) =>
    staffRequest<EligibilityVerdict>('POST', '/api/staff/window/eligibility', { body: { visitId, answers } }),
  faceCheck: (visitId: string, key: string) =>
    staffRequest<FaceCheckView>('POST', '/api/staff/window/face-checks', {
      body: { visitId },
      headers: { 'idempotency-key': key },
    }),
  orderPostage: (visitId: string) =>
    staffRequest<PostageView>('POST', '/api/staff/window/postage-orders', { body: { visitId } }),
  postageOrder: (visitId: string, orderId: string) =>
    staffRequest<PostageView>('GET', `/api/staff/window/postage-orders/${enc(orderId)}`, { query: { visitId } }),
  submit: (visitId: string, form: ApplicationForm, key: string) =>
    staffRequest<StaffCaseView>('POST', '/api/staff/window/applications', {
      body: { visitId, form },
      headers: { 'idempotency-key': key },
      timeoutMs: 30_000,
    }),

  findCases: (by: LookupBy, value: string) =>
    staffRequest<StaffCaseList>('GET', '/api/staff/cases', { query: { [by]: value } }),
  case: (caseNo: string) => staffRequest<StaffCaseView>('GET', `/api/staff/cases/${enc(caseNo)}`),
  /** The card's post and the archive's transfer, asked of HRSS live; each call is an audited view of the case. */
  tracking: (caseNo: string) => staffRequest<CaseTracking>('GET', `/api/staff/cases/${enc(caseNo)}/tracking`),
  reveal: (caseNo: string, field: RevealField, reason: RevealReason, note?: string) =>
    staffRequest<RevealedValue>('POST', `/api/staff/cases/${enc(caseNo)}/reveals`, {
      body: { field, reason, ...(note ? { note } : {}) },
    }),
  retry: (caseNo: string, matter: string, reason: string) =>
    staffRequest<StaffCaseView>('POST', `/api/staff/cases/${enc(caseNo)}/matters/${enc(matter)}/retries`, {
      body: { reason },
    }),
  addNote: (caseNo: string, text: string) =>
    staffRequest<StaffCaseView>('POST', `/api/staff/cases/${enc(caseNo)}/notes`, { body: { text } }),
  settle: (
    caseNo: string,
    matter: string,
    settlement: { outcome: 'done' | 'rejected'; reference?: string; reason: string },
  ) =>
    staffRequest<StaffCaseView>('POST', `/api/staff/cases/${enc(caseNo)}/matters/${enc(matter)}/settlements`, {
      body: settlement,
    }),

  auditEntries: (filter: AuditFilter, limit = 50) =>
    staffRequest<AuditEntryList>('GET', '/api/staff/audit-entries', {
      query: { ...filter, limit: String(limit) } as Record<string, string | undefined>,
    }),
  exportAudit: (filter: AuditFilter, format: 'csv' | 'json') =>
    staffRequest<string>('GET', '/api/staff/audit-entries/export', {
      query: { ...filter, format } as Record<string, string | undefined>,
      text: true,
      timeoutMs: 60_000,
    }),
  verifyAudit: () =>
    staffRequest<AuditChainCheck>('GET', '/api/staff/audit-entries/verification', { timeoutMs: 60_000 }),

  dashboard: (query: StatsQuery) => staffRequest<Dashboard>('GET', '/api/staff/dashboard', { query }),
  /** The dashboard's figures as a workbook (bytes). */
  exportStatsWorkbook: (query: StatsQuery) =>
    staffRequest<ArrayBuffer>('GET', '/api/staff/dashboard/export', {
      query: { ...query, format: 'xlsx' },
      binary: true,
      timeoutMs: 60_000,
    }),
  exportStatsCsv: (query: StatsQuery, table: StatsTable) =>
    staffRequest<string>('GET', '/api/staff/dashboard/export', {
      query: { ...query, format: 'csv', table },
      text: true,
      timeoutMs: 60_000,
    }),
  exportProblemsWorkbook: () =>
    staffRequest<ArrayBuffer>('GET', '/api/staff/problems/export', {
      query: { format: 'xlsx' },
      binary: true,
      timeoutMs: 60_000,
    }),
  exportProblemsCsv: () =>
    staffRequest<string>('GET', '/api/staff/problems/export', {
      query: { format: 'csv' },
      text: true,
      timeoutMs: 60_000,
    }),
  dailySummaries: (regionCode?: string) =>
    staffRequest<DailySummaryList>('GET', '/api/staff/daily-summaries', { query: { regionCode } }),
  remakeDailySummary: (date: string) =>
    staffRequest<DailySummaryView>('POST', '/api/staff/daily-summaries', { body: { date }, timeoutMs: 60_000 }),
  problems: (query: { status?: string; overdue?: string } = {}) =>
    staffRequest<ProblemList>('GET', '/api/staff/problems', { query }),
  updateProblem: (problemId: string, change: { owner?: string; status?: ProblemStatus; fix?: string }) =>
    staffRequest<ProblemView>('PATCH', `/api/staff/problems/${enc(problemId)}`, { body: change }),
  clearTraining: (regionCode?: string) =>
    staffRequest<TrainingCleared>('POST', '/api/staff/training/clearances', { body: regionCode ? { regionCode } : {} }),
};
