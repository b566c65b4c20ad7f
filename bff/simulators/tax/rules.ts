// The tax system's refusals, each with the plain-Chinese message that says
// which rule, why, and what to do instead (申报条件 3 of the work plan:
// only normal payments here; special and back payments at an HRSS window).
import { chinaToday, parseIdNumber } from '@flexins/shared';
import { TAX_ERRORS, TAX_INSURANCE_LABELS, type TaxPaymentReply } from '@flexins/shared';
import { commonError, errorFactory, type SimError } from '../common/errors';
import { yuan } from './assessment';
import type { DeclarationRecord, InsuranceRegistrationRecord } from './models';
import { chineseMonth } from './periods';

export const fail = errorFactory(TAX_ERRORS);

const RULE_3 = '宁人社发〔2026〕54号 附件2 三、3';
const OFFLINE =
  '请携带身份证到当地人社窗口（各市、县〔区〕政务服务中心人社窗口）线下办理，咨询电话 12333。' +
  '您在“一件事”中的其他事项（就业登记、参保登记、社保卡申领和本期正常缴费）不受影响，会照常办理。';

/** The schema checks the shape; the check digit and birth date need the calendar. */
export function checkIdNumber(idNumber: string, now: Date): void {
  const parsed = parseIdNumber(idNumber, chinaToday(now));
  if (!parsed.ok) throw commonError('VALIDATION_FAILED', { fields: { idNumber: parsed.message } });
}

/** A moment as a Beijing wall-clock time: `2026年11月29日 14:03`. */
function beijingTime(at: Date | string): string {
  const t = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString();
  return `${Number(t.slice(0, 4))}年${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日 ${t.slice(11, 16)}`;
}

export function alreadyRegistered(record: InsuranceRegistrationRecord): SimError {
  return fail('ALREADY_REGISTERED', {
    message: `税务系统已于${beijingTime(record.receivedAt)}收到此人的${TAX_INSURANCE_LABELS[record.insurance]}参保登记信息（编号 ${record.taxRecordNo}），无需重复发送。`,
    details: { taxRecordNo: record.taxRecordNo, insurance: record.insurance, registrationNo: record.registrationNo },
  });
}

export function alreadyDeclared(record: DeclarationRecord): SimError {
  return fail('ALREADY_DECLARED', {
    message: `${chineseMonth(record.periodStart)}至${chineseMonth(record.periodEnd)}已经申报（申报编号 ${record.declarationNo}），所选月份不能重复申报；请查询这笔申报并按核定金额缴费。`,
    details: {
      declarationNo: record.declarationNo,
      periodStart: record.periodStart,
      periodEnd: record.periodEnd,
      status: record.status,
    },
  });
}

export function specialPaymentOffline(): SimError {
  return fail('SPECIAL_PAYMENT_OFFLINE', {
    message: `特殊缴费不能在线办理：“一件事”只办理正常缴费，特殊缴费和历史补缴需到人社窗口线下办理（${RULE_3}）。${OFFLINE}`,
    details: { where: '人社窗口', hotline: '12333' },
  });
}

export function backPaymentOffline(periodStart?: string, current?: string): SimError {
  const why =
    periodStart && current
      ? `缴费所属期从${chineseMonth(periodStart)}开始，早于本月（${chineseMonth(current)}），属于历史补缴`
      : '历史补缴不能在线办理';
  return fail('BACK_PAYMENT_OFFLINE', {
    message: `${why}：“一件事”只办理正常缴费，特殊缴费和历史补缴需到人社窗口线下办理（${RULE_3}）。${OFFLINE}`,
    details: { where: '人社窗口', hotline: '12333' },
  });
}

export function periodInvalid(latest: string): SimError {
  return fail('PERIOD_INVALID', {
    message: `缴费所属期最早为本月，最晚为 12 个月之后（${chineseMonth(latest)}），请重新选择。`,
    fields: { periodStart: `缴费所属期起不能晚于${chineseMonth(latest)}` },
  });
}

export function notRegistered(): SimError {
  return fail('NOT_REGISTERED');
}

export function declarationNotFound(declarationNo: string): SimError {
  return fail('DECLARATION_NOT_FOUND', {
    message: `没有找到申报编号为 ${declarationNo} 的申报，请核对申报编号。`,
  });
}

export function amountMismatch(expectedFen: number, receivedFen: number): SimError {
  return fail('AMOUNT_MISMATCH', {
    message: `缴费金额与核定的应缴金额不一致：应缴 ${yuan(expectedFen)}（${expectedFen} 分），提交的是 ${yuan(receivedFen)}（${receivedFen} 分）。请按应缴金额缴费。`,
    fields: { amountFen: `缴费金额应为 ${expectedFen} 分` },
    details: { expectedFen, receivedFen },
  });
}

export function alreadyPaid(receipt: TaxPaymentReply): SimError {
  return fail('ALREADY_PAID', {
    message: `这笔申报已于${beijingTime(receipt.paidAt)}缴费 ${yuan(receipt.paidFen)}（票号 ${receipt.receiptNo}），无需重复缴纳。`,
    details: { ...receipt },
  });
}
