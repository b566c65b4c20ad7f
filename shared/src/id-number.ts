/**
 * Resident ID number (公民身份号码, GB 11643-1999) and mainland mobile number
 * checks, with the plain-Chinese message a citizen or clerk reads.
 *
 * An ID number is 18 characters: 6-digit region code (the code in force when
 * it was first issued, so it may be a retired one), 8-digit birth date,
 * 3-digit sequence (odd = male), and a check character (ISO 7064 MOD 11-2).
 */
import { PROVINCE_NAMES } from './regions';

export type Sex = 'male' | 'female'; // 性别

// ISO 7064 MOD 11-2 weights for positions 1–17, and the check character for
// each remainder 0–10.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The earliest birth date we accept; anything earlier is a typing mistake. */
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** True for a real calendar date written `YYYY-MM-DD` (no 2月30日, no 2023-02-29). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Today's date in China (UTC+8, no daylight saving) as `YYYY-MM-DD`. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * An instant as China time, whatever the machine's time zone: `2026-11-29 17:42`,
 * or `2026-11-29 17:42:05` with seconds (the audit trail's export).
 */
export function chinaDateTime(at: Date | string, withSeconds = false): string {
  const shifted = new Date(new Date(at).getTime() + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, withSeconds ? 19 : 16)}`;
}

/** The check character for the first 17 digits. Throws on anything but 17 digits. */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('checkDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

export interface ParsedIdNumber {
  /** Normalised: upper-case X. */
  idNumber: string;
  /** First six digits, e.g. `640104` (may be a retired code such as `642221`). */
  regionCode: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
}

export type IdNumberFailure =
  'empty' | 'length' | 'characters' | 'region' | 'birthDate' | 'futureBirthDate' | 'checkDigit';

export const ID_NUMBER_MESSAGES: Readonly<Record<IdNumberFailure, string>> = {
  empty: '请填写身份证号码',
  length: '身份证号码应为18位',
  characters: '身份证号码前17位应为数字，最后一位为数字或字母X',
  region: '身份证号码前两位不是有效的省份代码，请核对',
  birthDate: '身份证号码中的出生日期（第7至14位）不是有效日期，请核对',
  futureBirthDate: '身份证号码中的出生日期晚于今天，请核对',
  checkDigit: '身份证号码最后一位校验码不正确，请逐位核对',
};

export type IdNumberResult =
  { ok: true; value: ParsedIdNumber } | { ok: false; reason: IdNumberFailure; message: string };

function fail(reason: IdNumberFailure): IdNumberResult {
  return { ok: false, reason, message: ID_NUMBER_MESSAGES[reason] };
}

/**
 * Reads an 18-character ID number. Surrounding spaces are ignored and a
 * lower-case x is accepted (people type it); the result carries the normalised
 * number. `today` (`YYYY-MM-DD`, China time by default) bounds the birth date.
 */
export function parseIdNumber(input: string, today: string = chinaToday()): IdNumberResult {
  const s = input.trim().toUpperCase();
  if (s === '') return fail('empty');
  if (s.length !== 18) return fail('length');
  if (!/^\d{17}[\dX]$/.test(s)) return fail('characters');
  if (PROVINCE_NAMES[s.slice(0, 2)] === undefined) return fail('region');
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!isCalendarDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE) return fail('birthDate');
  if (birthDate > today) return fail('futureBirthDate');
  if (checkDigit(s.slice(0, 17)) !== s.charAt(17)) return fail('checkDigit');
  return {
    ok: true,
    value: {
      idNumber: s,
      regionCode: s.slice(0, 6),
      birthDate,
      sex: Number(s.charAt(16)) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/** True when `parseIdNumber` accepts it. */
export function isValidIdNumber(s: string, today: string = chinaToday()): boolean {
  return parseIdNumber(s, today).ok;
}

/**
 * Builds a valid ID number, for the simulators' roster and for tests.
 * `sequence` is 0–999 or three digits; its last digit decides the sex (odd = male).
 */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number | string): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`makeIdNumber: region code must be 6 digits, got "${regionCode}"`);
  if (!isCalendarDate(birthDate)) throw new Error(`makeIdNumber: not a calendar date "${birthDate}"`);
  const seq = typeof sequence === 'number' ? String(sequence).padStart(3, '0') : sequence;
  if (!/^\d{3}$/.test(seq)) throw new Error(`makeIdNumber: sequence must be 0–999 or three digits, got "${sequence}"`);
  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${seq}`;
  return first17 + checkDigit(first17);
}

export type MobileFailure = 'empty' | 'format';

export const MOBILE_MESSAGES: Readonly<Record<MobileFailure, string>> = {
  empty: '请填写手机号码',
  format: '手机号码应为以1开头的11位数字，第二位为3至9',
};

/** Mainland mobile number: 11 digits, `1[3-9]` then nine more. No spaces, no +86. */
export function isValidMobile(s: string): boolean {
  return /^1[3-9]\d{9}$/.test(s);
}

export function checkMobile(s: string): { ok: true } | { ok: false; reason: MobileFailure; message: string } {
  if (s.trim() === '') return { ok: false, reason: 'empty', message: MOBILE_MESSAGES.empty };
  if (!isValidMobile(s)) return { ok: false, reason: 'format', message: MOBILE_MESSAGES.format };
  return { ok: true };
}
