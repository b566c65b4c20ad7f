// Contribution periods (缴费所属期) as `YYYY-MM` months, on the Beijing calendar.
import { chinaToday } from '@flexins/shared';

/** `2026-11` → months since year 0, so periods can be compared and added. */
function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function fromIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function currentMonth(now: Date): string {
  return chinaToday(now).slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  return fromIndex(monthIndex(month) + n);
}

export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

/** `periodStart` and the next `months - 1` months. */
export function monthsOf(periodStart: string, months: number): string[] {
  return Array.from({ length: months }, (_, i) => addMonths(periodStart, i));
}

/** The last day of a month, `YYYY-MM-DD`. */
export function lastDayOf(month: string): string {
  const day = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** `2026-11` → `2026年11月`. */
export function chineseMonth(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}
