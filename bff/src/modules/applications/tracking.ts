// 办理进度追踪: after the card application and the archive transfer are
// accepted, HRSS goes on (card made, posted, signed for; archive letter,
// transfer, receipt). Nobody is told, so the case is asked about live: one
// place builds the reply from a case for the citizen's and the staff route
// alike. A department that does not answer makes an item "unavailable" with a
// plain message — never a 5xx.
import {
  HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
  HRSS_CARD_APPLICATION_QUERY_REPLY,
  TRACKING_MESSAGES,
  TRACKING_STATUS_NAMES,
  type CaseTracking,
  type HrssProgressEntry,
  type TrackedMatter,
  type TrackingItem,
} from '@flexins/shared';
import { check, type Logger } from '@flexins/shared/server';
import type { CallMeta, Departments, DeptResult } from '../../departments';
import type { ApplicationCase } from './application.model';

/** What went wrong with an item, for the log line (no personal data: the matter and the reason only). */
interface TrackingProblem {
  matter: TrackedMatter;
  reason: string;
}

interface Progress<S extends string> {
  status: S;
  history: HrssProgressEntry<S>[];
  trackingNo?: string;
  carrier?: string;
}

const REPLY_SCHEMAS: Record<TrackedMatter, object> = {
  card: HRSS_CARD_APPLICATION_QUERY_REPLY,
  archive: HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
};

function toItem<S extends string>(
  matter: TrackedMatter,
  number: string,
  result: DeptResult<Progress<S>>,
  problems: TrackingProblem[],
): TrackingItem<S> {
  const unavailable = (reason: string, message: string): TrackingItem<S> => {
    problems.push({ matter, reason });
    return { available: false, number, message };
  };
  if (result.kind === 'failed') return unavailable(result.reason, TRACKING_MESSAGES.unavailable);
  if (result.kind === 'refused') return unavailable(`人社一体化系统答复 ${result.code}`, TRACKING_MESSAGES.notFound);
  // A reply off the contract is as good as none (and must not turn into a 500 here).
  if (!check(REPLY_SCHEMAS[matter], result.value).ok) {
    return unavailable('人社一体化系统的答复不符合接口约定', TRACKING_MESSAGES.unavailable);
  }
  const names = TRACKING_STATUS_NAMES[matter] as Readonly<Record<string, string>>;
  const text = (status: string) => names[status] ?? status;
  const v = result.value;
  return {
    available: true,
    number,
    status: v.status,
    statusText: text(v.status),
    history: v.history.map((h) => ({
      status: h.status,
      statusText: text(h.status),
      at: new Date(h.at).toISOString(),
    })),
    ...(v.trackingNo ? { trackingNo: v.trackingNo, ...(v.carrier ? { carrier: v.carrier } : {}) } : {}),
  };
}

/**
 * Asks HRSS about the card and the archive of this case, both at once; only
 * matters with a number are asked. An item HRSS could not answer for is
 * logged as a warning (with the case number, never personal data).
 */
export async function trackCase(
  departments: Departments,
  caseDoc: ApplicationCase,
  context: { requestId?: string; log?: Logger },
): Promise<CaseTracking> {
  const cardNo = caseDoc.matters.socialSecurityCard?.refs?.cardApplicationNo;
  const letterNo = caseDoc.matters.archiveTransfer?.refs?.transferLetterNo;
  const callMeta: CallMeta = context.requestId ? { requestId: context.requestId } : {};
  const [card, archive] = await Promise.all([
    cardNo ? departments.hrss.cardProgress(cardNo, callMeta) : undefined,
    letterNo ? departments.hrss.archiveProgress(letterNo, callMeta) : undefined,
  ]);
  const problems: TrackingProblem[] = [];
  const tracking: CaseTracking = {
    caseNo: caseDoc.caseNo,
    checkedAt: new Date().toISOString(),
    ...(cardNo && card ? { card: toItem('card', cardNo, card, problems) } : {}),
    ...(letterNo && archive ? { archive: toItem('archive', letterNo, archive, problems) } : {}),
  };
  if (problems.length > 0) context.log?.warn('tracking unavailable', { caseNo: caseDoc.caseNo, problems });
  return tracking;
}
