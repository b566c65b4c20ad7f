/**
 * The yearly policy configuration (政策参数): every figure the service uses,
 * each with the document it comes from and the year it takes effect. Figures
 * we could not cite are marked `sample: true` and say so in `source`; replace
 * them with the published figure before going live.
 *
 * Money is integer fen (分) everywhere. Rounding: round half up to the fen
 * (四舍五入到分), applied once to the contribution base and once to each
 * contribution; the total is the sum of the rounded parts.
 */
import { isCalendarDate, type Sex } from './id-number';

export interface Sourced<T> {
  value: T;
  /** The document the value comes from, or why it is a sample. */
  source: string;
  effectiveYear: number;
  /** True for a stand-in figure that is not from a published document. */
  sample?: true;
}

/**
 * A statutory-retirement-age track under the 2024 reform: people born in or
 * after `firstBirthMonth` retire one month later for every
 * `birthMonthsPerMonth` months of birth, up to `maxDelayMonths`.
 */
export interface RetirementTrack {
  originalAgeYears: number;
  /** `YYYY-MM`: the first birth month affected (gets one month). */
  firstBirthMonth: string;
  birthMonthsPerMonth: number;
  maxDelayMonths: number;
}

/** How the flexible worker's basic-medical contribution base is set. */
export type MedicalBaseRule =
  | { kind: 'percentOfAverageWage'; percent: number } // a fixed share of the average wage
  | { kind: 'sameAsPensionBase' }; // whatever grade the applicant chose for pension

export interface PolicyConfig {
  year: number;
  /** 全口径城镇单位就业人员月平均工资, the base of every contribution grade. */
  averageMonthlyWageFen: Sourced<number>;
  /** Flexible-worker enterprise pension (企业职工基本养老保险，灵活就业人员): rate and allowed base range. */
  pension: Sourced<{
    rateBasisPoints: number;
    minBasePercent: number;
    maxBasePercent: number;
    /** The grades (缴费档次) the form offers. */
    grades: readonly number[];
  }>;
  /** Flexible-worker employee basic medical insurance (职工基本医疗保险，灵活就业人员). */
  medical: Sourced<{ rateBasisPoints: number; base: MedicalBaseRule }>;
  /** Social security card mailing fee (社保卡邮寄费). */
  cardPostageFen: Sourced<number>;
  /** Minimum age to register as a flexible worker (最低就业年龄). */
  minimumAgeYears: Sourced<number>;
  /** Statutory retirement age (法定退休年龄). Flexible-employed women use the 55 track. */
  retirement: Sourced<Record<Sex, RetirementTrack>>;
}

const WORK_PLAN = '宁人社发〔2026〕54号《高效办成灵活就业参保“一件事”工作方案》';
const RETIREMENT_DECISION =
  '《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日）附件《国务院关于渐进式延迟职工法定退休年龄的办法》，2025年1月1日起施行';

export const POLICY_2026: PolicyConfig = {
  year: 2026,
  averageMonthlyWageFen: {
    value: 700_000,
    source: '示例值：以自治区人力资源和社会保障厅公布的当年全口径城镇单位就业人员月平均工资为准',
    effectiveYear: 2026,
    sample: true,
  },
  pension: {
    value: { rateBasisPoints: 2000, minBasePercent: 60, maxBasePercent: 300, grades: [60, 80, 100, 150, 200, 300] },
    source:
      '《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）：灵活就业人员缴费比例为20%；《国务院办公厅关于印发降低社会保险费率综合方案的通知》（国办发〔2019〕13号）：可在本省全口径城镇单位就业人员平均工资的60%至300%之间选择缴费基数',
    effectiveYear: 2026,
  },
  medical: {
    value: { rateBasisPoints: 800, base: { kind: 'percentOfAverageWage', percent: 60 } },
    source:
      '示例值：费率8%、以全口径城镇单位就业人员月平均工资的60%为缴费基数；以自治区医疗保障局公布的当年灵活就业人员职工基本医疗保险缴费标准为准',
    effectiveYear: 2026,
    sample: true,
  },
  cardPostageFen: {
    value: 580,
    source: `${WORK_PLAN} 附件2 三、4：邮递费固定收取5.8元`,
    effectiveYear: 2026,
  },
  minimumAgeYears: {
    value: 16,
    source: '《中华人民共和国劳动法》第十五条：禁止用人单位招用未满十六周岁的未成年人',
    effectiveYear: 1995,
  },
  retirement: {
    value: {
      male: { originalAgeYears: 60, firstBirthMonth: '1965-01', birthMonthsPerMonth: 4, maxDelayMonths: 36 },
      female: { originalAgeYears: 55, firstBirthMonth: '1970-01', birthMonthsPerMonth: 4, maxDelayMonths: 36 },
    },
    source: RETIREMENT_DECISION,
    effectiveYear: 2025,
  },
};

/** The configuration in force. */
export const CURRENT_POLICY: PolicyConfig = POLICY_2026;

// ---- dates ----------------------------------------------------------------

function splitDate(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`不是有效日期：${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `2025-04-10` → `2025年4月10日`. */
export function chineseDate(date: string): string {
  const [y, m, d] = splitDate(date);
  return `${y}年${m}月${d}日`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus whole months; a day that does not exist becomes the month's last day (1月31日 + 1个月 = 2月28/29日). */
function addMonths(date: string, months: number): string {
  const [y, m, d] = splitDate(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatDate(year, month, Math.min(d, daysInMonth(year, month)));
}

/**
 * Age in full years (周岁) on `date`. Someone born on 2月29日 turns a year
 * older on 3月1日 in a common year.
 */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = splitDate(birthDate);
  const [y, m, d] = splitDate(date);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

// ---- retirement ------------------------------------------------------------

/** How many months the 2024 reform adds for this birth date (0 before the first affected month). */
export function retirementDelayMonths(birthDate: string, sex: Sex, policy: PolicyConfig = CURRENT_POLICY): number {
  const track = policy.retirement.value[sex];
  const [by, bm] = splitDate(birthDate);
  const fy = Number(track.firstBirthMonth.slice(0, 4));
  const fm = Number(track.firstBirthMonth.slice(5, 7));
  const monthsAfterFirst = (by - fy) * 12 + (bm - fm);
  if (monthsAfterFirst < 0) return 0;
  return Math.min(track.maxDelayMonths, Math.floor(monthsAfterFirst / track.birthMonthsPerMonth) + 1);
}

/** Statutory retirement age as years + months, e.g. 男 1970年3月生 → 61岁4个月 → `{ years: 61, months: 4 }`. */
export function retirementAge(
  birthDate: string,
  sex: Sex,
  policy: PolicyConfig = CURRENT_POLICY,
): { years: number; months: number } {
  const total = policy.retirement.value[sex].originalAgeYears * 12 + retirementDelayMonths(birthDate, sex, policy);
  return { years: Math.floor(total / 12), months: total % 12 };
}

/**
 * The day the person reaches statutory retirement age (`YYYY-MM-DD`). The
 * 办法 states the month; we use the birthday's day of that month, so that
 * "reached" is a plain date comparison.
 */
export function retirementDate(birthDate: string, sex: Sex, policy: PolicyConfig = CURRENT_POLICY): string {
  const { years, months } = retirementAge(birthDate, sex, policy);
  return addMonths(birthDate, years * 12 + months);
}

export type AgeFailure = 'underMinimumAge' | 'reachedRetirementAge';

/**
 * The age condition (16 to statutory retirement age) on `date`, with the
 * message the citizen reads when it fails.
 */
export function checkAge(
  birthDate: string,
  sex: Sex,
  date: string,
  policy: PolicyConfig = CURRENT_POLICY,
): { ok: true } | { ok: false; reason: AgeFailure; message: string } {
  const minimum = policy.minimumAgeYears.value;
  if (ageOn(birthDate, date) < minimum) {
    return {
      ok: false,
      reason: 'underMinimumAge',
      message: `未满${minimum}周岁，不能以灵活就业人员身份参保。`,
    };
  }
  const retireOn = retirementDate(birthDate, sex, policy);
  if (date >= retireOn) {
    const { years, months } = retirementAge(birthDate, sex, policy);
    const age = months === 0 ? `${years}周岁` : `${years}岁${months}个月`;
    return {
      ok: false,
      reason: 'reachedRetirementAge',
      message: `您的法定退休年龄为${age}（${chineseDate(retireOn)}达到），已不能新办灵活就业参保。养老保险继续缴费或办理退休，请到当地人社窗口咨询，或拨打12333。`,
    };
  }
  return { ok: true };
}

// ---- contributions ---------------------------------------------------------

/** n / d rounded half up, for non-negative integers. */
function divideRoundHalfUp(n: number, d: number): number {
  return Math.floor((2 * n + d) / (2 * d));
}

export interface MonthlyPremium {
  /** Pension contribution base (养老保险缴费基数). */
  baseFen: number;
  pensionFen: number;
  /** Medical contribution base (医疗保险缴费基数); differs from `baseFen` when the medical base is fixed. */
  medicalBaseFen: number;
  medicalFen: number;
  totalFen: number;
}

/** True for a whole percentage inside the allowed pension base range (60–300 by default). */
export function isAllowedBaseGrade(percent: number, policy: PolicyConfig = CURRENT_POLICY): boolean {
  const { minBasePercent, maxBasePercent } = policy.pension.value;
  return Number.isInteger(percent) && percent >= minBasePercent && percent <= maxBasePercent;
}

/**
 * What one month costs at a base grade (percent of the average wage).
 * Throws a RangeError (Chinese message) outside the allowed range: callers
 * validate the form first.
 */
export function monthlyPremium(baseGradePercent: number, policy: PolicyConfig = CURRENT_POLICY): MonthlyPremium {
  const { minBasePercent, maxBasePercent, rateBasisPoints } = policy.pension.value;
  if (!isAllowedBaseGrade(baseGradePercent, policy)) {
    throw new RangeError(`缴费档次应为${minBasePercent}%至${maxBasePercent}%之间的整数，收到：${baseGradePercent}`);
  }
  const average = policy.averageMonthlyWageFen.value;
  const baseFen = divideRoundHalfUp(average * baseGradePercent, 100);
  const pensionFen = divideRoundHalfUp(baseFen * rateBasisPoints, 10_000);
  const medicalRule = policy.medical.value.base;
  const medicalBaseFen =
    medicalRule.kind === 'sameAsPensionBase' ? baseFen : divideRoundHalfUp(average * medicalRule.percent, 100);
  const medicalFen = divideRoundHalfUp(medicalBaseFen * policy.medical.value.rateBasisPoints, 10_000);
  return { baseFen, pensionFen, medicalBaseFen, medicalFen, totalFen: pensionFen + medicalFen };
}

/** `2026-12` → `2026年12月`. */
export function chineseMonth(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** An assessed premium as the confirmation and the cashier name it (what it covers). */
export interface PremiumCover {
  periodStart: string;
  periodEnd: string;
  months: number;
  pensionFen: number;
  medicalFen: number;
  monthlyTotalFen: number;
  totalFen: number;
}

/** `2026-11` plus n months. */
export function addCalendarMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Before submitting: what the chosen grade and months will come to (the tax system assesses the real figure). */
export function estimatedPremium(
  baseGradePercent: number,
  periodStart: string,
  months: number,
  policy: PolicyConfig = CURRENT_POLICY,
): PremiumCover {
  const month = monthlyPremium(baseGradePercent, policy);
  return {
    periodStart,
    periodEnd: addCalendarMonths(periodStart, months - 1),
    months,
    pensionFen: month.pensionFen,
    medicalFen: month.medicalFen,
    monthlyTotalFen: month.totalFen,
    totalFen: month.totalFen * months,
  };
}

/** After the tax system's assessment (核定): what is to be paid, for which months. */
export function assessedPremium(
  assessment: { pensionFen: number; medicalFen: number; monthlyTotalFen: number; totalFen: number },
  periodStart: string,
  periodEnd: string,
): PremiumCover {
  return {
    periodStart,
    periodEnd,
    months: Math.round(assessment.totalFen / Math.max(1, assessment.monthlyTotalFen)),
    pensionFen: assessment.pensionFen,
    medicalFen: assessment.medicalFen,
    monthlyTotalFen: assessment.monthlyTotalFen,
    totalFen: assessment.totalFen,
  };
}

/** `灵活就业人员社会保险费 2026年12月—2027年2月（3个月）`: the goods at the cashier, at most 64 characters. */
export function premiumSubject(cover: Pick<PremiumCover, 'periodStart' | 'periodEnd' | 'months'>): string {
  const period =
    cover.periodStart === cover.periodEnd
      ? chineseMonth(cover.periodStart)
      : `${chineseMonth(cover.periodStart)}—${chineseMonth(cover.periodEnd)}`;
  return `灵活就业人员社会保险费 ${period}（${cover.months}个月）`;
}
