// Which timeline entries become a message outside the app, and what each
// says. Pure: the same entry of the same case always gives the same message
// (the gateway refuses a repeated key with another text), so the facts come
// from what does not change once the entry is written.
import {
  HRSS_CARD_CARRIER,
  NOTIFICATION_TEMPLATES,
  assessedPremium,
  type NotificationFacts,
  type NotificationKind,
  type TaxAssessment,
} from '@flexins/shared';
import type { ApplicationCase, CaseEvent } from '../applications/application.model';

export interface PlannedMessage {
  kind: NotificationKind;
  facts: NotificationFacts;
  urgent: boolean;
}

/**
 * The kind of message an entry makes, or null: most entries (under review,
 * retrying, producing) are told in the app only. Entries without a matter are
 * the submission's, written with the case (the first, then one per offline
 * note), and the completion's (processing/engine.ts), which is the only one after them.
 */
export function kindOf(
  caseDoc: Pick<ApplicationCase, 'offlineNotes'>,
  event: CaseEvent,
  index: number,
): NotificationKind | null {
  if (!event.matter) {
    if (index === 0) return 'caseAccepted';
    return index > (caseDoc.offlineNotes?.length ?? 0) ? 'ratingInvite' : null;
  }
  if (event.kind === 'cardPosted') return 'cardPosted';
  if (event.matter === 'premiumDeclaration') {
    if (event.state === 'decided') return 'premiumDue';
    if (event.state === 'delivered') return 'premiumPaid';
  }
  if (event.state === 'delivered') return 'matterDone';
  if (event.state === 'rejected') return 'matterRefused';
  return null;
}

interface PremiumResult {
  assessment?: TaxAssessment;
  periodStart?: string;
  periodEnd?: string;
  paymentDeadline?: string;
}

/** The message of entry `index` of the case, or null. */
export function messageFor(caseDoc: ApplicationCase, index: number): PlannedMessage | null {
  const event = caseDoc.events[index];
  if (!event) return null;
  const kind = kindOf(caseDoc, event, index);
  if (!kind) return null;
  const facts: NotificationFacts = { nameMasked: caseDoc.nameMasked, caseNo: caseDoc.caseNo };
  if (event.matter) facts.matter = event.matter;
  const premium = caseDoc.matters.premiumDeclaration;
  const result = (premium.result ?? {}) as PremiumResult;
  switch (kind) {
    case 'matterRefused':
      facts.reason = caseDoc.matters[event.matter!]?.cause ?? '';
      break;
    case 'cardPosted':
      facts.carrier = HRSS_CARD_CARRIER;
      if (event.ref) facts.trackingNo = event.ref;
      break;
    case 'premiumDue':
      if (result.assessment) {
        facts.amountFen = result.assessment.totalFen;
        if (result.periodStart && result.periodEnd) {
          facts.months = assessedPremium(result.assessment, result.periodStart, result.periodEnd).months;
        }
      }
      if (result.paymentDeadline) facts.payBy = result.paymentDeadline;
      break;
    case 'premiumPaid':
      if (result.assessment) facts.amountFen = result.assessment.totalFen;
      if (premium.refs?.receiptNo) facts.receiptNo = premium.refs.receiptNo;
      break;
    default:
      break;
  }
  return { kind, facts, urgent: NOTIFICATION_TEMPLATES[kind].urgent };
}
