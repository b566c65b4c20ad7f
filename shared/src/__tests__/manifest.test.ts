import type { ApplicationData } from '../application';
import {
  HRSS_ARCHIVE_TRANSFER_REQUEST,
  HRSS_CARD_APPLICATION_REQUEST,
  HRSS_EMPLOYMENT_REGISTRATION_REQUEST,
  HRSS_PENSION_REGISTRATION_REQUEST,
} from '../contracts/hrss';
import { IDENTITY_FACE_CHECK_REQUEST } from '../contracts/identity';
import { MARKET_REGISTRATION_QUERY_REQUEST } from '../contracts/market';
import { MEDICAL_FLEXIBLE_REGISTRATION_REQUEST } from '../contracts/medical';
import { PAYMENT_CREATE_ORDER_REQUEST } from '../contracts/payment';
import { TAX_DECLARATION_REQUEST, TAX_INSURANCE_REGISTRATION_REQUEST } from '../contracts/tax';
import { MANIFEST, consentCovers, pickForDepartment, type ManifestRecipient } from '../manifest';

const DATA: ApplicationData = {
  applicant: {
    name: '马建军',
    idNumber: '640104198803150317',
    sex: 'male',
    birthDate: '1988-03-15',
    ethnicity: '回族',
    phone: '19900000001',
    household: { regionCode: '640104', address: '宁夏银川市兴庆区胜利街道丽景社区12号楼3单元402室' },
    residencePermit: { regionCode: '640106', validUntil: '2028-03-31' },
    photo: { contentType: 'image/png', base64: 'iVBORw0KGgo=' },
  },
  employment: { type: 'flexible', startDate: '2026-11-01' },
  residenceRegionCode: '640104',
  archive: { location: 'other', detail: '银川市某街道档案室' },
  pension: { baseGradePercent: 100 },
  card: {
    issuingBank: 'bankOfNingxia',
    mailingAddress: {
      regionCode: '640104',
      detail: '胜利街道丽景社区12号楼3单元402室',
      recipient: '马建军',
      phone: '19900000002',
    },
  },
  payment: { periodStart: '2026-12', months: 3 },
};

const RECIPIENTS: ManifestRecipient[] = ['hrss', 'medical', 'tax', 'payment', 'identity', 'market', 'sms'];

/** Every dotted leaf path of a picked object. */
function leaves(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

describe('the data manifest', () => {
  it('lists each field once per recipient, each with a Chinese label and purpose, all of them real fields', () => {
    for (const recipient of RECIPIENTS) {
      const entry = MANIFEST[recipient];
      expect(entry.recipient).toBe(recipient);
      expect(entry.name).toMatch(/[\u4e00-\u9fff]/);
      const paths = entry.fields.map((f) => f.field);
      expect(new Set(paths).size).toBe(paths.length);
      for (const f of entry.fields) {
        expect([f.field, f.label]).toEqual([f.field, expect.stringMatching(/[\u4e00-\u9fff]/)]);
        expect([f.field, f.purpose]).toEqual([f.field, expect.stringMatching(/[\u4e00-\u9fff]{4}/)]);
        expect([f.field, get(DATA, f.field)]).not.toEqual([f.field, undefined]);
      }
    }
  });

  it('gives HRSS what its four matters need, and nothing about household, birth, ethnicity or own phone', () => {
    const picked = pickForDepartment('hrss', DATA);
    expect(leaves(picked).sort()).toEqual(
      [
        'applicant.name',
        'applicant.idNumber',
        'applicant.photo.contentType',
        'applicant.photo.base64',
        'employment.type',
        'employment.startDate',
        'residenceRegionCode',
        'archive.location',
        'archive.detail',
        'pension.baseGradePercent',
        'card.issuingBank',
        'card.mailingAddress.regionCode',
        'card.mailingAddress.detail',
        'card.mailingAddress.recipient',
        'card.mailingAddress.phone',
      ].sort(),
    );
  });

  it('gives medical security only name, ID number, kind of work and residence', () => {
    expect(pickForDepartment('medical', DATA)).toEqual({
      applicant: { name: '马建军', idNumber: '640104198803150317' },
      employment: { type: 'flexible' },
      residenceRegionCode: '640104',
    });
  });

  it('gives tax name, ID number, residence, the pension grade and the payment period', () => {
    expect(pickForDepartment('tax', DATA)).toEqual({
      applicant: { name: '马建军', idNumber: '640104198803150317' },
      residenceRegionCode: '640104',
      pension: { baseGradePercent: 100 },
      payment: { periodStart: '2026-12', months: 3 },
    });
  });

  it('gives the cashier no personal data at all, and says so', () => {
    expect(pickForDepartment('payment', DATA)).toEqual({});
    expect(MANIFEST.payment.note).toContain('不收到您的姓名、身份证号码');
  });

  it('gives the identity platform the ID number for the face check', () => {
    expect(pickForDepartment('identity', DATA)).toEqual({ applicant: { idNumber: '640104198803150317' } });
  });

  it('gives market regulation only the ID number, for the business registration look-up of rule 5', () => {
    expect(pickForDepartment('market', DATA)).toEqual({ applicant: { idNumber: '640104198803150317' } });
    expect(MANIFEST.market.fields[0]!.purpose).toContain('雇工人数');
    expect(MANIFEST.market.note).toContain('只用身份证号码查询');
  });

  it('leaves out what the data does not have, without empty objects', () => {
    const { card: _card, ...noCard } = DATA;
    const withoutExtras: ApplicationData = {
      ...noCard,
      applicant: { ...DATA.applicant, photo: undefined },
      archive: { location: 'none' },
    };
    const picked = pickForDepartment('hrss', withoutExtras);
    expect(picked).not.toHaveProperty('card');
    expect(picked.applicant).not.toHaveProperty('photo');
    expect(picked.archive).toEqual({ location: 'none' });
  });

  it('copies: changing what was picked does not change the case data', () => {
    const picked = pickForDepartment('hrss', DATA);
    picked.card!.mailingAddress!.phone = '13000000000';
    picked.applicant!.photo!.base64 = 'changed';
    expect(DATA.card?.mailingAddress.phone).toBe('19900000002');
    expect(DATA.applicant.photo?.base64).toBe('iVBORw0KGgo=');
  });

  // Every personal field a department's request schema asks for must come from that department's pick.
  it.each([
    ['hrss', HRSS_EMPLOYMENT_REGISTRATION_REQUEST],
    ['hrss', HRSS_ARCHIVE_TRANSFER_REQUEST],
    ['hrss', HRSS_PENSION_REGISTRATION_REQUEST],
    ['hrss', HRSS_CARD_APPLICATION_REQUEST],
    ['medical', MEDICAL_FLEXIBLE_REGISTRATION_REQUEST],
    ['tax', TAX_INSURANCE_REGISTRATION_REQUEST],
    ['tax', TAX_DECLARATION_REQUEST],
    ['identity', IDENTITY_FACE_CHECK_REQUEST],
    ['payment', PAYMENT_CREATE_ORDER_REQUEST],
    ['market', MARKET_REGISTRATION_QUERY_REQUEST],
  ] as const)('covers what the %s contract asks for', (recipient, schema) => {
    // Contract field → where it comes from in ApplicationData; null = not the applicant's data.
    const SOURCES: Record<string, string | null> = {
      idNumber: 'applicant.idNumber',
      name: 'applicant.name',
      employmentType: 'employment.type',
      startDate: 'employment.startDate',
      residenceRegionCode: 'residenceRegionCode',
      receivingRegionCode: 'residenceRegionCode',
      currentLocation: 'archive.location',
      holdingUnit: 'archive.detail',
      baseGradePercent: 'pension.baseGradePercent',
      photo: 'applicant.photo',
      issuingBank: 'card.issuingBank',
      mailingAddress: 'card.mailingAddress',
      periodStart: 'payment.periodStart',
      months: 'payment.months',
      // process data, not the applicant's
      employmentRegistrationNo: null,
      registrationNo: null,
      insurance: null,
      paymentType: null,
      postageOrderId: null,
      livenessSample: null,
      verifyResult: null,
      orderId: null,
      amountFen: null,
      subject: null,
      notifyUrl: null,
      returnUrl: null,
    };
    const picked = pickForDepartment(recipient, DATA);
    for (const property of Object.keys(schema.properties)) {
      expect(SOURCES).toHaveProperty([property]);
      const source = SOURCES[property];
      if (source) expect([property, get(picked, source)]).toEqual([property, get(DATA, source)]);
    }
  });
});

describe('consent to a recipient added after the first notice', () => {
  it('gives the SMS platform the phone only, and only to cases agreed to a notice naming it (2026.4 on)', () => {
    expect(leaves(pickForDepartment('sms', DATA))).toEqual(['applicant.phone']);
    expect(consentCovers('2026.3', 'sms')).toBe(false);
    expect(consentCovers('2026.4', 'sms')).toBe(true);
    expect(consentCovers('2026.10', 'sms')).toBe(true);
    expect(consentCovers('2027.1', 'sms')).toBe(true);
    expect(consentCovers('2025.9', 'sms')).toBe(false);
    expect(consentCovers('not-a-version', 'sms')).toBe(false);
    expect(consentCovers('2026.1', 'hrss')).toBe(true);
  });
});
