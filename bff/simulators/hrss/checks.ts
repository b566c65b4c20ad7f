// The HRSS system's refusals and the input checks a JSON Schema cannot make
// (ID number check digit, dates relative to today).
import { HRSS_ERRORS } from '@flexins/shared';
import { chinaToday, parseIdNumber } from '@flexins/shared';
import { commonError, errorFactory, type SimError } from '../common/errors';
import { isDuplicateKey } from './models';

export const fail = errorFactory(HRSS_ERRORS);

export function invalid(fields: Record<string, string>): SimError {
  return commonError('VALIDATION_FAILED', { fields });
}

/** The schema checked the shape; this checks the birth date and check digit. */
export function checkIdNumber(idNumber: string, now: Date, field = 'idNumber'): void {
  const parsed = parseIdNumber(idNumber, chinaToday(now));
  if (!parsed.ok) throw invalid({ [field]: parsed.message });
}

/** `2026-11-29` + 30 → `2026-12-29`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Runs `create`; a duplicate key (a concurrent twin got there first) becomes the refusal `whenDuplicate` finds. */
export async function createOnce<T>(create: () => Promise<T>, whenDuplicate: () => Promise<SimError | undefined>) {
  try {
    return await create();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw (await whenDuplicate()) ?? err;
  }
}
