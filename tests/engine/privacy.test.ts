// Personal data stays where it belongs, checked on a whole journey against
// real processes: no log line of the BFF or of any simulator holds the
// person's full ID number, phone or name; the BFF's database holds none of
// them (nor the address, the archive detail or the photo) in plaintext; and
// each department received only the fields its manifest lists.
import { MANIFEST, NOTICE, maskName, type ApplicationDataPath, type ManifestRecipient } from '@flexins/shared';
import mongoose from 'mongoose';
import { findPerson } from '../../bff/simulators/roster';
import type { Service } from '../../scripts/lib/services';
import type { Department } from '../../scripts/lib/simulators';
import { Citizen } from '../support/citizen';
import { startBffProcess, startStack, type Stack } from '../support/stack';

const person = findPerson('eligible-vendor')!;
/** Written on the form, so that a leak of it would show. */
const ARCHIVE_DETAIL = '石嘴山市大武口区人才交流服务中心档案室';
const MAILING_DETAIL = '解放西街 100 号 2 单元 301 室';

// Any 18-character ID-number-like run and any mainland-mobile-like run (as the log scrubber sees them).
const ID_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
const MOBILE_LIKE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

let stack: Stack;
let bff: Service;
let citizen: Citizen;
let caseNo: string;
let photoBase64: string;
const bffLines: string[] = [];
const simulatorLines: { department: string; line: string }[] = [];

/** Every line a child process writes from now on, beside what startService does with them. */
function capture(child: Service['child'], onLine: (line: string) => void): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) onLine(line);
    });
    stream.on('end', () => {
      if (pending) onLine(pending);
    });
  }
}

beforeAll(async () => {
  // Logs as talkative as they get: every call of every process is written.
  stack = await startStack({ label: 'privacy', simulatorEnv: { LOG_LEVEL: 'debug' } });
  // startStack drops the simulators' output; their processes are ours to listen to all the same
  // (only their start-up line, which says where they listen, is missed).
  for (const service of stack.simulators.services) {
    const department = service.name.replace(/^模拟/, '');
    capture(service.child, (line) => simulatorLines.push({ department, line }));
  }
  bff = await startBffProcess(stack, { LOG_LEVEL: 'debug' }, (line) => bffLines.push(line));

  // The whole journey, as the mini-app drives it.
  citizen = new Citizen(bff.url, stack.simulators.urls.identity, person);
  await citizen.signIn();
  expect((await citizen.call('GET', '/api/me')).status).toBe(200);
  const face = await citizen.faceCheck();
  expect(face.body.passed).toBe(true);
  expect((await citizen.eligibility()).body.eligible).toBe(true);
  const postageOrderId = await citizen.payPostage();
  const form = citizen.form({
    faceCheckId: face.body.checkId,
    noticeVersion: NOTICE.version,
    postageOrderId,
    withCard: true,
  });
  form.archive = { location: 'other', detail: ARCHIVE_DETAIL };
  expect(form.card?.mailingAddress.detail).toBe(MAILING_DETAIL);
  // A draft first, as a citizen who stops half-way would leave one.
  expect((await citizen.call('PUT', '/api/drafts/current', form)).status).toBe(200);
  const submitted = await citizen.submit(form);
  expect(submitted.status).toBe(201);
  caseNo = submitted.body.caseNo;
  const view = await citizen.waitForCase(caseNo, (v) => v.status === 'awaitingPayment');
  expect(view.matters.find((m: any) => m.id === 'premiumDeclaration').state).toBe('decided');
  const paid = await citizen.payPremium(caseNo);
  expect(paid.status).toBe(200);
  await citizen.waitForCase(caseNo, (v) => v.status === 'completed');

  const [identityRecord] = await stack.records('identity', 'people', person.idNumber);
  photoBase64 = identityRecord.photo.base64;
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

/** The person's data that must not leak, as exact strings. */
function secrets(): Record<string, string> {
  return {
    idNumber: person.idNumber,
    phone: person.phone,
    name: person.name,
  };
}

describe('logs', () => {
  it('captured the journey from the BFF and from every simulator', () => {
    expect(bffLines.some((line) => line.includes('"msg":"request"') && line.includes('/api/applications'))).toBe(true);
    const departments = new Set(simulatorLines.map((l) => l.department));
    expect([...departments].sort()).toEqual(['hrss', 'identity', 'market', 'medical', 'payment', 'sms', 'tax']);
  });

  it.each([
    ['the BFF', () => bffLines],
    ['the simulators', () => simulatorLines.map((l) => `[${l.department}] ${l.line}`)],
  ])('%s never wrote a full ID number, phone or name', (_who, lines) => {
    const leaks = lines().filter(
      (line) =>
        Object.values(secrets()).some((secret) => line.includes(secret)) ||
        ID_LIKE.test(line) ||
        MOBILE_LIKE.test(line),
    );
    expect(leaks).toEqual([]);
  });
});

describe("the BFF's database", () => {
  let dump: string;
  let collections: string[];

  beforeAll(async () => {
    const connection = await mongoose.createConnection(stack.bffEnv.MONGODB_URI!).asPromise();
    try {
      const db = connection.db!;
      collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
      const contents: Record<string, unknown[]> = {};
      for (const name of collections) contents[name] = await db.collection(name).find({}).toArray();
      dump = mongoose.mongo.BSON.EJSON.stringify(contents, { relaxed: true });
    } finally {
      await connection.close();
    }
  });

  it('holds the journey (applicant, case and its timeline, postage order)', () => {
    expect(collections).toEqual(expect.arrayContaining(['applicants', 'cases', 'postage_orders']));
    expect(dump).toContain(caseNo);
    expect(dump).toContain(`${[...person.name][0]}**`);
  });

  it('holds no ID number, phone, name, address, archive detail or photo in plaintext', () => {
    const plain = {
      ...secrets(),
      householdAddress: person.household.address,
      mailingAddress: MAILING_DETAIL,
      archiveDetail: ARCHIVE_DETAIL,
      photo: photoBase64,
      // A slice of the photo too, in case it were kept cut up or re-wrapped.
      photoSlice: photoBase64.slice(100, 164),
    };
    const found = Object.entries(plain)
      .filter(([, value]) => dump.includes(value))
      .map(([what]) => what);
    expect(found).toEqual([]);
  });
});

// ---- what each department received --------------------------------------------------

/** The SMS gateway is checked apart (below): it gets the phone to send to, and the masked name in the text. */
type ManifestDepartment = Exclude<Department, 'sms'>;

/** The collections that hold what a department was sent by us (not what it knew before). */
const RECEIVED: Record<ManifestDepartment, string[]> = {
  identity: ['face_checks'],
  hrss: ['employment_registrations', 'archive_transfers', 'pension_registrations', 'card_applications'],
  medical: ['registrations'],
  tax: ['insurance_registrations', 'declarations', 'payments'],
  payment: ['orders', 'refunds'],
  // The eligibility look-ups it answered (what it was asked with).
  market: ['queries'],
};

/** Record fields, in the departments' contracts, that carry a piece of the applicant's data. */
const FIELD_OF: Record<string, ApplicationDataPath> = {
  name: 'applicant.name',
  idNumber: 'applicant.idNumber',
  phone: 'applicant.phone',
  sex: 'applicant.sex',
  birthDate: 'applicant.birthDate',
  ethnicity: 'applicant.ethnicity',
  household: 'applicant.household',
  residencePermit: 'applicant.residencePermit',
  photo: 'applicant.photo',
  employmentType: 'employment.type',
  startDate: 'employment.startDate',
  residenceRegionCode: 'residenceRegionCode',
  receivingRegionCode: 'residenceRegionCode',
  currentLocation: 'archive.location',
  holdingUnit: 'archive.detail',
  baseGradePercent: 'pension.baseGradePercent',
  issuingBank: 'card.issuingBank',
  mailingAddress: 'card.mailingAddress',
  periodStart: 'payment.periodStart',
  months: 'payment.months',
};

/** A path is allowed when the manifest lists it, or a part of it (`card.mailingAddress` ← `card.mailingAddress.detail`). */
function listed(recipient: ManifestRecipient, path: string): boolean {
  return MANIFEST[recipient].fields.some(({ field }) => field === path || field.startsWith(`${path}.`));
}

async function received(department: ManifestDepartment): Promise<Record<string, any[]>> {
  const out: Record<string, any[]> = {};
  for (const collection of RECEIVED[department]) {
    // Payment records carry no ID number (nothing to filter on); the stack holds this journey only.
    out[collection] = await stack.records(
      department,
      collection,
      department === 'payment' ? undefined : person.idNumber,
    );
  }
  return out;
}

describe('each department received only the fields of its manifest', () => {
  const departments = Object.keys(RECEIVED) as ManifestDepartment[];

  it.each(departments)('%s: every applicant field in its records is one its manifest lists', async (department) => {
    const records = await received(department);
    const unlisted: string[] = [];
    for (const [collection, rows] of Object.entries(records)) {
      for (const row of rows) {
        for (const key of Object.keys(row)) {
          const path = FIELD_OF[key];
          if (path && !listed(department, path)) unlisted.push(`${collection}.${key} (${path})`);
        }
      }
    }
    // The journey reached this department at all.
    expect(Object.values(records).flat().length).toBeGreaterThan(0);
    expect(unlisted).toEqual([]);
  });

  it.each(departments)(
    '%s: no value of a field its manifest does not list is found in its records',
    async (department) => {
      const text = JSON.stringify(await received(department));
      // Each value with every path it travels under (the recipient's phone is the applicant's here).
      const values: [string, ApplicationDataPath[]][] = [
        [person.name, ['applicant.name', 'card.mailingAddress.recipient']],
        [person.idNumber, ['applicant.idNumber']],
        [person.phone, ['applicant.phone', 'card.mailingAddress.phone']],
        [person.household.address, ['applicant.household']],
        [MAILING_DETAIL, ['card.mailingAddress.detail']],
        [ARCHIVE_DETAIL, ['archive.detail']],
        [photoBase64.slice(100, 164), ['applicant.photo']],
        ['"icbc"', ['card.issuingBank']],
      ];
      const leaked = values
        .filter(([value, paths]) => !paths.some((p) => listed(department, p)) && text.includes(value))
        .map(([, paths]) => paths[0]);
      expect(leaked).toEqual([]);
    },
  );

  it('hrss did receive what its manifest lists, so the look-ups above would see a leak', async () => {
    const text = JSON.stringify(await received('hrss'));
    for (const value of [person.name, person.idNumber, person.phone, MAILING_DETAIL, ARCHIVE_DETAIL, '"icbc"']) {
      expect(text).toContain(value);
    }
  });

  it('the medical registration has no card, address or photo; the tax records no mailing address; the cashier nothing of the person', async () => {
    const [medical] = (await received('medical')).registrations!;
    for (const field of ['photo', 'issuingBank', 'mailingAddress', 'phone', 'household', 'currentLocation']) {
      expect(medical).not.toHaveProperty(field);
    }
    const tax = Object.values(await received('tax')).flat();
    expect(tax.length).toBeGreaterThanOrEqual(4); // two registrations, a declaration, a payment
    for (const record of tax) {
      for (const field of ['mailingAddress', 'photo', 'issuingBank', 'phone', 'household', 'currentLocation']) {
        expect(record).not.toHaveProperty(field);
      }
    }
    const cashier = JSON.stringify(await received('payment'));
    expect(cashier).toContain('"amountFen":580');
    for (const value of [person.name, person.idNumber, person.phone, MAILING_DETAIL]) {
      expect(cashier).not.toContain(value);
    }
  });
});

// ---- the messages outside the app ------------------------------------------------------

describe('the SMS gateway', () => {
  it('received the phone to send to and, in the text, the masked name only: no ID number, full name or address', async () => {
    const deadline = Date.now() + 30_000;
    let messages: any[] = [];
    // The notifier sends after the entries are written: wait for the submission's two at least.
    while (messages.length < 2 && Date.now() < deadline) {
      messages = (await stack.records('sms', 'messages')).filter((m) => m.reference === caseNo);
      if (messages.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(messages.map((m) => m.phone))).toEqual(new Set([person.phone]));
    const texts = JSON.stringify(messages.map((m) => m.text));
    expect(texts).toContain(maskName(person.name));
    for (const value of [
      person.name,
      person.idNumber,
      person.phone,
      person.household.address,
      MAILING_DETAIL,
      ARCHIVE_DETAIL,
    ]) {
      expect(texts).not.toContain(value);
    }
    expect(texts).not.toMatch(ID_LIKE);
    expect(texts).not.toMatch(MOBILE_LIKE);
    for (const message of messages) {
      expect(Object.keys(message).sort()).toEqual(
        [
          '_id',
          'callerId',
          'channel',
          'idempotencyKey',
          'messageId',
          'phone',
          'reference',
          'requestId',
          'segments',
          'sentAt',
          'templateId',
          'text',
        ].sort(),
      );
    }
  });
});
