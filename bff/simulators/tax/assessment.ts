// Assessment (核定): what a declaration costs, from the registrations on
// record and CURRENT_POLICY — the same monthlyPremium the mini-app's premium
// calculator uses, so the citizen sees one figure everywhere.
import { CURRENT_POLICY, monthlyPremium } from '@flexins/shared';
import { TAX_RECEIPT_ITEM_NAMES, type TaxAssessment, type TaxReceiptItem } from '@flexins/shared';
import type { InsuranceRegistrationRecord } from './models';

export function assess(
  registrations: { pension?: InsuranceRegistrationRecord; medical?: InsuranceRegistrationRecord },
  months: number,
): TaxAssessment {
  const { pension, medical } = registrations;
  // The medical base does not depend on the grade while it is a fixed share of
  // the average wage; a medical-only payer is quoted at the lowest grade.
  const grade = pension?.baseGradePercent ?? CURRENT_POLICY.pension.value.minBasePercent;
  const premium = monthlyPremium(grade);
  const pensionFen = pension ? premium.pensionFen : 0;
  const medicalFen = medical ? premium.medicalFen : 0;
  const monthlyTotalFen = pensionFen + medicalFen;
  return {
    ...(pension ? { baseGradePercent: grade } : {}),
    baseFen: pension ? premium.baseFen : 0,
    medicalBaseFen: medical ? premium.medicalBaseFen : 0,
    pensionFen,
    medicalFen,
    monthlyTotalFen,
    totalFen: monthlyTotalFen * months,
  };
}

/** The receipt's items: one per insurance assessed, for all the months declared. */
export function receiptItems(assessment: TaxAssessment, months: number): TaxReceiptItem[] {
  const items: TaxReceiptItem[] = [];
  if (assessment.pensionFen > 0) {
    items.push({ name: TAX_RECEIPT_ITEM_NAMES.pension, amountFen: assessment.pensionFen * months });
  }
  if (assessment.medicalFen > 0) {
    items.push({ name: TAX_RECEIPT_ITEM_NAMES.medical, amountFen: assessment.medicalFen * months });
  }
  return items;
}

/** `123456` → `1234.56 元`. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')} 元`;
}
