import {
  CURRENT_POLICY,
  POLICY_2026,
  type PolicyConfig,
  type Sourced,
  ageOn,
  checkAge,
  isAllowedBaseGrade,
  monthlyPremium,
  retirementAge,
  retirementDate,
  retirementDelayMonths,
} from '../policy';

describe('the policy configuration', () => {
  it('gives every value a source and an effective year, and says which are samples', () => {
    const entries = Object.entries(POLICY_2026).filter(([key]) => key !== 'year') as [string, Sourced<unknown>][];
    expect(entries.length).toBeGreaterThanOrEqual(6);
    for (const [, item] of entries) {
      expect(item.source.length).toBeGreaterThan(8);
      expect(item.effectiveYear).toBeGreaterThanOrEqual(1995);
      expect(item.effectiveYear).toBeLessThanOrEqual(POLICY_2026.year);
      if (item.sample) expect(item.source.startsWith('示例值')).toBe(true);
      else expect(item.source).not.toContain('示例');
    }
    const samples = entries.filter(([, item]) => item.sample).map(([key]) => key);
    expect(samples.sort()).toEqual(['averageMonthlyWageFen', 'medical']);
  });

  it('holds the figures of the work plan and the national rules', () => {
    expect(CURRENT_POLICY).toBe(POLICY_2026);
    expect(POLICY_2026.cardPostageFen.value).toBe(580);
    expect(POLICY_2026.cardPostageFen.source).toContain('宁人社发〔2026〕54号');
    expect(POLICY_2026.minimumAgeYears.value).toBe(16);
    expect(POLICY_2026.pension.value).toEqual({
      rateBasisPoints: 2000,
      minBasePercent: 60,
      maxBasePercent: 300,
      grades: [60, 80, 100, 150, 200, 300],
    });
    expect(POLICY_2026.retirement.effectiveYear).toBe(2025);
  });
});

describe('monthlyPremium', () => {
  // Sample average wage 7000.00 yuan; medical is 8% of a fixed 60% base (4200.00).
  it.each([
    [60, 420_000, 84_000],
    [80, 560_000, 112_000],
    [100, 700_000, 140_000],
    [150, 1_050_000, 210_000],
    [200, 1_400_000, 280_000],
    [300, 2_100_000, 420_000],
  ])('at grade %i%% has base %i fen and pension %i fen', (grade, baseFen, pensionFen) => {
    expect(monthlyPremium(grade)).toEqual({
      baseFen,
      pensionFen,
      medicalBaseFen: 420_000,
      medicalFen: 33_600,
      totalFen: pensionFen + 33_600,
    });
  });

  it('offers exactly the grades the form shows, and any whole percent in between', () => {
    for (const grade of CURRENT_POLICY.pension.value.grades) expect(isAllowedBaseGrade(grade)).toBe(true);
    expect(isAllowedBaseGrade(75)).toBe(true);
    expect(isAllowedBaseGrade(59)).toBe(false);
    expect(isAllowedBaseGrade(301)).toBe(false);
    expect(isAllowedBaseGrade(100.5)).toBe(false);
  });

  it('refuses a grade outside 60%–300% with a Chinese message', () => {
    expect(() => monthlyPremium(59)).toThrow(RangeError);
    expect(() => monthlyPremium(301)).toThrow('缴费档次应为60%至300%之间的整数');
    expect(() => monthlyPremium(Number.NaN)).toThrow(RangeError);
  });

  it('rounds half up to the fen, base first, then each contribution', () => {
    const policy: PolicyConfig = {
      ...POLICY_2026,
      averageMonthlyWageFen: { ...POLICY_2026.averageMonthlyWageFen, value: 687_655 },
      medical: { ...POLICY_2026.medical, value: { rateBasisPoints: 800, base: { kind: 'sameAsPensionBase' } } },
    };
    // 6876.55 × 150% = 10314.825 → 10314.83; × 20% = 2062.966 → 2062.97; × 8% = 825.1864 → 825.19
    expect(monthlyPremium(150, policy)).toEqual({
      baseFen: 1_031_483,
      pensionFen: 206_297,
      medicalBaseFen: 1_031_483,
      medicalFen: 82_519,
      totalFen: 288_816,
    });
    // 6876.55 × 60% = 4125.93 exactly; × 20% = 825.186 → 825.19
    expect(monthlyPremium(60, policy)).toMatchObject({ baseFen: 412_593, pensionFen: 82_519 });
  });

  it('rounds a fraction of a fen up from one half, down below it', () => {
    const tiny = (wage: number): PolicyConfig => ({
      ...POLICY_2026,
      averageMonthlyWageFen: { ...POLICY_2026.averageMonthlyWageFen, value: wage },
    });
    expect(monthlyPremium(150, tiny(1)).baseFen).toBe(2); // 1.5 → 2
    expect(monthlyPremium(60, tiny(1)).baseFen).toBe(1); // 0.6 → 1
    expect(monthlyPremium(80, tiny(3)).baseFen).toBe(2); // 2.4 → 2
  });
});

describe('ageOn', () => {
  it('counts full years (周岁)', () => {
    expect(ageOn('1988-03-15', '2026-11-29')).toBe(38);
    expect(ageOn('2010-11-29', '2026-11-29')).toBe(16);
    expect(ageOn('2010-11-30', '2026-11-29')).toBe(15);
    expect(ageOn('2026-11-29', '2026-11-29')).toBe(0);
  });

  it('turns someone born on 29 February a year older on 1 March in a common year', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('refuses a date that is not one', () => {
    expect(() => ageOn('1988-02-30', '2026-11-29')).toThrow(RangeError);
  });
});

describe('statutory retirement age (2024 reform, from 2025-01-01)', () => {
  it.each([
    // men: 60 → 63, one month per four months of birth from 1965-01
    ['1964-12-31', 'male', 60, 0, '2024-12-31'],
    ['1965-01-15', 'male', 60, 1, '2025-02-15'],
    ['1965-04-30', 'male', 60, 1, '2025-05-30'],
    ['1965-05-01', 'male', 60, 2, '2025-07-01'],
    ['1970-03-10', 'male', 61, 4, '2031-07-10'],
    ['1976-08-31', 'male', 62, 11, '2039-07-31'],
    ['1976-09-01', 'male', 63, 0, '2039-09-01'],
    ['1990-06-01', 'male', 63, 0, '2053-06-01'],
    // women on the 55 track: 55 → 58 from 1970-01
    ['1969-12-31', 'female', 55, 0, '2024-12-31'],
    ['1970-01-01', 'female', 55, 1, '2025-02-01'],
    ['1971-11-02', 'female', 55, 6, '2027-05-02'],
    ['1981-08-31', 'female', 57, 11, '2039-07-31'],
    ['1981-09-01', 'female', 58, 0, '2039-09-01'],
  ] as const)('born %s (%s) retires at %i years %i months, on %s', (birth, sex, years, months, date) => {
    expect(retirementAge(birth, sex)).toEqual({ years, months });
    expect(retirementDate(birth, sex)).toBe(date);
  });

  it('never adds more than 36 months', () => {
    expect(retirementDelayMonths('2000-01-01', 'male')).toBe(36);
    expect(retirementDelayMonths('2000-01-01', 'female')).toBe(36);
  });

  it('moves a birthday that does not exist in the retirement month to the month end', () => {
    // 1965-01-31 + 60 years 1 month → February has no 31st.
    expect(retirementDate('1965-01-31', 'male')).toBe('2025-02-28');
  });
});

describe('checkAge', () => {
  const today = '2026-11-29';

  it('accepts people from their 16th birthday until the day before retirement', () => {
    expect(checkAge('2010-11-29', 'female', today)).toEqual({ ok: true });
    expect(checkAge('1971-11-02', 'female', today)).toEqual({ ok: true }); // 55, retires 2027-05-02
    expect(checkAge('1966-06-30', 'male', '2026-11-29')).toEqual({ ok: true }); // retires 2026-11-30
  });

  it('turns away someone under 16', () => {
    expect(checkAge('2011-12-20', 'female', today)).toEqual({
      ok: false,
      reason: 'underMinimumAge',
      message: '未满16周岁，不能以灵活就业人员身份参保。',
    });
  });

  it('turns away someone who has reached retirement age, saying when and where to go', () => {
    const result = checkAge('1964-08-20', 'male', today);
    expect(result).toMatchObject({ ok: false, reason: 'reachedRetirementAge' });
    expect(!result.ok && result.message).toContain('法定退休年龄为60周岁（2024年8月20日达到）');
    expect(!result.ok && result.message).toContain('12333');
    expect(checkAge('1966-06-30', 'male', '2026-11-30')).toMatchObject({
      ok: false,
      message: expect.stringContaining('60岁5个月'),
    });
  });
});
