// The six matters as durable steps (业务联动办理): what each sends to its
// department, built only from that department's manifest fields, and what
// it keeps from the answer. Every call carries a stable idempotency key, so
// a step can run again after any crash without doing the work twice.
import {
  ARCHIVE_LOCATION_LABELS,
  MATTERS,
  matterById,
  pickForDepartment,
  type ApplicationData,
  type MatterId,
} from '@flexins/shared';
import type { CallMeta, Departments, DeptResult } from '../../departments';
import type { ApplicationCase } from '../applications/application.model';

export type StepOutcome =
  | {
      kind: 'done';
      refs: Record<string, string>;
      result?: Record<string, unknown>;
      /** `decided` when the citizen still has something to do (pay the first premium). */
      state: 'delivered' | 'decided';
      text: string;
    }
  | { kind: 'refused'; reason: string; code: string }
  | { kind: 'failed'; reason: string };

export interface StepContext {
  caseDoc: ApplicationCase;
  data: ApplicationData;
  departments: Departments;
  requestId: string;
}

export interface Step {
  matter: MatterId;
  dependsOn: readonly MatterId[];
  run(ctx: StepContext): Promise<StepOutcome>;
}

/** The key that makes one department call of one case safe to repeat. */
export function callKey(caseNo: string, call: string): string {
  return `${caseNo}:${call}`;
}

function meta(ctx: StepContext, call: string): CallMeta {
  return { requestId: ctx.requestId, idempotencyKey: callKey(ctx.caseDoc.caseNo, call) };
}

/**
 * A department that says "already registered" for this person answers a
 * repeat of our own earlier call (a lost reply retried under a new key, or a
 * record made before): take its existing number as the result.
 */
function existing<T>(result: DeptResult<T>, detailKey: string): DeptResult<T> | { kind: 'existing'; number: string } {
  if (result.kind === 'refused' && /^ALREADY_/.test(result.code) && typeof result.details?.[detailKey] === 'string') {
    return { kind: 'existing', number: result.details[detailKey] as string };
  }
  return result;
}

function notDone(
  result: { kind: 'refused'; code: string; message: string } | { kind: 'failed'; reason: string },
): StepOutcome {
  return result.kind === 'refused'
    ? { kind: 'refused', code: result.code, reason: result.message }
    : { kind: 'failed', reason: result.reason };
}

function employmentNo(ctx: StepContext): string {
  const no = ctx.caseDoc.matters.employmentRegistration.refs.registrationNo;
  if (!no) throw new Error(`case ${ctx.caseDoc.caseNo}: employment registration has no number yet`);
  return no;
}

const employmentRegistration: Step = {
  matter: 'employmentRegistration',
  dependsOn: matterById('employmentRegistration').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('hrss', ctx.data) as ApplicationData;
    const result = existing(
      await ctx.departments.hrss.registerEmployment(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          employmentType: d.employment.type,
          startDate: d.employment.startDate,
          residenceRegionCode: d.residenceRegionCode,
        },
        meta(ctx, 'employmentRegistration'),
      ),
      'registrationNo',
    );
    if (result.kind === 'existing') {
      return {
        kind: 'done',
        state: 'delivered',
        refs: { registrationNo: result.number },
        text: `已办理就业登记（登记号 ${result.number}）`,
      };
    }
    if (result.kind !== 'done') return notDone(result);
    return {
      kind: 'done',
      state: 'delivered',
      refs: { registrationNo: result.value.registrationNo },
      text: `就业登记已办结，登记号 ${result.value.registrationNo}`,
    };
  },
};

const archiveTransfer: Step = {
  matter: 'archiveTransfer',
  dependsOn: matterById('archiveTransfer').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('hrss', ctx.data) as ApplicationData;
    const where = ARCHIVE_LOCATION_LABELS[d.archive.location];
    const result = existing(
      await ctx.departments.hrss.transferArchive(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          employmentRegistrationNo: employmentNo(ctx),
          currentLocation: where,
          ...(d.archive.detail ? { holdingUnit: d.archive.detail } : {}),
          receivingRegionCode: d.residenceRegionCode,
        },
        meta(ctx, 'archiveTransfer'),
      ),
      'transferLetterNo',
    );
    if (result.kind === 'existing') {
      return {
        kind: 'done',
        state: 'delivered',
        refs: { transferLetterNo: result.number },
        text: `档案转递已受理（转递函 ${result.number}）`,
      };
    }
    if (result.kind !== 'done') return notDone(result);
    const v = result.value;
    return {
      kind: 'done',
      state: 'delivered',
      refs: { transferLetterNo: v.transferLetterNo },
      result: { receivingCentre: v.receivingCentre, ...(v.note ? { note: v.note } : {}) },
      text: `档案转递已办结，转递函编号 ${v.transferLetterNo}，接收单位 ${v.receivingCentre}`,
    };
  },
};

const pensionRegistration: Step = {
  matter: 'pensionRegistration',
  dependsOn: matterById('pensionRegistration').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('hrss', ctx.data) as ApplicationData;
    const result = existing(
      await ctx.departments.hrss.registerPension(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          employmentRegistrationNo: employmentNo(ctx),
          baseGradePercent: d.pension.baseGradePercent,
          residenceRegionCode: d.residenceRegionCode,
        },
        meta(ctx, 'pensionRegistration'),
      ),
      'pensionRegistrationNo',
    );
    if (result.kind === 'existing') {
      return {
        kind: 'done',
        state: 'delivered',
        refs: { pensionRegistrationNo: result.number },
        text: `已办理养老保险登记（${result.number}）`,
      };
    }
    if (result.kind !== 'done') return notDone(result);
    const v = result.value;
    return {
      kind: 'done',
      state: 'delivered',
      refs: { pensionRegistrationNo: v.pensionRegistrationNo, personalRecordNo: v.personalRecordNo },
      result: { baseFen: v.baseFen, monthlyPensionFen: v.monthlyPensionFen },
      text: `社会保险登记已办结，登记号 ${v.pensionRegistrationNo}`,
    };
  },
};

const socialSecurityCard: Step = {
  matter: 'socialSecurityCard',
  dependsOn: matterById('socialSecurityCard').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('hrss', ctx.data) as ApplicationData;
    if (!d.card || !d.applicant.photo || !ctx.caseDoc.postage) {
      return {
        kind: 'refused',
        code: 'CARD_DATA_MISSING',
        reason: '缺少社保卡申领所需的信息（照片、开户银行、邮寄地址或邮寄费订单）',
      };
    }
    const result = existing(
      await ctx.departments.hrss.applyForCard(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          photo: { contentType: d.applicant.photo.contentType, base64: d.applicant.photo.base64 },
          issuingBank: d.card.issuingBank,
          mailingAddress: d.card.mailingAddress,
          postageOrderId: ctx.caseDoc.postage.orderId,
        },
        meta(ctx, 'socialSecurityCard'),
      ),
      'cardApplicationNo',
    );
    if (result.kind === 'existing') {
      return {
        kind: 'done',
        state: 'delivered',
        refs: { cardApplicationNo: result.number },
        text: `社保卡申领已受理（${result.number}）`,
      };
    }
    if (result.kind !== 'done') return notDone(result);
    const v = result.value;
    return {
      kind: 'done',
      state: 'delivered',
      refs: { cardApplicationNo: v.cardApplicationNo, eCardNo: v.electronicCard.eCardNo },
      result: { electronicCard: v.electronicCard, cardStatus: v.status },
      text: `社保卡申领已办结，申领号 ${v.cardApplicationNo}，电子社保卡已签发；实体卡制作后邮寄`,
    };
  },
};

const medicalRegistration: Step = {
  matter: 'medicalRegistration',
  dependsOn: matterById('medicalRegistration').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('medical', ctx.data) as ApplicationData;
    const result = existing(
      await ctx.departments.medical.register(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          employmentType: d.employment.type,
          employmentRegistrationNo: employmentNo(ctx),
          residenceRegionCode: d.residenceRegionCode,
        },
        meta(ctx, 'medicalRegistration'),
      ),
      'medicalInsuranceNo',
    );
    if (result.kind === 'existing') {
      return {
        kind: 'done',
        state: 'delivered',
        refs: { medicalInsuranceNo: result.number },
        text: `已办理医疗保险登记（${result.number}）`,
      };
    }
    if (result.kind !== 'done') return notDone(result);
    const v = result.value;
    return {
      kind: 'done',
      state: 'delivered',
      refs: { medicalInsuranceNo: v.medicalInsuranceNo },
      result: { kind: v.kind, coverageStartsOn: v.coverageStartsOn, monthlyMedicalFen: v.monthlyMedicalFen },
      text: `${v.kind === 'change' ? '医疗保险变更登记' : '医疗保险参保登记'}已办结，医保编号 ${v.medicalInsuranceNo}`,
    };
  },
};

const premiumDeclaration: Step = {
  matter: 'premiumDeclaration',
  dependsOn: matterById('premiumDeclaration').dependsOn,
  async run(ctx) {
    const d = pickForDepartment('tax', ctx.data) as ApplicationData;
    const m = ctx.caseDoc.matters;
    // 1. pass both registrations on to the tax system (信息自动分发)
    const registrations = [
      {
        insurance: 'pension' as const,
        registrationNo: m.pensionRegistration.refs.pensionRegistrationNo,
        baseGradePercent: d.pension.baseGradePercent,
      },
      { insurance: 'medical' as const, registrationNo: m.medicalRegistration.refs.medicalInsuranceNo },
    ];
    for (const registration of registrations) {
      if (!registration.registrationNo) return { kind: 'failed', reason: '前序登记号缺失' };
      const sent = existing(
        await ctx.departments.tax.receiveRegistration(
          {
            idNumber: d.applicant.idNumber,
            name: d.applicant.name,
            insurance: registration.insurance,
            registrationNo: registration.registrationNo,
            residenceRegionCode: d.residenceRegionCode,
            ...(registration.baseGradePercent ? { baseGradePercent: registration.baseGradePercent } : {}),
          },
          meta(ctx, `tax-${registration.insurance}`),
        ),
        'taxRecordNo',
      );
      if (sent.kind === 'refused' || sent.kind === 'failed') return notDone(sent);
    }
    // 2. declare normal payments for the chosen period; the tax system assesses
    const declared = existing(
      await ctx.departments.tax.declare(
        {
          idNumber: d.applicant.idNumber,
          name: d.applicant.name,
          paymentType: 'normal',
          periodStart: d.payment.periodStart,
          months: d.payment.months,
        },
        meta(ctx, 'declaration'),
      ),
      'declarationNo',
    );
    if (declared.kind === 'existing') {
      const found = await ctx.departments.tax.declaration(declared.number, meta(ctx, 'declaration-query'));
      if (found.kind !== 'done') return notDone(found);
      return {
        kind: 'done',
        state: found.value.status === 'paid' ? 'delivered' : 'decided',
        refs: { declarationNo: found.value.declarationNo },
        result: {
          assessment: found.value.assessment,
          periodStart: found.value.periodStart,
          periodEnd: found.value.periodEnd,
          paymentDeadline: found.value.paymentDeadline,
        },
        text: `社会保险费已申报核定，申报号 ${found.value.declarationNo}`,
      };
    }
    if (declared.kind !== 'done') return notDone(declared);
    const v = declared.value;
    return {
      kind: 'done',
      state: 'decided',
      refs: { declarationNo: v.declarationNo },
      result: {
        assessment: v.assessment,
        periodStart: v.periodStart,
        periodEnd: v.periodEnd,
        paymentDeadline: v.paymentDeadline,
      },
      text: `社会保险费已申报核定，申报号 ${v.declarationNo}，首期应缴 ${(v.assessment.totalFen / 100).toFixed(2)} 元，请在应用内缴纳`,
    };
  },
};

export const STEPS: Record<MatterId, Step> = {
  employmentRegistration,
  archiveTransfer,
  pensionRegistration,
  socialSecurityCard,
  medicalRegistration,
  premiumDeclaration,
};

/** Matters that depend on `matter`, in the catalogue's order. */
export function dependentsOf(matter: MatterId): MatterId[] {
  return MATTERS.filter((m) => m.dependsOn.includes(matter)).map((m) => m.id);
}
