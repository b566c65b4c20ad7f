import {
  ID_NUMBER_MESSAGES,
  MOBILE_MESSAGES,
  checkDigit,
  checkMobile,
  chinaToday,
  isCalendarDate,
  isValidIdNumber,
  isValidMobile,
  makeIdNumber,
  parseIdNumber,
} from '../id-number';

const TODAY = '2026-11-29';

describe('checkDigit (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it("gives the standard's own worked examples", () => {
    // Weighted sum 167, 167 mod 11 = 2 → X.
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(checkDigit('44052418800101001')).toBe('4');
  });

  it('maps each of the eleven remainders to its own character', () => {
    // '640104198803150317' without its first digit weighs 216 ≡ 7 (mod 11); the
    // first digit d adds 7d, so remainder = 7(d + 1) mod 11.
    const byFirstDigit = Array.from({ length: 10 }, (_, d) => checkDigit(`${d}4010419880315031`)).join('');
    expect(byFirstDigit).toBe('5926X37048');
    // Remainder 0: last digit 4 adds 8 to 256 ≡ 3, giving 11 ≡ 0 → '1'.
    expect(checkDigit('64010419880315034')).toBe('1');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => checkDigit('6401041988031503')).toThrow();
    expect(() => checkDigit('64010419880315031X')).toThrow();
    expect(() => checkDigit('6401041988031503a')).toThrow();
  });
});

describe('parseIdNumber', () => {
  it('reads region, birth date and sex from a valid number', () => {
    expect(parseIdNumber('640104198803150317', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '640104198803150317', regionCode: '640104', birthDate: '1988-03-15', sex: 'male' },
    });
    const female = parseIdNumber('11010519491231002X', TODAY);
    expect(female.ok && female.value.sex).toBe('female');
    expect(female.ok && female.value.birthDate).toBe('1949-12-31');
  });

  it('accepts a lower-case x and spaces around it, and hands back the normalised number', () => {
    const result = parseIdNumber(' 11010519491231002x ', TODAY);
    expect(result.ok && result.value.idNumber).toBe('11010519491231002X');
  });

  it('accepts a legacy Ningxia region code (固原县 642221)', () => {
    const result = parseIdNumber('642221196408200577', TODAY);
    expect(result.ok && result.value.regionCode).toBe('642221');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['64010419880315031', 'length'],
    ['6401041988031503170', 'length'],
    ['64010419880315031A', 'characters'],
    ['6401041988O3150317', 'characters'],
    ['000104198803150317', 'region'],
    ['990104198803150317', 'region'],
    ['640104198802300317', 'birthDate'],
    ['640104190002290317', 'birthDate'], // 1900 is not a leap year
    ['640104189912310317', 'birthDate'], // before 1900
    ['640104202611300317', 'futureBirthDate'],
    ['640104198803150318', 'checkDigit'],
    ['64010419880315031X', 'checkDigit'],
  ] as const)('rejects %s as %s', (input, reason) => {
    const result = parseIdNumber(input, TODAY);
    expect(result).toEqual({ ok: false, reason, message: ID_NUMBER_MESSAGES[reason] });
  });

  it('explains each failure in plain Chinese', () => {
    expect(ID_NUMBER_MESSAGES.length).toBe('身份证号码应为18位');
    expect(ID_NUMBER_MESSAGES.checkDigit).toContain('校验码');
    expect(ID_NUMBER_MESSAGES.futureBirthDate).toContain('晚于今天');
  });

  it('treats a birth date of today as valid and tomorrow as future', () => {
    const bornToday = makeIdNumber('640104', TODAY, 1);
    const bornTomorrow = makeIdNumber('640104', '2026-11-30', 1);
    expect(isValidIdNumber(bornToday, TODAY)).toBe(true);
    expect(parseIdNumber(bornTomorrow, TODAY)).toMatchObject({ ok: false, reason: 'futureBirthDate' });
  });

  it('accepts 29 February in a leap year', () => {
    expect(isValidIdNumber(makeIdNumber('640105', '2000-02-29', 12), TODAY)).toBe(true);
  });
});

describe('makeIdNumber', () => {
  it('builds the number digit by digit, odd sequence for men and even for women', () => {
    expect(makeIdNumber('640104', '1988-03-15', 31)).toBe('640104198803150317');
    expect(makeIdNumber('110105', '1949-12-31', '002')).toBe('11010519491231002X');
    const woman = parseIdNumber(makeIdNumber('640502', '1980-07-30', 82), TODAY);
    expect(woman.ok && woman.value.sex).toBe('female');
  });

  it('refuses bad parts', () => {
    expect(() => makeIdNumber('64010', '1988-03-15', 1)).toThrow(/region/);
    expect(() => makeIdNumber('640104', '1988-02-30', 1)).toThrow(/date/);
    expect(() => makeIdNumber('640104', '1988-03-15', 1000)).toThrow(/sequence/);
    expect(() => makeIdNumber('640104', '1988-03-15', '31')).toThrow(/sequence/);
  });
});

describe('dates', () => {
  it('knows real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });

  it('takes today in China time (UTC+8)', () => {
    expect(chinaToday(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
    expect(chinaToday(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
  });
});

describe('mobile numbers', () => {
  it.each(['13012345678', '19900000001', '18800000000', '15951234567'])('accepts %s', (phone) => {
    expect(isValidMobile(phone)).toBe(true);
    expect(checkMobile(phone)).toEqual({ ok: true });
  });

  it.each(['12012345678', '1301234567', '130123456789', '23012345678', '+8613012345678', '130 1234 5678'])(
    'rejects %s',
    (phone) => {
      expect(isValidMobile(phone)).toBe(false);
      expect(checkMobile(phone)).toEqual({ ok: false, reason: 'format', message: MOBILE_MESSAGES.format });
    },
  );

  it('asks for a number when none was given', () => {
    expect(checkMobile(' ')).toEqual({ ok: false, reason: 'empty', message: '请填写手机号码' });
  });
});
