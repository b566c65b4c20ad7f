import { CURRENT_POLICY, chinaToday, makeIdNumber } from '@flexins/shared';
import {
  TAX_DECLARATION_QUERY_REPLY,
  TAX_DECLARATION_REPLY,
  TAX_INSURANCE_REGISTRATION_REPLY,
  TAX_PAYMENT_REPLY,
  type TaxDeclarationRequest,
} from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { findPerson } from '../../roster';
import { useTestSimulator, openApiOf, signedPost } from '../../test-support';
import { taxSimulator } from '../index';

const sim = useTestSimulator(taxSimulator);

const REGISTRATIONS = '/tax/v1/insurance-registrations';
const DECLARATIONS = '/tax/v1/declarations';
const QUERIES = '/tax/v1/declaration-queries';
const PAYMENTS = '/tax/v1/payments';

// ---- people: roster people where the story matters, fresh ones otherwise ----

interface Payer {
  idNumber: string;
  name: string;
}

function rosterPayer(key: string): Payer {
  const p = findPerson(key);
  if (!p) throw new Error(`no roster person ${key}`);
  return { idNumber: p.idNumber, name: p.name };
}

let sequence = 100;
function freshPayer(name = '测试人'): Payer {
  sequence += 2;
  return { idNumber: makeIdNumber('640104', '1985-06-15', sequence), name };
}

// ---- months, worked out here rather than with the simulator's helpers ------

const THIS_MONTH = chinaToday().slice(0, 7);

function monthPlus(n: number): string {
  const [y, m] = [Number(THIS_MONTH.slice(0, 4)), Number(THIS_MONTH.slice(5, 7))];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function lastDayOfThisMonth(): string {
  const [y, m] = [Number(THIS_MONTH.slice(0, 4)), Number(THIS_MONTH.slice(5, 7))];
  return `${THIS_MONTH}-${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
}

// ---- expected figures, from CURRENT_POLICY's rates (2026: average wage 7000 yuan,
// pension 20% of 60–300% of it, medical 8% of 60% of it = 336 yuan) ----------

const AVERAGE_FEN = CURRENT_POLICY.averageMonthlyWageFen.value;

function pensionFigures(gradePercent: number) {
  const baseFen = Math.round((AVERAGE_FEN * gradePercent) / 100);
  return { baseFen, pensionFen: Math.round((baseFen * CURRENT_POLICY.pension.value.rateBasisPoints) / 10_000) };
}

function medicalFigures() {
  const { base, rateBasisPoints } = CURRENT_POLICY.medical.value;
  if (base.kind !== 'percentOfAverageWage') throw new Error('this test expects a fixed medical base');
  const medicalBaseFen = Math.round((AVERAGE_FEN * base.percent) / 100);
  return { medicalBaseFen, medicalFen: Math.round((medicalBaseFen * rateBasisPoints) / 10_000) };
}

// ---- calls ------------------------------------------------------------------

let registrationNo = 0;
function number(prefix: 'YL' | 'YB'): string {
  registrationNo += 1;
  return `${prefix}20261129${String(registrationNo).padStart(6, '0')}`;
}

function registerPension(p: Payer, baseGradePercent: number) {
  return signedPost(sim, REGISTRATIONS, {
    ...p,
    insurance: 'pension',
    registrationNo: number('YL'),
    residenceRegionCode: '640104',
    baseGradePercent,
  });
}

function registerMedical(p: Payer) {
  return signedPost(sim, REGISTRATIONS, {
    ...p,
    insurance: 'medical',
    registrationNo: number('YB'),
    residenceRegionCode: '640104',
  });
}

function declare(p: Payer, fields: Partial<TaxDeclarationRequest> = {}) {
  return signedPost(sim, DECLARATIONS, {
    ...p,
    paymentType: 'normal',
    periodStart: THIS_MONTH,
    months: 1,
    ...fields,
  });
}

function query(declarationNo: string) {
  return signedPost(sim, QUERIES, { declarationNo }, null);
}

function pay(declarationNo: string, amountFen: number) {
  return signedPost(sim, PAYMENTS, { declarationNo, amountFen, channel: 'app' });
}

async function declaredAndAssessed(p: Payer, months = 1) {
  const res = await declare(p, { months });
  expect(res.status).toBe(200);
  return res.body as { declarationNo: string; assessment: { totalFen: number } };
}

afterEach(async () => {
  await sim.admin('PUT', '/admin/faults', { lostReplyRate: 0 });
  await sim.admin('DELETE', '/admin/scripts');
});

// ---- tests ------------------------------------------------------------------

describe('receiving registrations', () => {
  it('keeps a pension registration and answers with a tax record number', async () => {
    const res = await registerPension(freshPayer(), 100);
    expect(res.status).toBe(200);
    expect(check(TAX_INSURANCE_REGISTRATION_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toMatchObject({ insurance: 'pension', taxRecordNo: expect.stringMatching(/^SS\d{14}$/) });
  });

  it('answers a second registration of the same insurance with 409 and the first number, keeping one record', async () => {
    const p = freshPayer();
    const first = await registerMedical(p);
    const again = await registerMedical(p);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REGISTERED');
    expect(again.body.error.details.taxRecordNo).toBe(first.body.taxRecordNo);
    expect(await sim.records('insurance_registrations', p.idNumber)).toHaveLength(1);

    // the other insurance is a registration of its own
    expect((await registerPension(p, 60)).status).toBe(200);
    expect(await sim.records('insurance_registrations', p.idNumber)).toHaveLength(2);
  });

  it('answers bad input with 400 naming the field in Chinese', async () => {
    const p = freshPayer();
    const noGrade = await signedPost(sim, REGISTRATIONS, {
      ...p,
      insurance: 'pension',
      registrationNo: 'YL20261129000001',
      residenceRegionCode: '640104',
    });
    expect(noGrade.status).toBe(400);
    expect(noGrade.body.error.fields).toEqual({ baseGradePercent: '养老保险登记请填写养老保险缴费档次（%）' });

    const wrongNumber = await signedPost(sim, REGISTRATIONS, {
      ...p,
      insurance: 'medical',
      registrationNo: 'YL20261129000001',
      residenceRegionCode: '640104',
      baseGradePercent: 100,
    });
    expect(wrongNumber.body.error.fields).toEqual({
      registrationNo: '医疗保险的参保登记编号应为医保部门的 YB 开头编号',
      baseGradePercent: '医疗保险登记不需要养老保险缴费档次，请删除这一项',
    });

    const outOfRange = await signedPost(sim, REGISTRATIONS, {
      ...p,
      insurance: 'pension',
      registrationNo: 'XX1',
      residenceRegionCode: '440106',
      baseGradePercent: 301,
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.fields).toMatchObject({
      baseGradePercent: '养老保险缴费档次（%）不能大于 300',
      registrationNo: expect.stringContaining('参保登记编号格式不正确'),
      residenceRegionCode: expect.stringContaining('居住地区县只能选'),
    });
    expect(await sim.records('insurance_registrations', p.idNumber)).toHaveLength(0);
  });
});

describe('declaration and assessment', () => {
  it('refuses a declaration before any registration is on record', async () => {
    const p = rosterPayer('eligible-vendor');
    const res = await declare(p);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NOT_REGISTERED');
    expect(res.body.error.message).toContain('参保登记');
    expect(await sim.records('declarations', p.idNumber)).toHaveLength(0);
  });

  it('assesses pension only at the registered grade, for every month declared', async () => {
    const p = freshPayer();
    await registerPension(p, 100);
    const res = await declare(p, { months: 3 });

    expect(res.status).toBe(200);
    expect(check(TAX_DECLARATION_REPLY, res.body)).toMatchObject({ ok: true });
    const { baseFen, pensionFen } = pensionFigures(100); // 700000 and 140000 in 2026
    expect(res.body).toMatchObject({
      declarationNo: expect.stringMatching(/^SBF\d{14}$/),
      paymentType: 'normal',
      periodStart: THIS_MONTH,
      periodEnd: monthPlus(2),
      months: 3,
      paymentDeadline: lastDayOfThisMonth(),
      status: 'assessed',
    });
    expect(res.body.assessment).toEqual({
      baseGradePercent: 100,
      baseFen,
      medicalBaseFen: 0,
      pensionFen,
      medicalFen: 0,
      monthlyTotalFen: pensionFen,
      totalFen: 3 * pensionFen,
    });
  });

  it('assesses medical only when only the medical registration is on record', async () => {
    const p = freshPayer();
    await registerMedical(p);
    const res = await declare(p, { months: 2 });

    const { medicalBaseFen, medicalFen } = medicalFigures(); // 420000 and 33600 in 2026
    expect(res.status).toBe(200);
    expect(res.body.assessment).toEqual({
      baseFen: 0,
      medicalBaseFen,
      pensionFen: 0,
      medicalFen,
      monthlyTotalFen: medicalFen,
      totalFen: 2 * medicalFen,
    });
  });

  it('assesses both when both registrations are on record', async () => {
    const p = freshPayer();
    await registerPension(p, 60);
    await registerMedical(p);
    const res = await declare(p, { months: 12 });

    const { baseFen, pensionFen } = pensionFigures(60); // 420000 and 84000 in 2026
    const { medicalBaseFen, medicalFen } = medicalFigures();
    expect(res.body.assessment).toEqual({
      baseGradePercent: 60,
      baseFen,
      medicalBaseFen,
      pensionFen,
      medicalFen,
      monthlyTotalFen: pensionFen + medicalFen, // 117600 in 2026
      totalFen: 12 * (pensionFen + medicalFen),
    });
    expect(res.body.periodEnd).toBe(monthPlus(11));
  });

  it('assesses the top grade exactly', async () => {
    const p = freshPayer();
    await registerPension(p, 300);
    const res = await declare(p);
    expect(res.body.assessment.pensionFen).toBe(pensionFigures(300).pensionFen); // 420000 in 2026
  });

  describe('payments that must be done offline (rule 3)', () => {
    const p = rosterPayer('wants-back-payment');
    beforeAll(async () => {
      await registerPension(p, 100);
      await registerMedical(p);
    });

    it('refuses a back payment, saying it is done at an HRSS window and nothing else is affected', async () => {
      const res = await declare(p, { paymentType: 'backPayment', periodStart: '2015-10', months: 12 });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('BACK_PAYMENT_OFFLINE');
      expect(res.body.error.message).toContain('人社窗口');
      expect(res.body.error.message).toContain('不受影响');
    });

    it('refuses a normal payment for a month before this one as a back payment, naming the month', async () => {
      const lastMonth = monthPlus(-1);
      const res = await declare(p, { periodStart: lastMonth, months: 2 });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('BACK_PAYMENT_OFFLINE');
      expect(res.body.error.message).toContain(`${Number(lastMonth.slice(0, 4))}年${Number(lastMonth.slice(5, 7))}月`);
      expect(res.body.error.message).toContain('人社窗口');
    });

    it('refuses a special payment, saying it is done at an HRSS window and nothing else is affected', async () => {
      const res = await declare(p, { paymentType: 'special' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('SPECIAL_PAYMENT_OFFLINE');
      expect(res.body.error.message).toContain('人社窗口');
      expect(res.body.error.message).toContain('不受影响');
    });

    it('still takes the normal payment for this month', async () => {
      expect(await sim.records('declarations', p.idNumber)).toHaveLength(0);
      expect((await declare(p)).status).toBe(200);
    });
  });

  it('accepts a period starting 12 months ahead and refuses 13', async () => {
    const p = freshPayer();
    await registerMedical(p);
    expect((await declare(p, { periodStart: monthPlus(12) })).status).toBe(200);

    const tooFar = await declare(p, { periodStart: monthPlus(13) });
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.error.code).toBe('PERIOD_INVALID');
    expect(tooFar.body.error.fields).toHaveProperty('periodStart');
  });

  it('refuses a second declaration covering a declared month with 409 and the first number', async () => {
    const p = freshPayer();
    await registerPension(p, 80);
    const first = await declare(p, { months: 2 });

    const overlapping = await declare(p, { periodStart: monthPlus(1), months: 3 });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe('ALREADY_DECLARED');
    expect(overlapping.body.error.details.declarationNo).toBe(first.body.declarationNo);

    expect((await declare(p, { periodStart: monthPlus(2), months: 1 })).status).toBe(200);
    expect(await sim.records('declarations', p.idNumber)).toHaveLength(2);
  });

  it('turns parallel declarations of the same month with different keys into one', async () => {
    const p = freshPayer();
    await registerMedical(p);
    const replies = await Promise.all(Array.from({ length: 6 }, () => declare(p, { months: 2 })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.status === 200)!.body.declarationNo;
    for (const loser of replies.filter((r) => r.status === 409)) {
      expect(loser.body.error.details.declarationNo).toBe(winner);
    }
    expect(await sim.records('declarations', p.idNumber)).toHaveLength(1);
  });

  it('after a lost reply, a retry with a fresh key learns the declaration that was made', async () => {
    const p = freshPayer();
    await registerMedical(p);
    await sim.admin('POST', '/admin/scripts', {
      idNumber: p.idNumber,
      operationId: 'declarePremium',
      outcome: 'lostReply',
      times: 1,
    });
    await expect(declare(p)).rejects.toThrow();
    const [made] = await sim.records('declarations', p.idNumber);

    const retry = await declare(p);
    expect(retry.status).toBe(409);
    expect(retry.body.error.details.declarationNo).toBe(made.declarationNo);
  });

  it('answers bad input with 400 naming the field in Chinese', async () => {
    const res = await signedPost(sim, DECLARATIONS, {
      idNumber: freshPayer().idNumber,
      name: '',
      paymentType: 'advance',
      periodStart: '2026-13',
      months: 13,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      name: '请填写姓名',
      paymentType: '缴费类型只能选：正常缴费、特殊缴费、历史补缴',
      periodStart: '缴费所属期起格式不正确，应为 YYYY-MM，如 2026-11',
      months: '缴费月数不能大于 12',
    });
  });
});

describe('the declaration query', () => {
  it('answers an assessed declaration, then the paid one with its receipt', async () => {
    const p = freshPayer();
    await registerPension(p, 100);
    const declared = await declaredAndAssessed(p);

    const before = await query(declared.declarationNo);
    expect(before.status).toBe(200);
    expect(check(TAX_DECLARATION_QUERY_REPLY, before.body)).toMatchObject({ ok: true });
    expect(before.body).toEqual({ ...declared, status: 'assessed' });

    const paid = await pay(declared.declarationNo, declared.assessment.totalFen);
    const after = await query(declared.declarationNo);
    expect(check(TAX_DECLARATION_QUERY_REPLY, after.body)).toMatchObject({ ok: true });
    expect(after.body).toEqual({ ...declared, status: 'paid', receipt: paid.body });
  });

  it('answers an unknown declaration number with 404', async () => {
    const res = await query('SBF20200101999999');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('DECLARATION_NOT_FOUND');
  });
});

describe('payment', () => {
  it('refuses the wrong amount, saying the right one, and takes nothing', async () => {
    const p = freshPayer();
    await registerPension(p, 100);
    await registerMedical(p);
    const declared = await declaredAndAssessed(p);
    const right = declared.assessment.totalFen;

    const res = await pay(declared.declarationNo, right - 1);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('AMOUNT_MISMATCH');
    expect(res.body.error.message).toContain(`${right} 分`);
    expect(res.body.error.details).toEqual({ expectedFen: right, receivedFen: right - 1 });
    expect((await query(declared.declarationNo)).body.status).toBe('assessed');
    expect(await sim.records('payments', p.idNumber)).toHaveLength(0);
  });

  it('takes the right amount and issues an electronic receipt with one item per insurance', async () => {
    const p = rosterPayer('eligible-vendor'); // 马建军
    await registerPension(p, 100);
    await registerMedical(p);
    const declared = await declaredAndAssessed(p, 2);
    const { pensionFen } = pensionFigures(100);
    const { medicalFen } = medicalFigures();

    const res = await pay(declared.declarationNo, declared.assessment.totalFen);
    expect(res.status).toBe(200);
    expect(check(TAX_PAYMENT_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toMatchObject({
      receiptNo: expect.stringMatching(/^PJ\d{14}$/),
      declarationNo: declared.declarationNo,
      paidFen: 2 * (pensionFen + medicalFen),
      channel: 'app',
    });
    expect(res.body.electronicReceipt).toEqual({
      receiptNo: res.body.receiptNo,
      payerNameMasked: '马**',
      items: [
        { name: '企业职工基本养老保险费（灵活就业）', amountFen: 2 * pensionFen },
        { name: '职工基本医疗保险费（灵活就业）', amountFen: 2 * medicalFen },
      ],
      totalFen: 2 * (pensionFen + medicalFen),
      issuedBy: '国家税务总局宁夏回族自治区税务局',
      verificationCode: expect.stringMatching(/^[0-9A-Z]{12}$/),
    });
    expect(await sim.records('payments', p.idNumber)).toHaveLength(1);
  });

  it('pays once: paying again with a new key answers 409 with the first receipt', async () => {
    const p = freshPayer();
    await registerMedical(p);
    const declared = await declaredAndAssessed(p);
    const first = await pay(declared.declarationNo, declared.assessment.totalFen);

    const again = await pay(declared.declarationNo, declared.assessment.totalFen);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_PAID');
    expect(again.body.error.details).toEqual(first.body);
    expect(await sim.records('payments', p.idNumber)).toHaveLength(1);
  });

  it('pays once when payments race with different keys', async () => {
    const p = freshPayer();
    await registerPension(p, 150);
    const declared = await declaredAndAssessed(p);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => pay(declared.declarationNo, declared.assessment.totalFen)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(await sim.records('payments', p.idNumber)).toHaveLength(1);
  });

  it('pays once when the reply is lost and the payment is retried with a new key', async () => {
    const p = freshPayer();
    await registerMedical(p);
    const declared = await declaredAndAssessed(p);
    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 1 });
    await expect(pay(declared.declarationNo, declared.assessment.totalFen)).rejects.toThrow();
    await sim.admin('PUT', '/admin/faults', { lostReplyRate: 0 });

    const retry = await pay(declared.declarationNo, declared.assessment.totalFen);
    expect(retry.status).toBe(409);
    const [ledger] = await sim.records('payments', p.idNumber);
    expect(retry.body.error.details.receiptNo).toBe(ledger.receiptNo);
  });

  it('answers an unknown declaration with 404', async () => {
    const res = await pay('SBF20200101999999', 100);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('DECLARATION_NOT_FOUND');
  });

  it('answers bad input with 400 naming the field in Chinese', async () => {
    const res = await signedPost(sim, PAYMENTS, { declarationNo: 'X', amountFen: 10.5, channel: 'cash' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      declarationNo: '申报编号格式不正确，应为税务部门的申报编号，如 SBF20261129000001',
      amountFen: '缴费金额（分）的类型不对',
      channel: '缴费渠道只能选：线上（我的宁夏）、办税服务厅、银行代收',
    });
  });
});

describe('the OpenAPI document', () => {
  it('lists every operation, with idempotency keys on the writes', async () => {
    const doc = await openApiOf(sim);
    const operations = Object.values(doc.paths).map((p) => p.post!);
    expect(operations.map((o) => [o.operationId, o.parameters.length])).toEqual([
      ['receiveInsuranceRegistration', 1],
      ['declarePremium', 1],
      ['queryDeclaration', 0],
      ['payPremium', 1],
    ]);
    expect(doc.paths[DECLARATIONS]!.post!.responses.default.description).toContain('BACK_PAYMENT_OFFLINE');
  });
});
