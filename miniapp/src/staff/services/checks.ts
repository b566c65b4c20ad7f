// The staff pages' checks and messages that need no screen: what a look-up
// may be, what an audit filter may be, and why a sign-in did not work.
import { isValidIdNumber } from '@flexins/shared';
import { chinaDateTime } from '../../services/format';
import type { AuditFilter, LookupBy } from './api';
import { ApiError, staffMessageOf } from './http';
import { STAFF_TEXT } from '../text';

/** The value as the BFF matches it, or the reason it cannot be. */
export function normalizeLookup(by: LookupBy, raw: string): { value: string } | { error: string } {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (by === 'caseNo') return /^LJ\d{14}$/.test(value) ? { value } : { error: '办件编号应为 LJ 加 14 位数字' };
  if (by === 'idNumber') {
    if (!/^\d{17}[\dX]$/.test(value)) return { error: '身份证号应为 18 位，最后一位是数字或 X' };
    return isValidIdNumber(value) ? { value } : { error: '身份证号的校验位不对，请核对' };
  }
  return /^1[3-9]\d{9}$/.test(value) ? { value } : { error: '手机号应为 11 位，以 1 开头' };
}

/** Why a sign-in did not work, in words a member of staff can act on. */
export function signInFailure(err: unknown): string {
  if (!(err instanceof ApiError)) return staffMessageOf(err);
  if (err.code === 'STAFF_LOCKED') {
    const until = err.details?.lockedUntil;
    return typeof until === 'string'
      ? `账号已被锁定（连续输错密码次数过多），请在 ${chinaDateTime(until)} 以后再试，或联系管理员解锁。`
      : err.message;
  }
  if (err.code === 'STAFF_CREDENTIALS_INVALID') return STAFF_TEXT.credentialsInvalid;
  if (err.fields?.username) return `用户名：${err.fields.username}`;
  return err.message;
}

export type AuditFilterForm = Required<Omit<AuditFilter, 'before'>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form's problems, by field. */
export function checkAuditFilter(form: AuditFilterForm): Partial<Record<keyof AuditFilterForm, string>> {
  const problems: Partial<Record<keyof AuditFilterForm, string>> = {};
  if (form.staffId && !/^[A-Za-z0-9_-]{1,64}$/.test(form.staffId))
    problems.staffId = '工作人员编号只有字母和数字，例如 S0002';
  if (form.caseNo && !/^LJ\d{14}$/.test(form.caseNo)) problems.caseNo = '办件编号应为 LJ 加 14 位数字';
  if (form.from && !DATE.test(form.from)) problems.from = '日期应为 2026-11-30 这样的格式';
  if (form.to && !DATE.test(form.to)) problems.to = '日期应为 2026-11-30 这样的格式';
  return problems;
}
