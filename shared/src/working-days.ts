/**
 * Working days (工作日), for statutory time limits such as "10 个工作日".
 * A working day is Monday to Friday, except public holidays, plus the
 * weekend days made working days by the yearly adjustment (调休).
 *
 * The holidays and adjusted days are configuration, one entry per year, each
 * from the State Council General Office's yearly notice (国务院办公厅关于
 * 某年部分节假日安排的通知, published each November or December). A year
 * without an entry counts weekends only: add the year's entry when its
 * notice is out.
 */
import { isCalendarDate } from './id-number';

export interface HolidayPeriod {
  name: string;
  /** First and last day off, inclusive (weekend days inside included). */
  from: string;
  to: string;
}

export interface YearCalendar {
  year: number;
  /** The notice the lists are copied from. */
  source: string;
  holidays: readonly HolidayPeriod[];
  /** Saturdays and Sundays that are working days (调休上班). */
  adjustedWorkingDays: readonly string[];
}

export const WORKING_DAY_CALENDARS: readonly YearCalendar[] = [
  {
    year: 2026,
    source: '《国务院办公厅关于2026年部分节假日安排的通知》（2025年11月4日）',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
      { name: '春节', from: '2026-02-15', to: '2026-02-23' },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
    ],
    adjustedWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
  // 2027: not yet published. Add it from the 国务院办公厅 notice for 2027;
  // until then 2027 counts weekends only.
];

/** The years whose holidays are configured (others count weekends only). */
export function calendarYears(calendars: readonly YearCalendar[] = WORKING_DAY_CALENDARS): number[] {
  return calendars.map((c) => c.year);
}

function toUtc(date: string): Date {
  if (!isCalendarDate(date)) throw new RangeError(`不是有效日期：${date}`);
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** True for Saturday and Sunday. */
export function isWeekend(date: string): boolean {
  const day = toUtc(date).getUTCDay();
  return day === 0 || day === 6;
}

/** True when `date` is a working day under `calendars`. */
export function isWorkingDay(date: string, calendars: readonly YearCalendar[] = WORKING_DAY_CALENDARS): boolean {
  const year = calendars.find((c) => c.year === Number(date.slice(0, 4)));
  if (year?.adjustedWorkingDays.includes(date)) return true;
  if (year?.holidays.some((h) => h.from <= date && date <= h.to)) return false;
  return !isWeekend(date);
}

/**
 * The day on which `n` working days after `date` have passed: the day itself
 * does not count, the first working day after it is day 1. `n = 0` gives
 * `date`. From a Friday, 1 working day is the next Monday.
 */
export function addWorkingDays(
  date: string,
  n: number,
  calendars: readonly YearCalendar[] = WORKING_DAY_CALENDARS,
): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`工作日天数应为非负整数，收到：${n}`);
  const day = toUtc(date);
  let left = n;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (isWorkingDay(fromUtc(day), calendars)) left--;
  }
  return fromUtc(day);
}
