// What a member of staff sees of a case: masked personal data only (name
// `张*`, ID `640104********1234`, phone `138****5678`), each matter's state,
// department reference numbers, attempts and last error, the timeline, the
// channel and the clerk, and the notes. A full value leaves the server only
// through a reveal, which states a reason and is audited.
import {
  CASE_STATUS_LABELS,
  DEPARTMENT_NAMES,
  REVEAL_FIELD_LABELS,
  MATTERS,
  describeRegion,
  matterStateInfo,
  scrubPersonalData,
  type MatterId,
  type RevealField,
  type StaffCaseSummary,
  type StaffCaseView,
} from '@flexins/shared';
import { eventText, type ApplicationCase } from '../applications/application.model';
import { MATTER_NAMES, certificateView, postageView } from '../applications/application.presenter';
import type { CaseNote } from './note.model';

export function toStaffSummary(caseDoc: ApplicationCase): StaffCaseSummary {
  const states = MATTERS.map((m) => caseDoc.matters[m.id]?.state);
  return {
    caseNo: caseDoc.caseNo,
    status: caseDoc.status,
    statusLabel: CASE_STATUS_LABELS[caseDoc.status],
    applicantName: caseDoc.nameMasked,
    idNumber: caseDoc.idNumberMasked,
    phone: caseDoc.phoneMasked,
    regionCode: caseDoc.regionCode,
    regionName: describeRegion(caseDoc.regionCode) ?? caseDoc.regionCode,
    channel: caseDoc.channel,
    training: caseDoc.training,
    createdAt: new Date(caseDoc.createdAt).toISOString(),
    attention: {
      manual: states.filter((s) => s === 'manual').length,
      rejected: states.filter((s) => s === 'rejected').length,
    },
  };
}

const DEPARTMENT_OF = Object.fromEntries(MATTERS.map((m) => [m.id, DEPARTMENT_NAMES[m.department]])) as Record<
  MatterId,
  string
>;

/**
 * Who a timeline entry comes from: a matter's department; the submission, from the applicant
 * in the app or the clerk at the window; anything else (offline notes said up front), the system.
 */
function authorOf(caseDoc: ApplicationCase, index: number, matter: MatterId | undefined, clerk: string | undefined) {
  if (matter) return DEPARTMENT_OF[matter] ?? '系统';
  if (index > 0) return '系统';
  return caseDoc.channel === 'window' ? `窗口 ${clerk ?? ''}`.trim() : '申请人（网上提交）';
}

/** `names`: staff names by id (the staff directory), for the clerk and the notes' authors. */
export function toStaffCaseView(
  caseDoc: ApplicationCase,
  notes: readonly CaseNote[] = [],
  names: ReadonlyMap<string, string> = new Map(),
): StaffCaseView {
  const clerkName = caseDoc.clerkId ? names.get(caseDoc.clerkId) : undefined;
  const clerk = caseDoc.clerkId ? (clerkName ? `${clerkName}（${caseDoc.clerkId}）` : caseDoc.clerkId) : undefined;
  return {
    ...toStaffSummary(caseDoc),
    ...(caseDoc.clerkId ? { clerkId: caseDoc.clerkId } : {}),
    ...(clerkName ? { clerkName } : {}),
    employmentType: caseDoc.employmentType,
    ...(caseDoc.completedAt ? { completedAt: new Date(caseDoc.completedAt).toISOString() } : {}),
    offlineNotes: caseDoc.offlineNotes ?? [],
    ...postageView(caseDoc),
    matters: MATTERS.map(({ id, department }) => {
      const record = caseDoc.matters[id];
      const info = matterStateInfo(record.state);
      return {
        id,
        name: MATTER_NAMES[id],
        department: DEPARTMENT_NAMES[department],
        state: record.state,
        stateLabel: info.label,
        ...(record.cause ? { cause: scrubPersonalData(record.cause) } : {}),
        ...(record.lastError ? { lastError: scrubPersonalData(record.lastError) } : {}),
        attempts: record.attempts,
        refs: record.refs ?? {},
        updatedAt: new Date(record.updatedAt).toISOString(),
        canRetry: record.state === 'manual',
        canSettle: record.state === 'manual',
      };
    }),
    timeline: (caseDoc.events ?? []).map((e, i) => ({
      at: new Date(e.at).toISOString(),
      ...(e.matter ? { matter: MATTER_NAMES[e.matter] } : {}),
      text: scrubPersonalData(eventText(e)),
      author: authorOf(caseDoc, i, e.matter, clerk),
    })),
    ...certificateView(caseDoc),
    ...(caseDoc.rating
      ? {
          rating: {
            score: caseDoc.rating.score,
            ...(caseDoc.rating.comment ? { comment: scrubPersonalData(caseDoc.rating.comment) } : {}),
            ratedAt: new Date(caseDoc.rating.ratedAt).toISOString(),
          },
        }
      : {}),
    notes: notes.map((n) => ({
      at: new Date(n.at).toISOString(),
      staffId: n.staffId,
      ...(names.get(n.staffId) ? { staffName: names.get(n.staffId) } : {}),
      role: n.role,
      text: scrubPersonalData(n.text),
    })),
    revealable: (Object.keys(REVEAL_FIELD_LABELS) as RevealField[]).filter(
      (field) => field !== 'mailingAddress' || Boolean(caseDoc.postage),
    ),
  };
}
