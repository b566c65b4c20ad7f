// What leaves the server about a case, for the applicant: states with their
// plain-Chinese labels, department numbers and results, the timeline. No
// full personal data: the case view shows only the masked name.
import {
  CASE_STATUS_LABELS,
  DEPARTMENT_NAMES,
  MATTERS,
  matterStateInfo,
  type CaseCertificate,
  type CasePostage,
  type CaseView,
  type MatterId,
} from '@flexins/shared';
import { eventText, type ApplicationCase } from './application.model';

export const MATTER_NAMES = Object.fromEntries(MATTERS.map((m) => [m.id, m.name])) as Record<MatterId, string>;

/** The postage as both the citizen and staff see it (no order number: it is the payment system's). */
export function postageView(caseDoc: ApplicationCase): { postage?: CasePostage } {
  const postage = caseDoc.postage;
  if (!postage) return {};
  const refundNo = postage.refund?.refundNo;
  return {
    postage: {
      amountFen: postage.amountFen,
      paid: Boolean(postage.paidAt),
      refunded: Boolean(refundNo),
      ...(refundNo ? { refundNo } : {}),
    },
  };
}

export function certificateView(caseDoc: ApplicationCase): { certificate?: CaseCertificate } {
  if (!caseDoc.certificate) return {};
  return {
    certificate: { code: caseDoc.certificate.code, issuedAt: new Date(caseDoc.certificate.issuedAt).toISOString() },
  };
}

export function toCaseView(caseDoc: ApplicationCase): CaseView {
  return {
    caseNo: caseDoc.caseNo,
    status: caseDoc.status,
    statusLabel: CASE_STATUS_LABELS[caseDoc.status],
    applicantName: caseDoc.nameMasked,
    channel: caseDoc.channel,
    createdAt: new Date(caseDoc.createdAt).toISOString(),
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
        explanation: info.explanation,
        stage: info.stage,
        ...(record.cause ? { cause: record.cause } : {}),
        refs: record.refs ?? {},
        ...(record.result ? { result: record.result } : {}),
        attempts: record.attempts,
        updatedAt: new Date(record.updatedAt).toISOString(),
      };
    }),
    timeline: (caseDoc.events ?? []).map((e) => ({
      at: new Date(e.at).toISOString(),
      ...(e.matter ? { matter: MATTER_NAMES[e.matter] } : {}),
      text: eventText(e),
    })),
    ...certificateView(caseDoc),
    ...(caseDoc.rating
      ? {
          rating: {
            score: caseDoc.rating.score,
            ...(caseDoc.rating.comment ? { comment: caseDoc.rating.comment } : {}),
          },
        }
      : {}),
  };
}
