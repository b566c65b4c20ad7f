import { CURRENT_POLICY, chinaToday, makeIdNumber } from '@flexins/shared';
import {
  MEDICAL_ENROLLMENT_QUERY_REPLY,
  MEDICAL_FLEXIBLE_REGISTRATION_REPLY,
  type MedicalFlexibleRegistrationRequest,
} from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { ROSTER, TRAINING_ROSTER, findPerson, medicalRegistrationKind, type RosterPerson } from '../../roster';
import { useTestSimulator, openApiOf, signedPost } from '../../test-support';
import { medicalSimulator } from '../index';

const sim = useTestSimulator(medicalSimulator);

const QUERY = '/medical/v1/enrollment-queries';
const REGISTER = '/medical/v1/flexible-registrations';

function person(key: string): RosterPerson {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
}

function registrationOf(p: RosterPerson): MedicalFlexibleRegistrationRequest {
  return {
    idNumber: p.idNumber,
    name: p.name,
    employmentType: p.employmentType,
    employmentRegistrationNo: 'JY20261129000001',
    residenceRegionCode: p.household.regionCode.startsWith('64') ? p.household.regionCode : '640104',
  };
}

async function query(idNumber: string) {
  return signedPost(sim, QUERY, { idNumber }, null);
}

/** The 2026 figures: 7000 yuan × 60% = 4200 yuan base, × 8% = 336 yuan a month. */
function expectedMonthlyMedicalFen(): number {
  const { base, rateBasisPoints } = CURRENT_POLICY.medical.value;
  if (base.kind !== 'percentOfAverageWage') throw new Error('this test expects a fixed medical base');
  const baseFen = Math.round((CURRENT_POLICY.averageMonthlyWageFen.value * base.percent) / 100);
  return Math.round((baseFen * rateBasisPoints) / 10_000);
}

function firstOfNextMonth(today: string): string {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

describe('the enrollment query', () => {
  it('answers the seeded medical enrollments of a person, valid against the reply schema', async () => {
    const p = person('resident-medical-ningxia');
    const res = await query(p.idNumber);
    expect(res.status).toBe(200);
    expect(check(MEDICAL_ENROLLMENT_QUERY_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toEqual({
      enrollments: [
        {
          insurance: 'residentMedical',
          provinceCode: '64',
          provinceName: '宁夏回族自治区',
          status: 'active',
          since: '2020-01-01',
        },
      ],
      ningxiaHistory: false,
    });
  });

  it('holds only medical enrollments: another province’s employee pension is HRSS’s record', async () => {
    const res = await query(person('employee-pension-other-province').idNumber);
    expect(res.body.enrollments).toEqual([
      {
        insurance: 'employeeMedical',
        provinceCode: '44',
        provinceName: '广东省',
        status: 'active',
        since: '2016-03-01',
      },
    ]);
  });

  it.each([...ROSTER, ...TRAINING_ROSTER].map((p) => [p.key, p] as const))(
    '%s: ningxiaHistory agrees with the roster’s medicalRegistrationKind',
    async (_key, p) => {
      const res = await query(p.idNumber);
      expect(res.status).toBe(200);
      expect(res.body.ningxiaHistory).toBe(medicalRegistrationKind(p) === 'change');
    },
  );

  it('answers an unknown person with no enrollments rather than an error', async () => {
    const res = await query(makeIdNumber('640104', '1990-01-01', 999));
    expect(res).toEqual({ status: 200, body: { enrollments: [], ningxiaHistory: false } });
  });

  it('answers a malformed ID number with 400 naming the field', async () => {
    const res = await query('640104198803150318'); // wrong check digit
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ idNumber: '身份证号码最后一位校验码不正确，请逐位核对' });
  });
});

describe('flexible worker registration', () => {
  it('registers an eligible person as new, with the medical premium from CURRENT_POLICY', async () => {
    const p = person('eligible-vendor');
    const res = await signedPost(sim, REGISTER, registrationOf(p));

    expect(res.status).toBe(200);
    expect(check(MEDICAL_FLEXIBLE_REGISTRATION_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toMatchObject({
      kind: 'new',
      insurance: 'flexibleMedical',
      monthlyMedicalFen: expectedMonthlyMedicalFen(),
      coverageStartsOn: firstOfNextMonth(chinaToday()),
    });
    expect(res.body.medicalInsuranceNo).toMatch(/^YB\d{14}$/);
  });

  it('adds an active flexible medical enrollment that the query shows afterwards', async () => {
    const p = person('training-part-time-cleaner');
    expect((await query(p.idNumber)).body.enrollments).toEqual([]);
    expect((await signedPost(sim, REGISTER, registrationOf(p))).status).toBe(200);

    const after = await query(p.idNumber);
    expect(check(MEDICAL_ENROLLMENT_QUERY_REPLY, after.body)).toMatchObject({ ok: true });
    expect(after.body.enrollments).toEqual([
      {
        insurance: 'flexibleMedical',
        provinceCode: '64',
        provinceName: '宁夏回族自治区',
        status: 'active',
        since: chinaToday(),
      },
    ]);
  });

  it('makes it a change registration after an ended Ningxia medical enrollment, and ends nothing', async () => {
    const p = person('ended-ningxia-medical');
    const res = await signedPost(sim, REGISTER, registrationOf(p));
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('change');

    const after = await query(p.idNumber);
    expect(after.body.enrollments).toEqual([
      {
        insurance: 'employeeMedical',
        provinceCode: '64',
        provinceName: '宁夏回族自治区',
        status: 'ended',
        since: '2008-07-01',
        until: '2023-12-31',
      },
      expect.objectContaining({ insurance: 'flexibleMedical', status: 'active' }),
    ]);
  });

  it('lets part-time workers and self-employed people without employees join (rule 5)', async () => {
    for (const key of ['part-time-worker', 'self-employed-no-employees']) {
      const res = await signedPost(sim, REGISTER, registrationOf(person(key)));
      expect(res.status).toBe(200);
      expect(res.body.kind).toBe('new');
    }
  });

  it('answers a retry with a new key after success with 409 and the existing number, keeping one record', async () => {
    const p = person('residence-permit-ningxia');
    const first = await signedPost(sim, REGISTER, registrationOf(p));
    expect(first.status).toBe(200);

    const retry = await signedPost(sim, REGISTER, registrationOf(p));
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('ALREADY_REGISTERED');
    expect(retry.body.error.message).toContain(first.body.medicalInsuranceNo);
    expect(retry.body.error.details.medicalInsuranceNo).toBe(first.body.medicalInsuranceNo);

    expect(await sim.records('registrations', p.idNumber)).toHaveLength(1);
    const flexible = (await sim.records('enrollments', p.idNumber)).filter((e) => e.insurance === 'flexibleMedical');
    expect(flexible).toHaveLength(1);
  });

  it('after a lost reply, a retry with a fresh key learns the number that was registered', async () => {
    const p = person('woman-55-before-retirement');
    await sim.admin('POST', '/admin/scripts', { idNumber: p.idNumber, outcome: 'lostReply', times: 1 });
    await expect(signedPost(sim, REGISTER, registrationOf(p))).rejects.toThrow();
    const [registered] = await sim.records('registrations', p.idNumber);

    const retry = await signedPost(sim, REGISTER, registrationOf(p));
    expect(retry.status).toBe(409);
    expect(retry.body.error.details.medicalInsuranceNo).toBe(registered.medicalInsuranceNo);
  });

  it('recognises a repeat before any rule, even when the repeat would be refused', async () => {
    const p = person('training-breakfast-stall');
    const first = await signedPost(sim, REGISTER, registrationOf(p));
    const repeat = await signedPost(sim, REGISTER, { ...registrationOf(p), employmentType: 'employerWithEmployees' });
    expect(repeat.status).toBe(409);
    expect(repeat.body.error.details.medicalInsuranceNo).toBe(first.body.medicalInsuranceNo);
  });

  it('turns parallel registrations with different keys into one record and one success', async () => {
    const p = person('training-delivery-rider');
    const replies = await Promise.all(Array.from({ length: 8 }, () => signedPost(sim, REGISTER, registrationOf(p))));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.status === 200)!.body.medicalInsuranceNo;
    for (const loser of replies.filter((r) => r.status === 409)) {
      expect(loser.body.error.details.medicalInsuranceNo).toBe(winner);
    }
    expect(await sim.records('registrations', p.idNumber)).toHaveLength(1);
    expect(await sim.records('enrollments', p.idNumber)).toHaveLength(1);
  });
});

describe('refusals', () => {
  it.each([
    ['resident-medical-ningxia', '宁夏回族自治区', '城乡居民基本医疗保险', '城乡居民医保停保'],
    ['institution-medical-ningxia', '宁夏回族自治区', '机关事业单位（公务员）医疗保险', '减员、停保'],
    // The roster expects rule 2 to fail for her: the Guangdong employee medical enrollment decides it here.
    ['employee-pension-other-province', '广东省', '职工基本医疗保险', '减员、停保'],
  ])(
    'refuses %s under rule 2, naming the insurance, the province and what to do',
    async (key, province, label, how) => {
      const p = person(key);
      expect(p.expected.rule2).toBe(false);
      const res = await signedPost(sim, REGISTER, registrationOf(p));

      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('ONGOING_MEDICAL_INSURANCE');
      expect(res.body.error.message).toContain(`您在${province}有正在参保的${label}`);
      expect(res.body.error.message).toContain(how);
      expect(res.body.error.message).toContain('12333');
      expect(res.body.error.details).toMatchObject({ provinceName: province });
      expect(await sim.records('registrations', p.idNumber)).toHaveLength(0);
    },
  );

  it('refuses an employer with employees under rule 5, citing the rule', async () => {
    const p = person('employer-with-employees');
    expect(p.expected.rule5).toBe(false);
    const res = await signedPost(sim, REGISTER, registrationOf(p));

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('EMPLOYER_NOT_ALLOWED');
    expect(res.body.error.message).toContain('附件2 三、5');
    expect(res.body.error.message).toContain('无雇工的个体工商户、非全日制从业人员和灵活就业人员');
    expect(res.body.error.fields).toHaveProperty('employmentType');
    expect(await sim.records('registrations', p.idNumber)).toHaveLength(0);
  });

  it('refuses an employer with employees under rule 5 before looking at enrollments', async () => {
    const res = await signedPost(sim, REGISTER, {
      ...registrationOf(person('resident-medical-ningxia')),
      employmentType: 'employerWithEmployees',
    });
    expect(res.body.error.code).toBe('EMPLOYER_NOT_ALLOWED');
  });
});

describe('bad input', () => {
  it('answers 400 naming each field in Chinese', async () => {
    const res = await signedPost(sim, REGISTER, {
      idNumber: '64010419880315031',
      employmentType: 'freelancer',
      employmentRegistrationNo: 'YL20261129000001',
      residenceRegionCode: '440106',
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toMatchObject({
      idNumber: expect.stringContaining('身份证号格式不正确'),
      name: '请填写姓名',
      employmentType: expect.stringContaining('就业形式只能选：灵活就业人员、非全日制从业人员'),
      employmentRegistrationNo: expect.stringContaining('就业登记编号格式不正确'),
      residenceRegionCode: expect.stringContaining('居住地区县只能选：银川市兴庆区'),
      extra: '不认识的字段“extra”，请删除',
    });
  });

  it('requires an Idempotency-Key on the registration', async () => {
    const res = await signedPost(sim, REGISTER, registrationOf(person('under-16')), null);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});

describe('admin', () => {
  it('adds a person at run time, and adding them again replaces their seeded enrollments', async () => {
    const idNumber = makeIdNumber('640106', '1994-03-03', 123);
    const newPerson = {
      key: 'demo-moved-from-shaanxi',
      label: '演示：陕西居民医保在缴',
      name: '演示人',
      idNumber,
      sex: 'male',
      birthDate: '1994-03-03',
      ethnicity: '汉族',
      phone: '19900000999',
      household: { regionCode: '640106', address: '宁夏银川市金凤区某街道1号' },
      faceCheck: 'pass',
      employmentType: 'flexible',
      archiveLocation: '金凤区人力资源和社会保障局',
      enrollments: [
        { insurance: 'residentMedical', provinceCode: '61', status: 'active', since: '2019-01-01' },
        { insurance: 'residentPension', provinceCode: '61', status: 'active', since: '2019-01-01' },
      ],
    };
    expect((await sim.admin('POST', '/admin/people', newPerson)).status).toBe(201);
    expect((await query(idNumber)).body.enrollments).toEqual([
      {
        insurance: 'residentMedical',
        provinceCode: '61',
        provinceName: '陕西省',
        status: 'active',
        since: '2019-01-01',
      },
    ]);

    const ended = {
      insurance: 'residentMedical',
      provinceCode: '61',
      status: 'ended',
      since: '2019-01-01',
      until: '2026-06-30',
    };
    await sim.admin('POST', '/admin/people', { ...newPerson, enrollments: [ended] });
    expect((await query(idNumber)).body.enrollments).toEqual([{ ...ended, provinceName: '陕西省' }]);
    expect(await sim.records('people', idNumber)).toHaveLength(1);
  });

  it('offers the people, enrollments and registrations read-outs', async () => {
    const p = person('resident-medical-ningxia');
    expect(await sim.records('people', p.idNumber)).toEqual([expect.objectContaining({ name: p.name })]);
    expect(await sim.records('enrollments', p.idNumber)).toHaveLength(1);
    expect(Array.isArray(await sim.records('registrations'))).toBe(true);
  });
});

describe('the OpenAPI document', () => {
  it('lists both operations with their error codes', async () => {
    const doc = await openApiOf(sim);
    expect(doc.paths[QUERY]!.post!.operationId).toBe('queryMedicalEnrollments');
    expect(doc.paths[REGISTER]!.post!.operationId).toBe('registerFlexibleMedical');
    expect(doc.paths[REGISTER]!.post!.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key' })]);
    expect(doc.paths[QUERY]!.post!.parameters).toEqual([]);
    for (const code of ['ALREADY_REGISTERED', 'EMPLOYER_NOT_ALLOWED', 'ONGOING_MEDICAL_INSURANCE']) {
      expect(doc.paths[REGISTER]!.post!.responses.default.description).toContain(code);
    }
  });
});
