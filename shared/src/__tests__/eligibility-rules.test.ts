import {
  ROSTER,
  ROSTER_AS_OF,
  TRAINING_ROSTER,
  medicalRegistrationKind,
  type ExpectedEligibility,
  type RosterPerson,
} from '../../../bff/simulators/roster';
import type { HrssEnrollment } from '../contracts/hrss';
import type { MedicalEnrollment } from '../contracts/medical';
import {
  ELIGIBILITY_RULES,
  blockedWith,
  evaluateEligibility,
  fillTemplate,
  ruleById,
  rulesInOrder,
  type EligibilityFacts,
  type EligibilityRuleId,
  type EligibilityVerdict,
} from '../eligibility-rules';
import { MATTERS } from '../matters';
import { provinceName } from '../regions';

const MEDICAL_KINDS = ['employeeMedical', 'institutionMedical', 'residentMedical', 'flexibleMedical'];
const HRSS_KINDS = [
  'employeePension',
  'institutionPension',
  'residentPension',
  'flexiblePension',
  'employeeMedical',
  'institutionMedical',
];

/**
 * The facts the BFF would gather for a roster person: the answers they would
 * give, the real-name record, and the union of what the HRSS and medical
 * enrollment queries reply (employee and institution medical come from both,
 * as the simulators seed them).
 */
function factsFor(person: RosterPerson): EligibilityFacts {
  const asReply = (e: RosterPerson['enrollments'][number]) => ({
    ...e,
    provinceName: provinceName(e.provinceCode) ?? `省份代码 ${e.provinceCode}`,
  });
  const hrss = person.enrollments.filter((e) => HRSS_KINDS.includes(e.insurance)).map(asReply) as HrssEnrollment[];
  const medical = person.enrollments
    .filter((e) => MEDICAL_KINDS.includes(e.insurance))
    .map(asReply) as MedicalEnrollment[];
  return {
    answers: {
      employmentType: person.employmentType,
      wantsBackPayment: person.wantsBackPayment === true,
      wantsSpecialPayment: false,
    },
    person: {
      birthDate: person.birthDate,
      sex: person.sex,
      household: person.household,
      ...(person.residencePermit ? { residencePermit: person.residencePermit } : {}),
    },
    enrollments: [...hrss, ...medical],
    holdsNingxiaCard: person.ningxiaCard !== undefined,
    businesses: person.businesses ?? [],
    faceCheckPassed: person.faceCheck === 'pass',
  };
}

function result(verdict: EligibilityVerdict, id: EligibilityRuleId) {
  const found = verdict.rules.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

/** The verdict read back in the roster's terms. */
function asExpected(verdict: EligibilityVerdict): ExpectedEligibility {
  return {
    rule1: result(verdict, 'noEmployeeInsurance').passed,
    rule2: result(verdict, 'noOngoingInsurance').passed,
    card: verdict.matters.socialSecurityCard === 'notNeeded' ? 'notNeeded' : 'apply',
    backPaymentOffline: verdict.offline.some((o) => o.what === '历史补缴'),
    age: result(verdict, 'age').passed,
    residence: result(verdict, 'residence').passed,
    rule5: result(verdict, 'flexibleWorkerType').passed,
    faceCheck: result(verdict, 'faceCheck').passed,
  };
}

const BLOCKING: (keyof ExpectedEligibility)[] = ['rule1', 'rule2', 'age', 'residence', 'rule5', 'faceCheck'];
const EVERYONE = [...ROSTER, ...TRAINING_ROSTER];

describe('the eligibility rules as data', () => {
  it('are the five conditions of the work plan plus age, residence and the face check, each once', () => {
    expect(ELIGIBILITY_RULES.map((r) => r.id)).toEqual([
      'noEmployeeInsurance',
      'noOngoingInsurance',
      'normalPaymentOnly',
      'firstNingxiaCard',
      'flexibleWorkerType',
      'age',
      'residence',
      'faceCheck',
    ]);
  });

  it.each(ELIGIBILITY_RULES.map((r) => [r.id, r] as const))(
    '%s cites its source, and speaks plain Chinese on every path',
    (_id, rule) => {
      expect(rule.policy.document.length).toBeGreaterThan(4);
      expect(rule.policy.text).toMatch(/[\u4e00-\u9fff]{8}/);
      expect(rule.policy.text.endsWith('。')).toBe(true);
      if (rule.policy.basis === 'workPlan') expect(rule.policy.document).toMatch(/^宁人社发〔2026〕54号 /);
      for (const text of [rule.condition, rule.pass, rule.failReason, rule.whatToDo])
        expect(text.length).toBeGreaterThan(0);
      expect(rule.appliesTo.length).toBeGreaterThan(0);
      const matterIds = MATTERS.map((m) => m.id);
      for (const id of rule.appliesTo) expect(matterIds).toContain(id);
    },
  );

  it('cite 附件2 三、1 to 5 of the work plan for rules 1 to 5', () => {
    const byRule: [EligibilityRuleId, string][] = [
      ['noEmployeeInsurance', '附件2 三、1'],
      ['noOngoingInsurance', '附件2 三、2'],
      ['normalPaymentOnly', '附件2 三、3'],
      ['firstNingxiaCard', '附件2 三、4'],
      ['flexibleWorkerType', '附件2 三、5'],
    ];
    for (const [id, section] of byRule) {
      expect(ruleById(id).policy.document).toBe(`宁人社发〔2026〕54号 ${section}`);
      expect(ruleById(id).policy.basis).toBe('workPlan');
    }
    expect(ruleById('noEmployeeInsurance').policy.text).toContain('不允许在外省或本省进行企业职工养老保险');
    expect(ruleById('firstNingxiaCard').policy.text).toContain('邮递费固定收取5.8元');
  });

  it('block everything when employment registration fails: every matter depends on it', () => {
    expect(blockedWith(['employmentRegistration'])).toEqual(MATTERS.map((m) => m.id));
    expect(ruleById('noEmployeeInsurance').effect).toBe('blocksAll');
  });

  it('let rule 2 block pension, medical, and what depends on them (card, premium) — not the archive', () => {
    expect(ruleById('noOngoingInsurance').effect).toBe('blocksMatters');
    expect(blockedWith(ruleById('noOngoingInsurance').appliesTo)).toEqual([
      'pensionRegistration',
      'socialSecurityCard',
      'medicalRegistration',
      'premiumDeclaration',
    ]);
  });

  it('fill templates, and leave a placeholder without a value visible', () => {
    expect(fillTemplate('您在{province}有{insurance}', { province: '广东省', insurance: '职工医保' })).toBe(
      '您在广东省有职工医保',
    );
    expect(fillTemplate('{a}{b}', { a: '甲' })).toBe('甲{b}');
  });
});

describe('evaluateEligibility on the roster', () => {
  it.each(EVERYONE.map((p) => [p.key, p] as const))('%s gets the verdict the roster expects', (_key, person) => {
    const verdict = evaluateEligibility(factsFor(person), ROSTER_AS_OF);
    expect(asExpected(verdict)).toEqual(person.expected);
    expect(verdict.eligible).toBe(BLOCKING.every((k) => person.expected[k] === true));
    expect(verdict.medicalRegistrationKind).toBe(medicalRegistrationKind(person) === 'change' ? 'change' : 'new');
  });

  it.each(EVERYONE.map((p) => [p.key, p] as const))(
    '%s: every failing rule says why, cites its policy and says what to do; nothing is left unfilled',
    (_key, person) => {
      const verdict = evaluateEligibility(factsFor(person), ROSTER_AS_OF);
      for (const r of verdict.rules) {
        expect(r.reason).not.toMatch(/[{}]/);
        expect(r.policy.text.length).toBeGreaterThan(10);
        if (r.passed) {
          expect(r.whatToDo).toBeUndefined();
        } else {
          expect(r.reason.length).toBeGreaterThan(8);
          expect(r.whatToDo).toMatch(/窗口|网点|12333|12345|派出所/);
          expect(r.whatToDo).not.toMatch(/[{}]/);
        }
      }
    },
  );

  it('gives the matters their verdicts: everything for the eligible, nothing for the blocked', () => {
    const vendor = evaluateEligibility(factsFor(find('eligible-vendor')), ROSTER_AS_OF);
    expect(Object.values(vendor.matters)).toEqual(Array(6).fill('apply'));
    expect(vendor.offline).toEqual([]);
    expect(vendor.pending).toEqual([]);

    const employee = evaluateEligibility(factsFor(find('employee-pension-other-province')), ROSTER_AS_OF);
    expect(employee.eligible).toBe(false);
    expect(Object.values(employee.matters)).toEqual(Array(6).fill('blocked'));
  });

  it('lets rule 2 alone block pension, medical, card and premium but not employment registration or the archive', () => {
    const verdict = evaluateEligibility(factsFor(find('resident-medical-ningxia')), ROSTER_AS_OF);
    expect(verdict.eligible).toBe(false);
    expect(verdict.matters).toEqual({
      employmentRegistration: 'apply',
      archiveTransfer: 'apply',
      pensionRegistration: 'blocked',
      socialSecurityCard: 'blocked',
      medicalRegistration: 'blocked',
      premiumDeclaration: 'blocked',
    });
  });

  it('names the insurance and the province, once each, even when both departments report it', () => {
    const verdict = evaluateEligibility(factsFor(find('employee-pension-other-province')), ROSTER_AS_OF);
    const rule1 = result(verdict, 'noEmployeeInsurance');
    expect(rule1.reason).toBe(
      '您在广东省有正在参保缴费的企业职工基本养老保险、职工基本医疗保险，不能以灵活就业人员身份办理就业登记。',
    );
    expect(rule1.policy.text).toContain('外省或本省');
    expect(result(verdict, 'noOngoingInsurance').reason).toContain('广东省');

    const institution = evaluateEligibility(factsFor(find('institution-medical-ningxia')), ROSTER_AS_OF);
    expect(result(institution, 'noEmployeeInsurance').reason).toContain(
      '宁夏回族自治区有正在参保缴费的机关事业单位医疗保险',
    );

    const resident = evaluateEligibility(factsFor(find('resident-medical-ningxia')), ROSTER_AS_OF);
    expect(result(resident, 'noEmployeeInsurance').passed).toBe(true); // resident insurance is not rule 1's
    expect(result(resident, 'noOngoingInsurance').reason).toContain(
      '宁夏回族自治区有正在参保缴费的城乡居民基本医疗保险',
    );
  });

  it('says each province in its own sentence', () => {
    const facts = factsFor(find('eligible-vendor'));
    facts.enrollments = [
      {
        insurance: 'employeePension',
        provinceCode: '44',
        provinceName: '广东省',
        status: 'active',
        since: '2016-03-01',
      },
      {
        insurance: 'employeeMedical',
        provinceCode: '32',
        provinceName: '江苏省',
        status: 'active',
        since: '2020-01-01',
      },
      {
        insurance: 'employeePension',
        provinceCode: '11',
        provinceName: '北京市',
        status: 'ended',
        since: '2010-01-01',
      },
    ];
    const reason = result(evaluateEligibility(facts, ROSTER_AS_OF), 'noEmployeeInsurance').reason;
    expect(reason).toBe(
      '您在广东省有正在参保缴费的企业职工基本养老保险，不能以灵活就业人员身份办理就业登记。' +
        '您在江苏省有正在参保缴费的职工基本医疗保险，不能以灵活就业人员身份办理就业登记。',
    );
    expect(reason).not.toContain('北京市'); // ended enrollments do not count
  });

  it('sends back payment to an HRSS window with hours and 12333, and lets the rest go on', () => {
    const verdict = evaluateEligibility(factsFor(find('wants-back-payment')), ROSTER_AS_OF);
    expect(verdict.eligible).toBe(true);
    expect(verdict.matters.premiumDeclaration).toBe('apply');
    expect(verdict.offline).toEqual([
      {
        what: '历史补缴',
        where: '户籍或居住地所在县（区）人社窗口',
        hours: expect.stringContaining('工作日'),
        phone: '12333',
      },
    ]);
    const rule3 = result(verdict, 'normalPaymentOnly');
    expect(rule3).toMatchObject({ passed: false, effect: 'partOffline' });
    expect(rule3.reason).toContain('历史补缴');
    expect(rule3.whatToDo).toContain('户籍或居住地所在县（区）人社窗口');
  });

  it('sends special payment there too, and says both in one sentence when both are wanted', () => {
    const facts = factsFor(find('eligible-vendor'));
    facts.answers = { ...facts.answers, wantsSpecialPayment: true, wantsBackPayment: true };
    const verdict = evaluateEligibility(facts, ROSTER_AS_OF);
    expect(verdict.eligible).toBe(true);
    expect(verdict.offline.map((o) => o.what)).toEqual(['特殊缴费', '历史补缴']);
    expect(result(verdict, 'normalPaymentOnly').reason).toBe(
      '网上只能办理正常缴费，您要办的特殊缴费和历史补缴需要到人社窗口办理；其他事项照常在网上办理。',
    );
  });

  it('marks the card not needed for a Ningxia card holder, and nothing else', () => {
    const verdict = evaluateEligibility(factsFor(find('holds-ningxia-card')), ROSTER_AS_OF);
    expect(verdict.eligible).toBe(true);
    expect(verdict.matters.socialSecurityCard).toBe('notNeeded');
    expect(Object.values(verdict.matters).filter((v) => v === 'apply')).toHaveLength(5);
    expect(result(verdict, 'firstNingxiaCard').whatToDo).toContain('12333');
  });

  it('keeps the card not needed even when everything else is blocked', () => {
    const facts = factsFor(find('employee-pension-other-province'));
    facts.holdsNingxiaCard = true;
    const verdict = evaluateEligibility(facts, ROSTER_AS_OF);
    expect(verdict.matters.socialSecurityCard).toBe('notNeeded');
    expect(verdict.matters.employmentRegistration).toBe('blocked');
  });

  it('refuses an employer with employees by rule 5, pointing to unit registration', () => {
    const verdict = evaluateEligibility(factsFor(find('employer-with-employees')), ROSTER_AS_OF);
    const rule5 = result(verdict, 'flexibleWorkerType');
    expect(rule5.reason).toContain('杨记清真牛肉面馆');
    expect(rule5.reason).toContain('用人单位');
    expect(rule5.whatToDo).toContain('社会保险登记');
    expect(rule5.policy.text).toContain('无雇工的个体工商户');
  });

  it('refuses by the answer alone when no registration shows employees, with the answer’s own words', () => {
    const facts = factsFor(find('eligible-vendor'));
    facts.answers = { ...facts.answers, employmentType: 'employerWithEmployees' };
    const rule5 = result(evaluateEligibility(facts, ROSTER_AS_OF), 'flexibleWorkerType');
    expect(rule5).toMatchObject({ status: 'failed', effect: 'blocksAll' });
    expect(rule5.reason).toBe(ruleById('flexibleWorkerType').failReason);
    expect(rule5.whatToDo).toContain('单位参保登记');
  });

  it('refuses an employer who answers 灵活就业人员: the registration record shows the business and its employees', () => {
    const person = find('employer-says-flexible');
    const facts = factsFor(person);
    expect(facts.answers.employmentType).toBe('flexible');
    const verdict = evaluateEligibility(facts, ROSTER_AS_OF);
    expect(verdict.eligible).toBe(false);
    expect(Object.values(verdict.matters)).toEqual(Array(6).fill('blocked'));
    const rule5 = result(verdict, 'flexibleWorkerType');
    expect(rule5).toMatchObject({ status: 'failed', passed: false, effect: 'blocksAll' });
    // What the record shows, why that rules it out, and that the answer does not change it.
    expect(rule5.reason).toBe(
      '市场监管部门的登记信息显示，您是个体工商户“青铜峡市建华农家乐”（统一社会信用代码 92640381MA77BQ2N81）的经营者，' +
        '2025年度报告的雇工人数为 6 人。雇了人的个体工商户和企业属于用人单位，要以单位身份为雇工和自己办理职工参保，' +
        '不能按灵活就业人员办理；这一条按登记信息核对，不论就业形式选的是哪一种。',
    );
    expect(rule5.reason).not.toContain('华兴建材'); // cancelled: no longer an employer
    expect(rule5.whatToDo).toContain('户籍或居住地所在县（区）人社窗口');
    expect(rule5.whatToDo).toContain('12333');
    expect(rule5.whatToDo).toContain('市场监管部门');
    // Only rule 5 fails for this person.
    expect(verdict.rules.filter((r) => !r.passed).map((r) => r.id)).toEqual(['flexibleWorkerType']);
  });

  it('lets a registered business without employees through, and a cancelled one with employees', () => {
    const cobbler = evaluateEligibility(factsFor(find('self-employed-no-employees')), ROSTER_AS_OF);
    expect(cobbler.eligible).toBe(true);
    expect(result(cobbler, 'flexibleWorkerType').reason).toBe(ruleById('flexibleWorkerType').pass);

    const facts = factsFor(find('employer-says-flexible'));
    facts.businesses = facts.businesses.filter((b) => b.status === 'cancelled');
    expect(facts.businesses).toEqual([expect.objectContaining({ employees: expect.objectContaining({ count: 12 }) })]);
    expect(result(evaluateEligibility(facts, ROSTER_AS_OF), 'flexibleWorkerType').passed).toBe(true);
  });

  it('names every active business with employees in one reason, the enterprise’s legal representative too', () => {
    const facts = factsFor(find('employer-says-flexible'));
    facts.businesses = [
      ...facts.businesses,
      {
        name: '宁夏某某商贸有限公司',
        creditCode: '91640104MA7C2P4L6C',
        kind: 'enterprise',
        role: 'legalRepresentative',
        status: 'active',
        registeredOn: '2024-03-01',
        regionCode: '640104',
        employees: { count: 2, source: 'registration', year: 2024 },
      },
    ];
    const rule5 = result(evaluateEligibility(facts, ROSTER_AS_OF), 'flexibleWorkerType');
    expect(rule5.reason).toContain('“青铜峡市建华农家乐”');
    expect(rule5.reason).toContain(
      '；也是企业“宁夏某某商贸有限公司”（统一社会信用代码 91640104MA7C2P4L6C）的法定代表人，2024年登记的雇工人数为 2 人。',
    );
    expect(rule5.reason.match(/用人单位/g)).toHaveLength(1);
  });

  it('words the record-based refusal of rule 5 as plain Chinese, with a place to go', () => {
    const texts = ruleById('flexibleWorkerType').fromRecord;
    expect(texts?.failReason).toContain('{businesses}');
    expect(texts?.whatToDo).toMatch(/窗口/);
    expect(ELIGIBILITY_RULES.filter((r) => r.fromRecord).map((r) => r.id)).toEqual(['flexibleWorkerType']);
  });

  it('words age failures with the delayed retirement age, and under-16s plainly', () => {
    const old = result(evaluateEligibility(factsFor(find('over-retirement-age')), ROSTER_AS_OF), 'age');
    expect(old.reason).toContain('法定退休年龄为60周岁');
    const child = result(evaluateEligibility(factsFor(find('under-16')), ROSTER_AS_OF), 'age');
    expect(child.reason).toContain('未满16周岁');
    expect(child.policy.text).toContain('未满十六周岁');
  });

  it('says where the household is and what is wrong with the permit', () => {
    const none = result(evaluateEligibility(factsFor(find('no-ningxia-residence')), ROSTER_AS_OF), 'residence');
    expect(none.reason).toBe('您的户口在陕西省，也没有宁夏居住证，暂时不能在这里办理。');
    const expired = result(evaluateEligibility(factsFor(find('expired-residence-permit')), ROSTER_AS_OF), 'residence');
    expect(expired.reason).toBe('您的户口在内蒙古自治区，宁夏居住证已于2026年10月31日到期，暂时不能在这里办理。');
    expect(expired.whatToDo).toContain('派出所');
  });

  it('counts a residence permit as valid through its last day, and a permit from elsewhere not at all', () => {
    const facts = factsFor(find('expired-residence-permit'));
    expect(result(evaluateEligibility(facts, '2026-10-31'), 'residence').passed).toBe(true);
    expect(result(evaluateEligibility(facts, '2026-11-01'), 'residence').passed).toBe(false);
    facts.person.residencePermit = { regionCode: '610113', validUntil: '2030-01-01' };
    expect(result(evaluateEligibility(facts, ROSTER_AS_OF), 'residence').passed).toBe(false);
  });

  it('treats a face check not yet done as pending, not as a failure', () => {
    const facts = factsFor(find('eligible-vendor'));
    delete facts.faceCheckPassed;
    const verdict = evaluateEligibility(facts, ROSTER_AS_OF);
    expect(verdict.eligible).toBe(true);
    expect(verdict.pending).toEqual(['faceCheck']);
    expect(result(verdict, 'faceCheck')).toMatchObject({ status: 'pending', passed: true });

    const failed = evaluateEligibility(factsFor(find('face-check-fails')), ROSTER_AS_OF);
    expect(failed.eligible).toBe(false);
    expect(result(failed, 'faceCheck')).toMatchObject({ status: 'failed', passed: false });
    expect(result(failed, 'faceCheck').whatToDo).toContain('12345');
  });

  it('is read with what stops the applicant first, and no face check still to come when nothing can go on (rulesInOrder)', () => {
    const facts = factsFor(find('employee-pension-other-province'));
    delete facts.faceCheckPassed;
    const refused = evaluateEligibility(facts, ROSTER_AS_OF);
    const shown = rulesInOrder(refused);
    expect(shown[0]).toMatchObject({ status: 'failed', passed: false });
    expect(shown.map((r) => r.id)).not.toContain('faceCheck');
    expect(shown.findIndex((r) => r.passed)).toBe(refused.rules.filter((r) => !r.passed).length);

    const vendor = factsFor(find('eligible-vendor'));
    delete vendor.faceCheckPassed;
    const eligible = evaluateEligibility(vendor, ROSTER_AS_OF);
    expect(rulesInOrder(eligible).map((r) => r.id)).toEqual(eligible.rules.map((r) => r.id));
  });

  it('is pure: the same facts give the same verdict and are not changed', () => {
    const facts = factsFor(find('employee-pension-other-province'));
    const before = JSON.stringify(facts);
    expect(evaluateEligibility(facts, ROSTER_AS_OF)).toEqual(evaluateEligibility(facts, ROSTER_AS_OF));
    expect(JSON.stringify(facts)).toBe(before);
  });
});

function find(key: string): RosterPerson {
  const person = EVERYONE.find((p) => p.key === key);
  if (!person) throw new Error(`no roster person ${key}`);
  return person;
}
