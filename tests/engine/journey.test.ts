// The engine end to end, against real simulator processes and FerretDB: the
// eligible vendor gets all six matters done exactly once; the postage is
// charged once; the premium is paid with a receipt; the certificate checks out.
import { NOTICE } from '@flexins/shared';
import { findPerson } from '../../bff/simulators/roster';
import { Citizen } from '../support/citizen';
import { startBffProcess, startStack, type Stack } from '../support/stack';
import type { Service } from '../../scripts/lib/services';

let stack: Stack;
let bff: Service;

beforeAll(async () => {
  stack = await startStack({ label: 'journey' });
  bff = await startBffProcess(stack);
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

const person = (key: string) => {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
};

describe('the eligible street vendor', () => {
  const vendor = person('eligible-vendor');
  let citizen: Citizen;
  let caseNo: string;

  it('signs in through the identity platform and sees the notice', async () => {
    citizen = new Citizen(bff.url, stack.simulators.urls.identity, vendor);
    await citizen.signIn();
    const me = await citizen.call('GET', '/api/me');
    expect(me.body).toMatchObject({ name: vendor.name, idNumber: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) });
    expect(me.body.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // the whole phone only on its own route, to the person themself (to prefill the recipient phone)
    expect(await citizen.call('GET', '/api/me/phone')).toMatchObject({ status: 200, body: { phone: vendor.phone } });
    const notice = await citizen.call('GET', '/api/notice');
    expect(notice.body.notice.version).toBe(NOTICE.version);
  });

  it('passes the face check and every eligibility rule', async () => {
    const face = await citizen.faceCheck();
    expect(face).toMatchObject({ status: 201, body: { passed: true } });
    expect(await citizen.call('GET', '/api/eligibility')).toMatchObject({ status: 200, body: { eligibility: null } });
    const verdict = await citizen.eligibility();
    expect(verdict.body.eligible).toBe(true);
    expect(verdict.body.rules.filter((r: any) => !r.passed)).toEqual([]);
    expect(verdict.body.matters).toEqual({
      employmentRegistration: 'apply',
      archiveTransfer: 'apply',
      pensionRegistration: 'apply',
      socialSecurityCard: 'apply',
      medicalRegistration: 'apply',
      premiumDeclaration: 'apply',
    });

    // On another phone (a second sign-in), the verdict stands for an hour: no questions again.
    const otherPhone = new Citizen(bff.url, stack.simulators.urls.identity, vendor);
    await otherPhone.signIn();
    const last = await otherPhone.call('GET', '/api/eligibility');
    expect(last.status).toBe(200);
    expect(last.body.eligibility).toMatchObject({
      answers: { employmentType: vendor.employmentType },
      verdict: { eligible: true, matters: verdict.body.matters },
    });
    const validFor = Date.parse(last.body.eligibility.validUntil) - Date.parse(last.body.eligibility.checkedAt);
    expect(validFor).toBe(60 * 60 * 1000);
    expect(Date.now() - Date.parse(last.body.eligibility.checkedAt)).toBeLessThan(60_000);
  });

  it('submits once even when the submit is tapped twice', async () => {
    const face = await citizen.call('GET', '/api/me');
    const postageOrderId = await citizen.payPostage();
    const form = citizen.form({
      faceCheckId: face.body.faceCheck.checkId,
      noticeVersion: NOTICE.version,
      postageOrderId,
      withCard: true,
    });
    const [first, second] = await Promise.all([
      citizen.submit(form, 'tap-0123456789'),
      citizen.submit(form, 'tap-0123456789'),
    ]);
    expect({ statuses: [first.status, second.status].sort(), bodies: [first.body.error, second.body.error] }).toEqual({
      statuses: [200, 201],
      bodies: [undefined, undefined],
    });
    expect(first.body.caseNo).toBe(second.body.caseNo);
    caseNo = first.body.caseNo;
    expect(caseNo).toMatch(/^LJ\d{14}$/);

    const another = await citizen.submit(form, 'another-key-0001');
    expect(another).toMatchObject({ status: 409, body: { error: { code: 'OPEN_CASE_EXISTS', details: { caseNo } } } });
  });

  it('has all six matters handled: five done and the premium assessed for payment', async () => {
    const view = await citizen.waitForCase(caseNo, (v) => v.status === 'awaitingPayment');
    const byId = Object.fromEntries(view.matters.map((m: any) => [m.id, m]));
    expect(byId.employmentRegistration).toMatchObject({
      state: 'delivered',
      refs: { registrationNo: expect.stringMatching(/^JY/) },
    });
    expect(byId.archiveTransfer).toMatchObject({
      state: 'delivered',
      refs: { transferLetterNo: expect.stringMatching(/^DA/) },
    });
    // the holding unit (档案保管单位) from the form reached HRSS beside the kind of place
    const [transfer] = await stack.records('hrss', 'archive_transfers', vendor.idNumber);
    expect(transfer).toMatchObject({ currentLocation: '原工作单位', holdingUnit: '银川市某商贸有限公司' });
    expect(byId.pensionRegistration).toMatchObject({
      state: 'delivered',
      refs: { pensionRegistrationNo: expect.stringMatching(/^YL/) },
    });
    expect(byId.socialSecurityCard).toMatchObject({
      state: 'delivered',
      refs: { cardApplicationNo: expect.stringMatching(/^SB\d{14}$/) },
    });
    expect(byId.socialSecurityCard.result.electronicCard.eCardNo).toMatch(/^DZ/);
    expect(byId.medicalRegistration).toMatchObject({
      state: 'delivered',
      refs: { medicalInsuranceNo: expect.stringMatching(/^YB/) },
    });
    expect(byId.premiumDeclaration).toMatchObject({
      state: 'decided',
      refs: { declarationNo: expect.stringMatching(/^SBF\d{14}$/) },
    });
    // 社保卡申领编号 and 社保费申报编号 are two numbers from two systems: one case never shows the same one twice
    expect(byId.premiumDeclaration.refs.declarationNo).not.toBe(byId.socialSecurityCard.refs.cardApplicationNo);
    // Grade 100 of the 7,000-yuan sample wage for one month: 1,400.00 pension + 336.00 medical.
    expect(byId.premiumDeclaration.result.assessment).toMatchObject({
      pensionFen: 140000,
      medicalFen: 33600,
      totalFen: 173600,
    });
  });

  it('pays the first premium at the cashier, never on a bare call, and gets one receipt from the tax system', async () => {
    // Nothing paid yet: a confirmation alone charges nothing.
    const early = await citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, {});
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'PREMIUM_NOT_PAID' } } });
    expect(await stack.records('tax', 'payments', vendor.idNumber)).toHaveLength(0);

    // Two taps make one order at the cashier, for the assessed amount and its months.
    const returnUrl = `${bff.url}/case/progress/index?caseNo=${caseNo}`;
    const [first, second] = await Promise.all([
      citizen.call('POST', `/api/applications/${caseNo}/premium-order`, { returnUrl }),
      citizen.call('POST', `/api/applications/${caseNo}/premium-order`, { returnUrl }),
    ]);
    expect(first).toMatchObject({ status: 201, body: { amountFen: 173600, status: 'created' } });
    expect(second.body.orderId).toBe(first.body.orderId);
    const atCashier = (await stack.records('payment', 'orders')).filter((o: any) => o.orderId === first.body.orderId);
    expect(atCashier).toHaveLength(1);
    expect(atCashier[0].subject).toMatch(/^灵活就业人员社会保险费 \d{4}年\d{1,2}月（1个月）$/);

    // Paid at the cashier: the payment system's notification alone enters it with the tax system.
    const cashier = await fetch(first.body.cashierUrl);
    expect(await cashier.text()).toContain('¥1736.00');
    expect((await fetch(`${first.body.cashierUrl}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    const view = await citizen.waitForCase(caseNo, (v) => v.status === 'completed');
    const premium = view.matters.find((m: any) => m.id === 'premiumDeclaration');
    expect(premium).toMatchObject({ state: 'delivered', refs: { receiptNo: expect.stringMatching(/^PJ/) } });

    // Coming back from the cashier (twice at once) confirms it, charging nothing more.
    const [back, again] = await Promise.all([
      citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, {}),
      citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, {}),
    ]);
    expect(back.status).toBe(200);
    expect(again.status).toBe(200);
    const paidAgain = await citizen.call('POST', `/api/applications/${caseNo}/premium-order`, { returnUrl });
    expect(paidAgain).toMatchObject({ status: 409, body: { error: { code: 'PREMIUM_ALREADY_PAID' } } });
    expect(await stack.records('tax', 'payments', vendor.idNumber)).toHaveLength(1);
  });

  it('left exactly one record of each kind in the departments, and charged the postage once', async () => {
    const counts = {
      employment: (await stack.records('hrss', 'employment_registrations', vendor.idNumber)).length,
      archive: (await stack.records('hrss', 'archive_transfers', vendor.idNumber)).length,
      pension: (await stack.records('hrss', 'pension_registrations', vendor.idNumber)).length,
      card: (await stack.records('hrss', 'card_applications', vendor.idNumber)).length,
      medical: (await stack.records('medical', 'registrations', vendor.idNumber)).length,
      taxRegistrations: (await stack.records('tax', 'insurance_registrations', vendor.idNumber)).length,
      declarations: (await stack.records('tax', 'declarations', vendor.idNumber)).length,
    };
    expect(counts).toEqual({
      employment: 1,
      archive: 1,
      pension: 1,
      card: 1,
      medical: 1,
      taxRegistrations: 2,
      declarations: 1,
    });
    const orders = (await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid');
    expect(orders.map((o: any) => o.amountFen).sort((a: number, b: number) => a - b)).toEqual([580, 173600]);
  });

  it('gets a certificate whose code anyone can check, masked', async () => {
    const view = await citizen.call('GET', `/api/applications/${caseNo}`);
    const code = view.body.certificate.code;
    const anonymous = new Citizen(bff.url, stack.simulators.urls.identity, vendor);
    const checked = await anonymous.call('GET', `/api/certificates/${code}`);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ valid: true, caseNo, applicant: { name: expect.stringMatching(/^.\*+$/) } });
    expect(JSON.stringify(checked.body)).not.toContain(vendor.idNumber);
    expect(JSON.stringify(checked.body)).not.toContain(vendor.name);
  });

  it('told the citizen about every step in messages', async () => {
    const messages = await citizen.call('GET', '/api/messages');
    const texts = messages.body.messages.map((m: any) => m.text).join('\n');
    for (const word of ['就业登记', '档案转递', '社会保险登记', '社保卡', '医疗保险', '社会保险费', '已全部办结']) {
      expect(texts).toContain(word);
    }
  });

  it('rates the service once; a second rating is refused', async () => {
    const rated = await citizen.call('POST', `/api/applications/${caseNo}/rating`, { score: 5, comment: '很方便' });
    expect(rated.status).toBe(200);
    const again = await citizen.call('POST', `/api/applications/${caseNo}/rating`, { score: 1 });
    expect(again.body.error.code).toBe('ALREADY_RATED');
  });

  it("cannot see another person's case (404, not 403)", async () => {
    const other = new Citizen(bff.url, stack.simulators.urls.identity, person('part-time-worker'));
    await other.signIn();
    const peek = await other.call('GET', `/api/applications/${caseNo}`);
    expect(peek.status).toBe(404);
  });
});

describe('a card holder', () => {
  it('goes through without the card matter or postage', async () => {
    const holder = new Citizen(bff.url, stack.simulators.urls.identity, person('holds-ningxia-card'));
    const submitted = await holder.apply(NOTICE.version);
    expect(submitted.status).toBe(201);
    const view = await holder.waitForCase(submitted.body.caseNo, (v) => v.status === 'awaitingPayment');
    const card = view.matters.find((m: any) => m.id === 'socialSecurityCard');
    expect(card).toMatchObject({ state: 'notNeeded' });
    expect(view.postage).toBeUndefined();
    expect(await stack.records('hrss', 'card_applications', holder.person.idNumber)).toHaveLength(0);
  });
});

describe('a citizen whose checks lapse around the payment', () => {
  const MINUTE = 60_000;
  /** Moves a face check back in time, as half an hour on the phone would. */
  const ageFaceCheck = (checkId: string, ms: number) =>
    stack.withBffDb((db) =>
      db
        .collection('applicants')
        .updateOne({ 'faceCheck.checkId': checkId }, { $set: { 'faceCheck.checkedAt': new Date(Date.now() - ms) } }),
    );

  it('is asked to redo a face check about to lapse before paying, and after paying redoes a lapsed one and submits with the same postage', async () => {
    const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person('residence-permit-ningxia'));
    await citizen.signIn();
    const face = await citizen.faceCheck();
    expect((await citizen.eligibility()).body.eligible).toBe(true);
    expect((await citizen.call('GET', '/api/submission-check')).body).toMatchObject({
      ready: true,
      faceCheck: { state: 'passed', checkId: face.body.checkId },
      blockers: [],
    });

    // 25 minutes on, 5 are left: too few to pay and submit, so no money is taken.
    await ageFaceCheck(face.body.checkId, 25 * MINUTE);
    const ordersBefore = (await stack.records('payment', 'orders')).length;
    const returnUrl = `${bff.url}/journey/review/index`;
    const refused = await citizen.call('POST', '/api/postage-orders', { returnUrl });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: 'FACE_CHECK_REQUIRED', message: expect.stringMatching(/还有 5 分钟过期.*再支付/) } },
    });
    expect(await stack.records('payment', 'orders')).toHaveLength(ordersBefore);

    // Redone, then paid.
    const paidBefore = (await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid').length;
    const second = await citizen.faceCheck();
    const orderId = await citizen.payPostage();

    // 31 minutes after that check, with the postage paid: the pages say so, and the check can be redone.
    await ageFaceCheck(second.body.checkId, 31 * MINUTE);
    const lapsed = await citizen.call('GET', '/api/submission-check');
    expect(lapsed.body).toMatchObject({
      ready: false,
      faceCheck: { state: 'expired' },
      blockers: [{ code: 'FACE_CHECK_REQUIRED', action: 'faceCheck' }],
    });
    expect((await citizen.call('GET', '/api/me')).body.faceCheck).toMatchObject({ passed: true, current: false });
    const form = citizen.form({
      faceCheckId: second.body.checkId,
      noticeVersion: NOTICE.version,
      postageOrderId: orderId,
      withCard: true,
    });
    const stuck = await citizen.submit(form);
    expect(stuck).toMatchObject({
      status: 409,
      body: { error: { code: 'FACE_CHECK_REQUIRED', message: expect.stringContaining('已付的邮寄费不受影响') } },
    });

    const third = await citizen.faceCheck();
    const submitted = await citizen.submit({ ...form, faceCheckId: third.body.checkId });
    expect(submitted.status).toBe(201);
    expect(submitted.body.postage).toMatchObject({ paid: true, amountFen: 580 });
    // One charge in all: the postage paid before the check lapsed is the one the case uses.
    const charged = (await stack.records('payment', 'orders')).filter((o: any) => o.status === 'paid');
    expect(charged).toHaveLength(paidBefore + 1);
    expect(charged.filter((o: any) => o.orderId === orderId)).toHaveLength(1);
  });
});

describe('a premium paid while the tax system is down', () => {
  it('is entered once the tax system answers again, by the payment system repeating its notification', async () => {
    const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person('part-time-worker'));
    const submitted = await citizen.apply(NOTICE.version);
    expect(submitted.status).toBe(201);
    const caseNo = submitted.body.caseNo as string;
    await citizen.waitForCase(caseNo, (v) => v.status === 'awaitingPayment');

    expect((await stack.admin('tax', 'PUT', '/admin/faults', { errorRate: 1 })).status).toBe(200);
    let orderId = '';
    try {
      orderId = await citizen.payPremiumAtCashier(caseNo);
      // The notification is refused (503) while the tax system fails, so the payment system tries again.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [order] = (await stack.records('payment', 'orders')).filter((o: any) => o.orderId === orderId);
        if ((order?.notifications?.length ?? 0) >= 2) break;
        if (Date.now() > deadline) throw new Error(`notification not repeated: ${JSON.stringify(order)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const meanwhile = await citizen.call('GET', `/api/applications/${caseNo}`);
      expect(meanwhile.body.status).toBe('awaitingPayment');
      const confirm = await citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, {});
      expect(confirm).toMatchObject({ status: 503, body: { error: { message: expect.stringContaining('您已付款') } } });
    } finally {
      await stack.admin('tax', 'PUT', '/admin/faults', { errorRate: 0 });
    }

    // Nobody taps anything: the repeated notification enters it.
    const view = await citizen.waitForCase(caseNo, (v) => v.status === 'completed', 90_000);
    expect(view.matters.find((m: any) => m.id === 'premiumDeclaration').refs.receiptNo).toMatch(/^PJ/);
    expect(await stack.records('tax', 'payments', citizen.person.idNumber)).toHaveLength(1);
    const charged = (await stack.records('payment', 'orders')).filter((o: any) => o.orderId === orderId);
    expect(charged).toMatchObject([
      {
        status: 'paid',
        amountFen: view.matters.find((m: any) => m.id === 'premiumDeclaration').result.assessment.totalFen,
      },
    ]);
  });
});
