import {
  PROVINCE_NAMES,
  ageOn,
  checkAge,
  isCurrentNingxiaCounty,
  isNingxiaRegion,
  isValidMobile,
  legacyRegion,
  parseIdNumber,
} from '@flexins/shared';
import { check } from '@flexins/shared/server';
import {
  type ExpectedEligibility,
  type RosterPerson,
  ROSTER,
  ROSTER_AS_OF,
  TRAINING_ROSTER,
  findPerson,
  medicalRegistrationKind,
} from '../roster';
import { ROSTER_PERSON_SCHEMA } from '../roster-schema';

const EVERYONE = [...ROSTER, ...TRAINING_ROSTER];

const EMPLOYEE_OR_INSTITUTION = ['employeePension', 'employeeMedical', 'institutionPension', 'institutionMedical'];

/** Eligibility worked out from the person's data alone, the way §3 of PRODUCT.md reads. */
function derive(person: RosterPerson): ExpectedEligibility {
  const active = person.enrollments.filter((e) => e.status === 'active');
  const permit = person.residencePermit;
  return {
    rule1: !active.some((e) => EMPLOYEE_OR_INSTITUTION.includes(e.insurance)),
    rule2: active.length === 0,
    card: person.ningxiaCard ? 'notNeeded' : 'apply',
    backPaymentOffline: person.wantsBackPayment === true,
    age: checkAge(person.birthDate, person.sex, ROSTER_AS_OF).ok,
    residence:
      person.household.regionCode.startsWith('64') ||
      (permit !== undefined && permit.regionCode.startsWith('64') && permit.validUntil >= ROSTER_AS_OF),
    rule5:
      person.employmentType !== 'employerWithEmployees' &&
      !(person.businesses ?? []).some((b) => b.status === 'active' && b.employees.count > 0),
    faceCheck: person.faceCheck === 'pass',
  };
}

const BLOCKING: (keyof ExpectedEligibility)[] = ['rule1', 'rule2', 'age', 'residence', 'rule5', 'faceCheck'];

/** The check character of a unified social credit code (统一社会信用代码, GB 32100-2015). */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const sum = CREDIT_CODE_WEIGHTS.reduce((total, weight, i) => total + CREDIT_CODE_CHARS.indexOf(code[i]!) * weight, 0);
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31] === code[17];
}
const isEligible = (e: ExpectedEligibility) => BLOCKING.every((k) => e[k] === true);

describe('the roster', () => {
  it('has at least 16 people, and four eligible trainees labelled 培训：', () => {
    expect(ROSTER.length).toBeGreaterThanOrEqual(16);
    expect(TRAINING_ROSTER).toHaveLength(4);
    for (const person of TRAINING_ROSTER) {
      expect(person.label.startsWith('培训：')).toBe(true);
      expect(isEligible(person.expected)).toBe(true);
    }
    for (const person of ROSTER) expect(person.label.startsWith('培训：')).toBe(false);
  });

  it('has unique keys, ID numbers, names and phones', () => {
    for (const field of ['key', 'idNumber', 'name', 'phone'] as const) {
      const values = EVERYONE.map((p) => p[field]);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it.each(EVERYONE.map((p) => [p.key, p] as const))('%s matches the admin JSON Schema', (_key, person) => {
    expect(check(ROSTER_PERSON_SCHEMA, structuredClone(person))).toEqual({ ok: true, value: person });
  });

  it.each(EVERYONE.map((p) => [p.key, p] as const))(
    '%s has a valid Ningxia ID number that agrees with birth date and sex',
    (_key, person) => {
      const parsed = parseIdNumber(person.idNumber, ROSTER_AS_OF);
      if (!parsed.ok) throw new Error(`${person.key}: ${parsed.message}`);
      expect(parsed.value.idNumber).toBe(person.idNumber);
      expect(parsed.value.birthDate).toBe(person.birthDate);
      expect(parsed.value.sex).toBe(person.sex);
      expect(isNingxiaRegion(parsed.value.regionCode)).toBe(true);
      // A retired code can only have been issued to someone born before it was retired.
      const legacy = legacyRegion(parsed.value.regionCode);
      if (legacy) expect(Number(person.birthDate.slice(0, 4))).toBeLessThanOrEqual(legacy.inUseUntil);
    },
  );

  it('carries two or three old 银南/固原 (6421xx/6422xx) ID numbers', () => {
    const legacy = EVERYONE.filter((p) => /^642[12]/.test(p.idNumber)).map((p) => p.key);
    expect(legacy.length).toBeGreaterThanOrEqual(2);
    expect(legacy.length).toBeLessThanOrEqual(3);
  });

  it.each(EVERYONE.map((p) => [p.key, p] as const))(
    '%s has a phone, places and dates that make sense',
    (_key, person) => {
      expect(isValidMobile(person.phone)).toBe(true);
      expect(person.phone).toMatch(/^1990000\d{4}$/); // obviously fictional
      const home = person.household.regionCode;
      if (home.startsWith('64')) expect(isCurrentNingxiaCounty(home)).toBe(true);
      else expect(PROVINCE_NAMES[home.slice(0, 2)]).toBeDefined();
      if (person.residencePermit) {
        expect(isCurrentNingxiaCounty(person.residencePermit.regionCode)).toBe(true);
        expect(home.startsWith('64')).toBe(false); // nobody needs a permit in their own province
      }
      for (const e of person.enrollments) {
        expect(PROVINCE_NAMES[e.provinceCode]).toBeDefined();
        expect(ageOn(person.birthDate, e.since)).toBeGreaterThanOrEqual(16);
        expect(e.since <= ROSTER_AS_OF).toBe(true);
        if (e.status === 'active') expect(e.until).toBeUndefined();
        else expect(e.until !== undefined && e.since < e.until && e.until <= ROSTER_AS_OF).toBe(true);
      }
      if (person.ningxiaCard) expect(person.ningxiaCard.issuedAt > person.birthDate).toBe(true);
      for (const b of person.businesses ?? []) {
        expect(isValidCreditCode(b.creditCode)).toBe(true);
        expect(isCurrentNingxiaCounty(b.regionCode)).toBe(true);
        expect(b.creditCode.slice(2, 8)).toBe(b.regionCode);
        expect(b.creditCode.slice(0, 2)).toBe(b.kind === 'individualBusiness' ? '92' : '91');
        expect(b.role).toBe(b.kind === 'individualBusiness' ? 'operator' : 'legalRepresentative');
        expect(ageOn(person.birthDate, b.registeredOn)).toBeGreaterThanOrEqual(18);
        expect(b.registeredOn <= ROSTER_AS_OF && b.employees.year <= Number(ROSTER_AS_OF.slice(0, 4))).toBe(true);
        if (b.status === 'active') expect(b.cancelledOn).toBeUndefined();
        else expect(b.cancelledOn !== undefined && b.registeredOn < b.cancelledOn).toBe(true);
      }
    },
  );

  it.each(EVERYONE.map((p) => [p.key, p] as const))('%s: `expected` agrees with the data', (_key, person) => {
    expect(person.expected).toEqual(derive(person));
  });

  it('trips every rule of §3 and every other condition with at least one person', () => {
    const tripping = (test: (e: ExpectedEligibility) => boolean) =>
      ROSTER.filter((p) => test(p.expected)).map((p) => p.key);
    expect(tripping((e) => !e.rule1)).toEqual(['employee-pension-other-province', 'institution-medical-ningxia']);
    expect(tripping((e) => !e.rule2)).toEqual([
      'employee-pension-other-province',
      'institution-medical-ningxia',
      'resident-medical-ningxia',
    ]);
    expect(tripping((e) => e.backPaymentOffline)).toEqual(['wants-back-payment']); // rule 3
    expect(tripping((e) => e.card === 'notNeeded')).toEqual(['holds-ningxia-card']); // rule 4
    expect(tripping((e) => !e.rule5)).toEqual(['employer-with-employees', 'employer-says-flexible']);
    expect(tripping((e) => !e.age)).toEqual(['over-retirement-age', 'under-16']);
    expect(tripping((e) => !e.residence)).toEqual(['no-ningxia-residence', 'expired-residence-permit']);
    expect(tripping((e) => !e.faceCheck)).toEqual(['face-check-fails']);
    // Rule 2's second half: an ended Ningxia medical record makes it a change registration.
    expect(ROSTER.filter((p) => medicalRegistrationKind(p) === 'change').map((p) => p.key)).toEqual([
      'ended-ningxia-medical',
    ]);
  });

  it('lets through everyone it should, and trips each of them on one thing only', () => {
    const eligible = ROSTER.filter((p) => isEligible(p.expected)).map((p) => p.key);
    expect(eligible).toEqual([
      'eligible-vendor',
      'part-time-worker',
      'self-employed-no-employees',
      'ended-ningxia-medical',
      'holds-ningxia-card',
      'wants-back-payment',
      'residence-permit-ningxia',
      'ended-pension-other-province',
      'woman-55-before-retirement',
    ]);
    for (const person of ROSTER) {
      const failed = BLOCKING.filter((k) => !person.expected[k]);
      // rule 1 always drags rule 2 along; everything else stands alone
      if (failed.includes('rule1')) expect(failed).toEqual(['rule1', 'rule2']);
      else expect(failed.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('the people the scenarios need', () => {
  it('covers each kind of work answer', () => {
    expect(findPerson('eligible-vendor')?.employmentType).toBe('flexible');
    expect(findPerson('part-time-worker')?.employmentType).toBe('partTime');
    expect(findPerson('self-employed-no-employees')?.employmentType).toBe('selfEmployedNoEmployees');
    expect(findPerson('employer-with-employees')?.employmentType).toBe('employerWithEmployees');
  });

  it('has an active employee pension in another province, and an ended one that does not block', () => {
    expect(findPerson('employee-pension-other-province')?.enrollments).toContainEqual(
      expect.objectContaining({ insurance: 'employeePension', provinceCode: '44', status: 'active' }),
    );
    const ended = findPerson('ended-pension-other-province');
    expect(ended?.enrollments).toContainEqual(
      expect.objectContaining({ insurance: 'employeePension', provinceCode: '11', status: 'ended' }),
    );
    expect(ended && medicalRegistrationKind(ended)).toBe('enrol'); // ended outside Ningxia: a first enrolment here
  });

  it('has registered businesses: one without employees (eligible), and employers whatever they answer', () => {
    const cobbler = findPerson('self-employed-no-employees');
    expect(cobbler?.businesses).toEqual([
      expect.objectContaining({
        kind: 'individualBusiness',
        status: 'active',
        employees: expect.objectContaining({ count: 0 }),
      }),
    ]);
    expect(cobbler?.expected.rule5).toBe(true);
    expect(findPerson('employer-with-employees')?.businesses).toContainEqual(
      expect.objectContaining({ status: 'active', employees: expect.objectContaining({ count: 4 }) }),
    );
    // The case of issue 13: answers 灵活就业人员, and the record shows six employees.
    const sayer = findPerson('employer-says-flexible');
    expect(sayer?.employmentType).toBe('flexible');
    expect(sayer?.businesses).toContainEqual(
      expect.objectContaining({ status: 'active', employees: expect.objectContaining({ count: 6 }) }),
    );
    expect(sayer?.businesses).toContainEqual(expect.objectContaining({ status: 'cancelled', kind: 'enterprise' }));
    expect(sayer?.expected.rule5).toBe(false);
  });

  it('has active Ningxia institution medical (rules 1 and 2) and resident medical (rule 2 only)', () => {
    expect(findPerson('institution-medical-ningxia')?.enrollments).toEqual([
      expect.objectContaining({ insurance: 'institutionMedical', provinceCode: '64', status: 'active' }),
    ]);
    expect(findPerson('resident-medical-ningxia')?.enrollments).toEqual([
      expect.objectContaining({ insurance: 'residentMedical', provinceCode: '64', status: 'active' }),
    ]);
  });

  it('has a woman past 55 who is not yet at her delayed retirement age, and a man past his', () => {
    const woman = findPerson('woman-55-before-retirement');
    expect(woman && ageOn(woman.birthDate, ROSTER_AS_OF)).toBe(55);
    expect(woman?.expected.age).toBe(true);
    const man = findPerson('over-retirement-age');
    expect(man && ageOn(man.birthDate, ROSTER_AS_OF)).toBe(62);
    const child = findPerson('under-16');
    expect(child && ageOn(child.birthDate, ROSTER_AS_OF)).toBe(14);
  });

  it('has a non-Ningxia household with and without a valid Ningxia residence permit', () => {
    expect(findPerson('residence-permit-ningxia')?.residencePermit?.validUntil).toBe('2028-03-31');
    expect(findPerson('no-ningxia-residence')?.residencePermit).toBeUndefined();
    expect(findPerson('expired-residence-permit')?.residencePermit?.validUntil).toBe('2026-10-31');
  });

  it('finds trainees too, and nobody who is not there', () => {
    expect(findPerson('training-ended-medical')?.idNumber).toBe('64050219800730082X');
    expect(findPerson('no-such-person')).toBeUndefined();
  });
});
