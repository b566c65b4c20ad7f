// Key rotation on stored data: the data key's (reseal) and the look-up hash
// key's (rehash), on records made the way the service makes them.
import { randomBytes } from 'node:crypto';
import { makeIdNumber, type ApplicationData, type IdentityPerson } from '@flexins/shared';
import { testConfig } from '../../test/config';
import { useTestDatabase } from '../../test/database';
import { createDepartments } from '../departments';
import { caseModel } from '../modules/applications/application.model';
import { caseDataModel } from '../modules/applications/case-data.model';
import { applicantKeyModel } from '../modules/citizens/applicant-key.model';
import { applicantModel } from '../modules/citizens/applicant.model';
import { CitizenService } from '../modules/citizens/citizen.service';
import { TokenService } from '../platform/auth';
import type { Config } from '../platform/config';
import { FieldCipher } from '../platform/crypto';
import { rehashAll, resealAll } from '../rotate-keys';

const db = useTestDatabase();
const key = () => randomBytes(32).toString('base64');
const [oldDataKey, newDataKey, oldLookupKey, newLookupKey] = [key(), key(), key(), key()];

const person: IdentityPerson = {
  personId: 'P-rotation',
  name: '马秀英',
  idNumber: makeIdNumber('640104', '1980-05-06', '102'),
  sex: 'female',
  birthDate: '1980-05-06',
  ethnicity: '回族',
  phone: '13909510001',
  household: { regionCode: '640104', address: '宁夏银川市兴庆区' },
  photo: { contentType: 'image/png', base64: 'iVBORw0KGgo=', certifiedAt: '2026-01-01T00:00:00Z' },
};
const MAILING_PHONE = '13909510002';

function citizens(config: Config): CitizenService {
  return new CitizenService(
    applicantModel(db.connection),
    createDepartments({ callerId: 'bff', endpoints: config.departments.endpoints, timeoutMs: 100 }),
    FieldCipher.fromConfig(config),
    TokenService.fromConfig(config),
  );
}

const before = testConfig({ DATA_ENCRYPTION_KEY: oldDataKey, LOOKUP_HASH_KEY: oldLookupKey });
const dataKeyRotated = testConfig({
  DATA_ENCRYPTION_KEY: `v2:${newDataKey}`,
  DATA_ENCRYPTION_KEYS_PREVIOUS: `v1:${oldDataKey}`,
  LOOKUP_HASH_KEY: oldLookupKey,
});
const after = testConfig({ DATA_ENCRYPTION_KEY: `v2:${newDataKey}`, LOOKUP_HASH_KEY: newLookupKey });
let applicantId: string;

/** What is stored, field by field: sealed values and look-up hashes. */
async function stored() {
  const applicant = await applicantModel(db.connection).findOne({ applicantId }).lean();
  const caseDoc = await caseModel(db.connection).collection.findOne({ _id: 'LJ-ROTATION' as never });
  const caseData = await caseDataModel(db.connection).findById('LJ-ROTATION').lean();
  return {
    sealed: [applicant!.sealed, applicant!.draftSealed!, caseData!.sealed],
    applicant: applicant!,
    caseDoc: caseDoc!,
    keys: await applicantKeyModel(db.connection).find({ applicantId }).lean(),
  };
}

beforeAll(async () => {
  // An applicant with a draft, and a case with its sealed data, under the first keys.
  const cipher = FieldCipher.fromConfig(before);
  ({ applicantId } = await citizens(before).record(person));
  await applicantModel(db.connection).updateOne(
    { applicantId },
    { $set: { draftSealed: cipher.encryptJson({ step: 'form' }) } },
  );
  const applicant = await applicantModel(db.connection).findOne({ applicantId }).lean();
  const data = {
    applicant: cipher.decryptJson(applicant!.sealed),
    card: { issuingBank: 'ICBC', mailingAddress: { phone: MAILING_PHONE } },
  } as unknown as ApplicationData;
  await caseDataModel(db.connection).create({
    _id: 'LJ-ROTATION',
    sealed: cipher.encryptJson(data),
    createdAt: new Date(),
  });
  await caseModel(db.connection).collection.insertOne({
    _id: 'LJ-ROTATION' as never,
    idNumberHash: cipher.lookupHash('idNumber', person.idNumber),
    phoneHash: cipher.lookupHash('phone', person.phone),
    mailingPhoneHash: cipher.lookupHash('phone', MAILING_PHONE),
  });
});

describe('rotating the data encryption key', () => {
  it('names the values no key given opens, and leaves them as they are', async () => {
    const untouched = await stored();
    const withoutOldKey = FieldCipher.fromConfig({ ...dataKeyRotated, previousDataEncryptionKeys: {} });
    expect(await resealAll(db.connection, withoutOldKey)).toEqual({
      resealed: 0,
      current: 0,
      changedMeanwhile: 0,
      unreadable: [
        `applicants/${applicantId}.sealed`,
        `applicants/${applicantId}.draftSealed`,
        'case_data/LJ-ROTATION.sealed',
      ],
    });
    expect(await stored()).toEqual(untouched);
  });

  it('opens values of the previous key, seals new ones with the current key, and reseal renews the old ones', async () => {
    expect((await stored()).sealed.every((value) => value.startsWith('v1:'))).toBe(true);
    const rotated = FieldCipher.fromConfig(dataKeyRotated);
    expect(rotated.encryptField('x')).toMatch(/^v2:/);
    expect(rotated.decryptJson((await stored()).sealed[1]!)).toEqual({ step: 'form' });

    expect(await resealAll(db.connection, rotated)).toEqual({
      resealed: 3,
      current: 0,
      changedMeanwhile: 0,
      unreadable: [],
    });
    const { sealed } = await stored();
    expect(sealed.every((value) => value.startsWith('v2:'))).toBe(true);
    // The old key is no longer needed: the new key alone opens everything.
    const newKeyOnly = FieldCipher.fromConfig({ ...dataKeyRotated, previousDataEncryptionKeys: {} });
    expect(newKeyOnly.decryptJson(sealed[1]!)).toEqual({ step: 'form' });
    expect(newKeyOnly.decryptJson<{ name: string }>(sealed[0]!).name).toBe(person.name);

    expect(await resealAll(db.connection, rotated)).toEqual({
      resealed: 0,
      current: 3,
      changedMeanwhile: 0,
      unreadable: [],
    });
  });
});

describe('rotating the look-up hash key', () => {
  it('refuses to touch hashes made with neither key, naming them', async () => {
    const stranger = FieldCipher.fromConfig({ ...after, lookupHashKey: Buffer.from(key(), 'base64') });
    const untouched = await stored();
    const report = await rehashAll(db.connection, stranger, FieldCipher.fromConfig(after));
    expect(report).toEqual({
      rehashed: 0,
      current: 0,
      unknown: [`applicants/${applicantId}`, 'cases/LJ-ROTATION'],
      unreadable: [],
    });
    expect(await stored()).toEqual(untouched);
  });

  it('computes every hash again from the sealed data, so the person and the case are found with the new key', async () => {
    const previous = FieldCipher.fromConfig({ ...after, lookupHashKey: Buffer.from(oldLookupKey, 'base64') });
    const next = FieldCipher.fromConfig(after);
    expect(await rehashAll(db.connection, previous, next)).toEqual({
      rehashed: 2,
      current: 0,
      unknown: [],
      unreadable: [],
    });

    const { applicant, caseDoc, keys } = await stored();
    expect(applicant.idNumberHash).toBe(next.lookupHash('idNumber', person.idNumber));
    expect(applicant.phoneHash).toBe(next.lookupHash('phone', person.phone));
    expect(keys.map((k) => k._id)).toEqual([next.lookupHash('idNumber', person.idNumber)]);
    expect(caseDoc).toMatchObject({
      idNumberHash: next.lookupHash('idNumber', person.idNumber),
      phoneHash: next.lookupHash('phone', person.phone),
      mailingPhoneHash: next.lookupHash('phone', MAILING_PHONE),
    });
    // A sign-in under the new key finds the same applicant record, not a new one.
    expect((await citizens(after).record(person)).applicantId).toBe(applicantId);
    expect(await applicantModel(db.connection).countDocuments()).toBe(1);

    expect(await rehashAll(db.connection, previous, next)).toEqual({
      rehashed: 0,
      current: 2,
      unknown: [],
      unreadable: [],
    });
  });
});
