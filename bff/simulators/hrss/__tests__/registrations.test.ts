import { randomUUID } from 'node:crypto';
import { makeIdNumber, monthlyPremium } from '@flexins/shared';
import {
  HRSS_ARCHIVE_TRANSFER_QUERY_REPLY,
  HRSS_ARCHIVE_TRANSFER_REPLY,
  HRSS_ENROLLMENT_QUERY_REPLY,
  HRSS_PENSION_REGISTRATION_REPLY,
  type HrssArchiveTransferQueryReply,
  type HrssEnrollmentQueryReply,
} from '@flexins/shared';
import { ROSTER, TRAINING_ROSTER } from '../../roster';
import type { RosterPerson } from '../../roster';
import type { NewPerson } from '../../roster-schema';
import { useTestSimulator } from '../../test-support';
import { hrssSimulator } from '../index';
import {
  employmentBody,
  employmentNoOf,
  expectValid,
  newPerson,
  pensionBody,
  person,
  post,
  registerEmployment,
  registerUpToPension,
  useClock,
} from './support';

const sim = useTestSimulator(hrssSimulator);
const clock = useClock(sim);

const EMPLOYMENT = '/hrss/v1/employment-registrations';
const ARCHIVE = '/hrss/v1/archive-transfers';
const ARCHIVE_QUERY = '/hrss/v1/archive-transfer-queries';
const PENSION = '/hrss/v1/pension-registrations';
const ENROLLMENTS = '/hrss/v1/enrollment-queries';

interface OpenApiOperation {
  operationId: string;
  parameters: { name: string }[];
  responses: { default: { description: string } };
}
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

function withoutExpected(p: RosterPerson): NewPerson {
  const { expected: _expected, ...rest } = p;
  return rest;
}

async function enrollments(idNumber: string) {
  const reply = await post(sim, ENROLLMENTS, { idNumber }, null);
  expect(reply.status).toBe(200);
  expectValid(HRSS_ENROLLMENT_QUERY_REPLY, reply.body);
  return (reply.body as HrssEnrollmentQueryReply).enrollments;
}

describe('seeding from the roster', () => {
  it('holds one person record per roster and training person, also after setup runs again', async () => {
    await hrssSimulator.setup(sim.running.deps);
    const people = await sim.records('people');
    expect(people).toHaveLength(ROSTER.length + TRAINING_ROSTER.length);
    expect(await sim.records('people', person('holds-ningxia-card').idNumber)).toMatchObject([
      { rosterKey: 'holds-ningxia-card', ningxiaCard: { cardNumber: 'NX0000009' } },
    ]);
  });
});

describe('the cross-province enrollment query', () => {
  it('reports an active employee pension and medical insurance in another province', async () => {
    expect(await enrollments(person('employee-pension-other-province').idNumber)).toEqual([
      {
        insurance: 'employeePension',
        provinceCode: '44',
        provinceName: '广东省',
        status: 'active',
        since: '2016-03-01',
      },
      {
        insurance: 'employeeMedical',
        provinceCode: '44',
        provinceName: '广东省',
        status: 'active',
        since: '2016-03-01',
      },
    ]);
  });

  it('reports ended enrollments with their end date', async () => {
    const list = await enrollments(person('ended-pension-other-province').idNumber);
    expect(list.map((e) => [e.insurance, e.provinceName, e.status, e.until])).toEqual([
      ['employeePension', '北京市', 'ended', '2022-06-30'],
      ['employeeMedical', '北京市', 'ended', '2022-06-30'],
    ]);
  });

  it('leaves resident medical insurance to the medical security system', async () => {
    expect(await enrollments(person('resident-medical-ningxia').idNumber)).toEqual([]);
  });

  it('answers an empty list, not an error, for a person it has never seen', async () => {
    expect(await enrollments(makeIdNumber('640104', '1990-01-01', 123))).toEqual([]);
  });

  it('learns a person added through the admin API', async () => {
    const added = newPerson('eligible-vendor', {
      key: 'admin-added-teacher',
      name: '测试员',
      idNumber: makeIdNumber('640105', '1985-05-05', 456),
      phone: '19900000999',
      enrollments: [{ insurance: 'institutionPension', provinceCode: '64', status: 'active', since: '2010-09-01' }],
    });
    expect((await sim.admin('POST', '/admin/people', withoutExpected(added))).status).toBe(201);
    expect(await enrollments(added.idNumber)).toEqual([
      expect.objectContaining({ insurance: 'institutionPension', provinceName: '宁夏回族自治区', status: 'active' }),
    ]);
  });
});

describe('employment registration (灵活就业人员就业登记)', () => {
  it('registers an eligible person and answers a JY number', async () => {
    const vendor = person('eligible-vendor');
    const reply = await post(sim, EMPLOYMENT, employmentBody(vendor));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      registrationNo: expect.stringMatching(/^JY20261129\d{6}$/),
      registeredAt: clock.now.toISOString(),
    });
    expect(await sim.records('employment_registrations', vendor.idNumber)).toMatchObject([
      { registrationNo: reply.body.registrationNo, employmentType: 'flexible', residenceRegionCode: '640104' },
    ]);
  });

  it('answers a retry with a new key after success with 409 and the same number, and keeps one record', async () => {
    const worker = person('part-time-worker');
    const first = await post(sim, EMPLOYMENT, employmentBody(worker));
    const retry = await post(sim, EMPLOYMENT, employmentBody(worker));
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { registrationNo: first.body.registrationNo },
    });
    expect(retry.body.error.message).toContain(first.body.registrationNo);
    expect(await sim.records('employment_registrations', worker.idNumber)).toHaveLength(1);
  });

  it('turns ten concurrent registrations with different keys into one record; the others get 409 with its number', async () => {
    const shoemaker = person('self-employed-no-employees');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => post(sim, EMPLOYMENT, employmentBody(shoemaker))),
    );
    const ok = replies.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const other of replies.filter((r) => r.status !== 200)) {
      expect(other.status).toBe(409);
      expect(other.body.error.details.registrationNo).toBe(ok[0]!.body.registrationNo);
    }
    expect(await sim.records('employment_registrations', shoemaker.idNumber)).toHaveLength(1);
  });

  it('replays the first answer to a retry with the same key', async () => {
    const rider = person('training-delivery-rider');
    const key = randomUUID();
    const first = await post(sim, EMPLOYMENT, employmentBody(rider), key);
    const again = await post(sim, EMPLOYMENT, employmentBody(rider), key);
    expect(again).toEqual(first);
  });

  it('refuses rule 1 for an active employee pension in another province, naming insurance and province', async () => {
    const guangdong = person('employee-pension-other-province');
    const reply = await post(sim, EMPLOYMENT, employmentBody(guangdong));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('ACTIVE_EMPLOYEE_INSURANCE');
    expect(reply.body.error.message).toBe(
      '您在广东省有正在参保的企业职工基本养老保险、职工基本医疗保险，不能办理灵活就业登记；请先办理停保，或到人社窗口咨询 12333',
    );
    expect(reply.body.error.details.enrollments).toEqual([
      { insurance: 'employeePension', provinceCode: '44' },
      { insurance: 'employeeMedical', provinceCode: '44' },
    ]);
    expect(await sim.records('employment_registrations', guangdong.idNumber)).toHaveLength(0);
  });

  it('refuses rule 1 for active institution medical insurance in Ningxia', async () => {
    const reply = await post(sim, EMPLOYMENT, employmentBody(person('institution-medical-ningxia')));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('ACTIVE_EMPLOYEE_INSURANCE');
    expect(reply.body.error.message).toContain('在宁夏回族自治区有正在参保的机关事业单位医疗保险');
  });

  it('refuses rule 5: an employer with employees may not use this service', async () => {
    const employer = person('employer-with-employees');
    const reply = await post(sim, EMPLOYMENT, employmentBody(employer));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('EMPLOYER_NOT_ALLOWED');
    expect(reply.body.error.message).toContain('有雇工的个体工商户');
    expect(reply.body.error.message).toContain('12333');
    expect(await sim.records('employment_registrations', employer.idNumber)).toHaveLength(0);
  });

  it('registers people whose employee insurance has ended, in another province or in Ningxia', async () => {
    await registerEmployment(sim, person('ended-pension-other-province'));
    await registerEmployment(sim, person('ended-ningxia-medical'));
  });

  it('answers bad input with 400 naming each field in Chinese', async () => {
    const vendor = person('eligible-vendor');
    const wrongCheckDigit = `${vendor.idNumber.slice(0, 17)}${vendor.idNumber.endsWith('7') ? '8' : '7'}`;
    const shape = await post(sim, EMPLOYMENT, {
      idNumber: '6401',
      name: '',
      employmentType: 'farmer',
      startDate: '2026-13-01',
      residenceRegionCode: '610113',
      extra: true,
    });
    expect(shape.status).toBe(400);
    expect(shape.body.error.code).toBe('VALIDATION_FAILED');
    expect(shape.body.error.fields).toEqual({
      idNumber: '身份证号格式不正确，应为18位，最后一位可以是数字或大写X',
      name: '请填写姓名',
      employmentType: '就业形式只能选：灵活就业人员、非全日制从业人员、无雇工的个体工商户、有雇工的个体工商户',
      startDate: '就业开始日期格式不正确，应为 年-月-日，如 2026-11-01',
      residenceRegionCode: expect.stringMatching(
        /^居住地（县、市、区）只能选：银川市兴庆区、银川市西夏区、.*中卫市海原县$/,
      ),
      extra: '不认识的字段“extra”，请删除',
    });

    const checkDigit = await post(sim, EMPLOYMENT, employmentBody(vendor, { idNumber: wrongCheckDigit }));
    expect(checkDigit.status).toBe(400);
    expect(checkDigit.body.error.fields).toEqual({ idNumber: '身份证号码最后一位校验码不正确，请逐位核对' });

    const tooLate = await post(
      sim,
      EMPLOYMENT,
      employmentBody(person('woman-55-before-retirement'), { startDate: '2026-12-30' }),
    );
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.fields).toEqual({ startDate: '就业开始日期不能晚于 2026-12-29（最多为今天之后 30 天）' });
  });
});

describe('archive transfer (流动人员人事档案接收和转递)', () => {
  it('accepts a transfer to the city centre for a district resident and refuses a second one with its letter number', async () => {
    const vendor = person('eligible-vendor');
    const employmentRegistrationNo = await employmentNoOf(sim, vendor);
    const body = {
      idNumber: vendor.idNumber,
      name: vendor.name,
      employmentRegistrationNo,
      currentLocation: vendor.archiveLocation,
      receivingRegionCode: '640104',
    };
    const reply = await post(sim, ARCHIVE, body);
    expect(reply.status).toBe(200);
    expectValid(HRSS_ARCHIVE_TRANSFER_REPLY, reply.body);
    expect(reply.body).toEqual({
      transferLetterNo: expect.stringMatching(/^DA\d{14}$/),
      receivingCentre: '银川市人才交流服务中心',
      status: 'accepted',
      acceptedAt: clock.now.toISOString(),
    });

    const again = await post(sim, ARCHIVE, body);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { transferLetterNo: reply.body.transferLetterNo },
    });
    expect(await sim.records('archive_transfers', vendor.idNumber)).toHaveLength(1);
  });

  it("sends a county resident's archive to the county's own centre", async () => {
    const p = person('ended-pension-other-province'); // 隆德县
    const employmentRegistrationNo = await employmentNoOf(sim, p);
    const reply = await post(sim, ARCHIVE, {
      idNumber: p.idNumber,
      name: p.name,
      employmentRegistrationNo,
      currentLocation: p.archiveLocation,
      receivingRegionCode: '640423',
    });
    expect(reply.body.receivingCentre).toBe('隆德县人才交流服务中心');
  });

  it('accepts someone with no archive and says a new one is opened', async () => {
    const worker = person('part-time-worker');
    const employmentRegistrationNo = await employmentNoOf(sim, worker);
    const reply = await post(sim, ARCHIVE, {
      idNumber: worker.idNumber,
      name: worker.name,
      employmentRegistrationNo,
      currentLocation: '无档案',
      receivingRegionCode: '640105',
    });
    expect(reply.status).toBe(200);
    expectValid(HRSS_ARCHIVE_TRANSFER_REPLY, reply.body);
    expect(reply.body.note).toBe('您目前没有人事档案，银川市人才交流服务中心将为您新建流动人员人事档案，无需调档');
  });

  it('wants the holding unit (档案保管单位) when the location names only a kind of place, and keeps it', async () => {
    const p = person('woman-55-before-retirement');
    const employmentRegistrationNo = await employmentNoOf(sim, p);
    const body = {
      idNumber: p.idNumber,
      name: p.name,
      employmentRegistrationNo,
      currentLocation: '毕业学校',
      receivingRegionCode: '640104',
    };
    const bare = await post(sim, ARCHIVE, body);
    expect(bare.status).toBe(422);
    expect(bare.body.error).toMatchObject({
      code: 'HOLDING_UNIT_REQUIRED',
      fields: { holdingUnit: '请填写档案保管单位' },
    });
    const blank = await post(sim, ARCHIVE, { ...body, holdingUnit: '  ' });
    expect(blank.status).toBe(400);
    expect(Object.keys(blank.body.error.fields)).toEqual(['holdingUnit']);
    const tooLong = await post(sim, ARCHIVE, { ...body, holdingUnit: '校'.repeat(61) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields).toEqual({ holdingUnit: '档案保管单位最多 60 个字' });
    expect(await sim.records('archive_transfers', p.idNumber)).toHaveLength(0);

    const reply = await post(sim, ARCHIVE, { ...body, holdingUnit: '宁夏大学' });
    expect(reply.status).toBe(200);
    const [record] = await sim.records('archive_transfers', p.idNumber);
    expect(record).toMatchObject({ currentLocation: '毕业学校', holdingUnit: '宁夏大学' });
  });

  it('refuses without an employment registration, and with somebody else’s registration number', async () => {
    const noRegistration = person('residence-permit-ningxia');
    const unknown = await post(sim, ARCHIVE, {
      idNumber: noRegistration.idNumber,
      name: noRegistration.name,
      employmentRegistrationNo: 'JY20261129999999',
      currentLocation: '原单位',
      receivingRegionCode: '640106',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('EMPLOYMENT_NOT_REGISTERED');

    const vendorRegistrationNo = await employmentNoOf(sim, person('eligible-vendor'));
    const someoneElses = await post(sim, ARCHIVE, {
      idNumber: noRegistration.idNumber,
      name: noRegistration.name,
      employmentRegistrationNo: vendorRegistrationNo,
      currentLocation: '原单位',
      receivingRegionCode: '640106',
    });
    expect(someoneElses.status).toBe(422);
    expect(someoneElses.body.error.code).toBe('EMPLOYMENT_NOT_REGISTERED');
    expect(someoneElses.body.error.message).toContain('不是申请人本人的登记');
    expect(await sim.records('archive_transfers', noRegistration.idNumber)).toHaveLength(0);
  });

  it('moves a transfer from accepted through letter issued and in transit to received, 20 s a step', async () => {
    const p = person('ended-ningxia-medical');
    const employmentRegistrationNo = await employmentNoOf(sim, p);
    const accepted = await post(sim, ARCHIVE, {
      idNumber: p.idNumber,
      name: p.name,
      employmentRegistrationNo,
      currentLocation: p.archiveLocation,
      receivingRegionCode: '640202',
    });
    const t0 = clock.now.getTime();
    const seen: string[] = [];
    let last: HrssArchiveTransferQueryReply | undefined;
    for (let step = 0; step < 5; step++) {
      const reply = await post(sim, ARCHIVE_QUERY, { transferLetterNo: accepted.body.transferLetterNo }, null);
      expect(reply.status).toBe(200);
      expectValid(HRSS_ARCHIVE_TRANSFER_QUERY_REPLY, reply.body);
      seen.push(reply.body.status);
      last = reply.body;
      clock.advance(20_000);
    }
    expect(seen).toEqual(['accepted', 'letterIssued', 'inTransit', 'received', 'received']);
    expect(last?.history).toEqual([
      { status: 'accepted', at: new Date(t0).toISOString() },
      { status: 'letterIssued', at: new Date(t0 + 20_000).toISOString() },
      { status: 'inTransit', at: new Date(t0 + 40_000).toISOString() },
      { status: 'received', at: new Date(t0 + 60_000).toISOString() },
    ]);
    expect(await sim.records('archive_transfers', p.idNumber)).toMatchObject([{ status: 'received' }]);
  });

  it('goes straight from accepted to received when a new archive is opened', async () => {
    const [transfer] = await sim.records('archive_transfers', person('part-time-worker').idNumber);
    clock.advance(20_000);
    const reply = await post(sim, ARCHIVE_QUERY, { transferLetterNo: transfer.transferLetterNo }, null);
    expect((reply.body as HrssArchiveTransferQueryReply).history.map((h) => h.status)).toEqual([
      'accepted',
      'received',
    ]);
  });

  it('answers 404 for an unknown transfer letter', async () => {
    const reply = await post(sim, ARCHIVE_QUERY, { transferLetterNo: 'DA20261129999999' }, null);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('TRANSFER_NOT_FOUND');
  });
});

describe('pension registration (社会保险登记)', () => {
  it('registers the flexible pension at the chosen grade, and the enrollment query shows it afterwards', async () => {
    const vendor = person('eligible-vendor');
    const employmentRegistrationNo = await employmentNoOf(sim, vendor);
    const reply = await post(sim, PENSION, pensionBody(vendor, employmentRegistrationNo, { baseGradePercent: 60 }));
    expect(reply.status).toBe(200);
    expectValid(HRSS_PENSION_REGISTRATION_REPLY, reply.body);
    const premium = monthlyPremium(60);
    expect(reply.body).toEqual({
      pensionRegistrationNo: expect.stringMatching(/^YL\d{14}$/),
      personalRecordNo: expect.stringMatching(/^GR\d{14}$/),
      insurance: 'flexiblePension',
      baseFen: premium.baseFen,
      monthlyPensionFen: premium.pensionFen,
      registeredAt: clock.now.toISOString(),
    });
    expect(reply.body.baseFen).toBe(420_000);
    expect(reply.body.monthlyPensionFen).toBe(84_000);
    expect(await enrollments(vendor.idNumber)).toEqual([
      {
        insurance: 'flexiblePension',
        provinceCode: '64',
        provinceName: '宁夏回族自治区',
        status: 'active',
        since: '2026-11-29',
      },
    ]);
  });

  it('answers a retry with a new key after success with 409 and the same number, and keeps one record', async () => {
    const cleaner = person('training-part-time-cleaner');
    const first = await registerUpToPension(sim, cleaner);
    const employmentRegistrationNo = await employmentNoOf(sim, cleaner);
    const retry = await post(sim, PENSION, pensionBody(cleaner, employmentRegistrationNo));
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({
      code: 'ALREADY_REGISTERED',
      details: { pensionRegistrationNo: first.pensionRegistrationNo },
    });
    expect(await sim.records('pension_registrations', cleaner.idNumber)).toHaveLength(1);
  });

  it('refuses rule 2 for an active employee pension in another province', async () => {
    const guangdong = person('employee-pension-other-province');
    const reply = await post(sim, PENSION, pensionBody(guangdong, 'JY20261129999999'));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('ONGOING_INSURANCE');
    expect(reply.body.error.message).toContain('在广东省有正在参保的企业职工基本养老保险');
    expect(await sim.records('pension_registrations', guangdong.idNumber)).toHaveLength(0);
  });

  it('refuses rule 2 for an active resident pension, even after a successful employment registration', async () => {
    const villager = newPerson('self-employed-no-employees', {
      key: 'admin-added-resident-pension',
      name: '居民养老测试',
      idNumber: makeIdNumber('640302', '1980-03-03', 211),
      phone: '19900000998',
      enrollments: [{ insurance: 'residentPension', provinceCode: '64', status: 'active', since: '2015-01-01' }],
    });
    expect((await sim.admin('POST', '/admin/people', withoutExpected(villager))).status).toBe(201);
    const employmentNo = await registerEmployment(sim, villager);
    const reply = await post(sim, PENSION, pensionBody(villager, employmentNo));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('ONGOING_INSURANCE');
    expect(reply.body.error.message).toBe(
      '您在宁夏回族自治区有正在参保的城乡居民基本养老保险，不能再以灵活就业人员身份参加养老保险；请先办理停保或转移接续，或到人社窗口咨询 12333',
    );
  });

  it('refuses rule 1 for active institution medical insurance', async () => {
    const reply = await post(sim, PENSION, pensionBody(person('institution-medical-ningxia'), 'JY20261129999999'));
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('ACTIVE_EMPLOYEE_INSURANCE');
    expect(reply.body.error.message).toContain('机关事业单位医疗保险');
  });

  it('leaves resident and flexible medical insurance to the medical system: they do not block pension registration', async () => {
    // 马小兰's only ongoing enrollment is resident medical insurance: rule 2
    // stops her at the medical system (and the BFF's eligibility check), not here.
    const reply = await registerUpToPension(sim, person('resident-medical-ningxia'));
    expect(reply.insurance).toBe('flexiblePension');
  });

  it('registers someone whose employee pension in another province has ended', async () => {
    const p = person('ended-pension-other-province');
    const employmentRegistrationNo = await employmentNoOf(sim, p);
    const reply = await post(sim, PENSION, pensionBody(p, employmentRegistrationNo, { residenceRegionCode: '640423' }));
    expect(reply.status).toBe(200);
  });

  it('refuses without an employment registration', async () => {
    const p = person('woman-55-before-retirement');
    const reply = await post(sim, PENSION, pensionBody(p, 'JY20261129999999'));
    expect(reply.status).toBe(422);
    expect(reply.body.error).toMatchObject({
      code: 'EMPLOYMENT_NOT_REGISTERED',
      message: '没有找到就业登记编号 JY20261129999999，请先办理灵活就业人员就业登记',
    });
  });

  it('answers a grade outside the policy with 400 listing the allowed grades', async () => {
    const p = person('woman-55-before-retirement');
    const reply = await post(sim, PENSION, pensionBody(p, 'JY20261129999999', { baseGradePercent: 90 }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.fields).toEqual({
      baseGradePercent: '养老保险缴费档次（%）只能选：60、80、100、150、200、300',
    });
  });
});

describe('the OpenAPI document', () => {
  it('lists every operation with its error codes', async () => {
    const doc = (await (await fetch(`${sim.url}/openapi.json`)).json()) as OpenApiDocument;
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(
      [
        'applyForCard',
        'queryArchiveTransfer',
        'queryCard',
        'queryCardApplication',
        'queryEnrollments',
        'registerEmployment',
        'registerPension',
        'requestArchiveTransfer',
      ].sort(),
    );
    expect(doc.paths['/hrss/v1/employment-registrations']!.post!.responses.default.description).toContain(
      'EMPLOYER_NOT_ALLOWED：',
    );
    expect(doc.paths['/hrss/v1/card-applications']!.post!.parameters[0]!.name).toBe('Idempotency-Key');
  });
});
