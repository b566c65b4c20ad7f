// The medical system's refusals (申报条件 2 and 5 of the work plan) with the
// plain-Chinese message that says which rule, why, and what to do instead.
import { chinaToday, provinceName } from '@flexins/shared';
import { MEDICAL_ERRORS, MEDICAL_INSURANCE_LABELS } from '@flexins/shared';
import { errorFactory, type SimError } from '../common/errors';
import type { EnrollmentRecord, RegistrationRecord } from './models';

export const fail = errorFactory(MEDICAL_ERRORS);

const WORK_PLAN = '宁人社发〔2026〕54号 附件2 三';

/** `2020-01-01` → `2020年1月1日`. */
export function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

export function alreadyRegistered(registration: RegistrationRecord): SimError {
  return fail('ALREADY_REGISTERED', {
    message: `您已于${chineseDate(chinaToday(registration.registeredAt))}办理灵活就业人员职工基本医疗保险参保登记（医保登记编号 ${registration.medicalInsuranceNo}），无需重复办理。`,
    details: {
      medicalInsuranceNo: registration.medicalInsuranceNo,
      kind: registration.kind,
      registeredAt: registration.registeredAt.toISOString(),
    },
  });
}

/** Rule 5: only people without employees may join as flexible workers. */
export function employerNotAllowed(): SimError {
  return fail('EMPLOYER_NOT_ALLOWED', {
    message:
      `按照${WORK_PLAN}、5，无雇工的个体工商户、非全日制从业人员和灵活就业人员可以以灵活就业身份参加基本医疗保险；` +
      '有雇工的个体工商户属于用人单位，应以单位身份为本人和雇工办理职工基本医疗保险参保登记，不能在这里以灵活就业身份办理。' +
      '请携带营业执照到当地医保经办窗口办理单位参保登记，咨询电话 12393（医保）或 12333。',
    fields: { employmentType: '有雇工的个体工商户不能以灵活就业身份参加基本医疗保险' },
  });
}

/** What the person has to do to end an enrollment first, by kind. */
const HOW_TO_STOP: Readonly<Record<EnrollmentRecord['insurance'], string>> = {
  employeeMedical: '请先由原工作单位办理减员、停保',
  institutionMedical: '请先由所在单位办理减员、停保',
  residentMedical: '请先到参保地医保经办窗口办理城乡居民医保停保',
  flexibleMedical: '请先到原参保地医保经办窗口办理停保',
};

/** Rule 2: no ongoing medical enrollment of any kind, in any province. */
export function ongoingMedicalInsurance(enrollment: EnrollmentRecord): SimError {
  const province = provinceName(enrollment.provinceCode) ?? `省份代码 ${enrollment.provinceCode}的地区`;
  const label = MEDICAL_INSURANCE_LABELS[enrollment.insurance];
  return fail('ONGOING_MEDICAL_INSURANCE', {
    message:
      `您在${province}有正在参保的${label}（${chineseDate(enrollment.since)}起），` +
      `按照${WORK_PLAN}、2，有正在进行的医疗保险参保的，不能再以灵活就业人员身份参加职工基本医疗保险。` +
      `${HOW_TO_STOP[enrollment.insurance]}后再申请；也可到当地医保经办窗口咨询，或拨打 12333、12393。` +
      '其他事项不受影响。',
    details: {
      insurance: enrollment.insurance,
      provinceCode: enrollment.provinceCode,
      provinceName: province,
      since: enrollment.since,
    },
  });
}
