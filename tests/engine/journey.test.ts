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
    expect(byId.pensionRegistration).toMatchObject({
      state: 'delivered',
      refs: { pensionRegistrationNo: expect.stringMatching(/^YL/) },
    });
    expect(byId.socialSecurityCard).toMatchObject({
      state: 'delivered',
      refs: { cardApplicationNo: expect.stringMatching(/^SB/) },
    });
    expect(byId.socialSecurityCard.result.electronicCard.eCardNo).toMatch(/^DZ/);
    expect(byId.medicalRegistration).toMatchObject({
      state: 'delivered',
      refs: { medicalInsuranceNo: expect.stringMatching(/^YB/) },
    });
    expect(byId.premiumDeclaration).toMatchObject({ state: 'decided', refs: { declarationNo: expect.any(String) } });
    // Grade 100 of the 7,000-yuan sample wage for one month: 1,400.00 pension + 336.00 medical.
    expect(byId.premiumDeclaration.result.assessment).toMatchObject({
      pensionFen: 140000,
      medicalFen: 33600,
      totalFen: 173600,
    });
  });

  it('pays the first premium through the tax system and gets a receipt, once', async () => {
    const wrong = await citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, { amountFen: 100 });
    expect(wrong).toMatchObject({ status: 422, body: { error: { code: 'PREMIUM_AMOUNT_MISMATCH' } } });
    const [paid, again] = await Promise.all([
      citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, { amountFen: 173600 }),
      citizen.call('POST', `/api/applications/${caseNo}/premium-payment`, { amountFen: 173600 }),
    ]);
    expect(paid.status).toBe(200);
    expect(again.status).toBe(200);
    const view = await citizen.waitForCase(caseNo, (v) => v.status === 'completed');
    const premium = view.matters.find((m: any) => m.id === 'premiumDeclaration');
    expect(premium).toMatchObject({ state: 'delivered', refs: { receiptNo: expect.stringMatching(/^PJ/) } });
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
    expect(orders).toHaveLength(1);
    expect(orders[0].amountFen).toBe(580);
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
