import {
  WORKING_DAY_CALENDARS,
  addWorkingDays,
  calendarYears,
  isWeekend,
  isWorkingDay,
  type YearCalendar,
} from '../working-days';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const weekday = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

describe('addWorkingDays', () => {
  it('counts 15 working days from a Friday, skipping three weekends', () => {
    expect(weekday('2026-11-06')).toBe('周五');
    expect(addWorkingDays('2026-11-06', 15)).toBe('2026-11-27');
  });

  it('counts 15 working days from a Saturday to the same day as from the Friday before', () => {
    expect(weekday('2026-11-07')).toBe('周六');
    expect(addWorkingDays('2026-11-07', 15)).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-08', 15)).toBe('2026-11-27');
  });

  it('counts across a month end and a year end', () => {
    expect(addWorkingDays('2026-11-20', 15)).toBe('2026-12-11');
    // 2027 has no holiday list yet: weekends only.
    expect(addWorkingDays('2026-12-25', 5)).toBe('2027-01-01');
  });

  it('does not count the day itself; 0 days is the day itself; the next working day after a Friday is Monday', () => {
    expect(addWorkingDays('2026-11-27', 0)).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
  });

  it('skips the 2026 National Day holiday and counts its adjusted Saturday', () => {
    // 10月1日至7日放假；10月10日（周六）上班。
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
  });

  it('counts 10 working days over the 2026 Spring Festival', () => {
    // 2月14日（周六）上班，2月15日至23日放假，2月28日（周六）上班。
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-13', 10)).toBe('2026-03-05');
  });

  it('takes another calendar when given one, and weekends only with none', () => {
    const none: YearCalendar[] = [];
    expect(addWorkingDays('2026-09-30', 1, none)).toBe('2026-10-01');
    const custom: YearCalendar[] = [
      {
        year: 2027,
        source: 'test',
        holidays: [{ name: '测试', from: '2027-01-01', to: '2027-01-01' }],
        adjustedWorkingDays: [],
      },
    ];
    expect(addWorkingDays('2026-12-31', 1, custom)).toBe('2027-01-04');
  });

  it('refuses a bad date or a negative or fractional count', () => {
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-27', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-27', 1.5)).toThrow(RangeError);
  });
});

describe('the holiday calendar', () => {
  it('covers 2026 from the State Council notice; 2027 is not yet configured', () => {
    expect(calendarYears()).toEqual([2026]);
    expect(WORKING_DAY_CALENDARS[0]?.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
  });

  // The notice states the weekday of each date; a mistyped date would not match it.
  it('matches the weekdays the 2026 notice states', () => {
    const stated: [string, string][] = [
      ['2026-01-01', '周四'],
      ['2026-01-03', '周六'],
      ['2026-01-04', '周日'],
      ['2026-02-15', '周日'],
      ['2026-02-23', '周一'],
      ['2026-02-14', '周六'],
      ['2026-02-28', '周六'],
      ['2026-04-04', '周六'],
      ['2026-04-06', '周一'],
      ['2026-05-01', '周五'],
      ['2026-05-05', '周二'],
      ['2026-05-09', '周六'],
      ['2026-06-19', '周五'],
      ['2026-06-21', '周日'],
      ['2026-09-25', '周五'],
      ['2026-09-27', '周日'],
      ['2026-10-01', '周四'],
      ['2026-10-07', '周三'],
      ['2026-09-20', '周日'],
      ['2026-10-10', '周六'],
    ];
    for (const [date, day] of stated) expect([date, weekday(date)]).toEqual([date, day]);
  });

  it('has adjusted working days only on weekends, outside any holiday, and well-formed periods', () => {
    for (const year of WORKING_DAY_CALENDARS) {
      for (const day of year.adjustedWorkingDays) {
        expect(isWeekend(day)).toBe(true);
        expect(day.startsWith(String(year.year))).toBe(true);
        expect(year.holidays.some((h) => h.from <= day && day <= h.to)).toBe(false);
      }
      for (const h of year.holidays) expect(h.from <= h.to).toBe(true);
    }
  });

  it('knows holidays, adjusted days and ordinary days', () => {
    expect(isWorkingDay('2026-10-05')).toBe(false); // 国庆 on a Monday
    expect(isWorkingDay('2026-10-10')).toBe(true); // 调休 Saturday
    expect(isWorkingDay('2026-11-28')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2026-11-27')).toBe(true);
  });
});
