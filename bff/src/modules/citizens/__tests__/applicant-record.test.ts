import { makeIdNumber, type IdentityPerson } from '@flexins/shared';
import { useTestDatabase } from '../../../../test/database';
import { testConfig } from '../../../../test/config';
import { createDepartments } from '../../../departments';
import { TokenService } from '../../../platform/auth';
import { FieldCipher } from '../../../platform/crypto';
import { applicantKeyModel } from '../applicant-key.model';
import { applicantModel } from '../applicant.model';
import { CitizenService } from '../citizen.service';

const db = useTestDatabase();

function person(n: number): IdentityPerson {
  return {
    personId: `P${n}`,
    name: '马秀英',
    idNumber: makeIdNumber('640104', '1980-05-06', String(100 + n * 2).padStart(3, '0')),
    sex: 'female',
    birthDate: '1980-05-06',
    ethnicity: '回族',
    phone: `1390951${String(n).padStart(4, '0')}`,
    household: { regionCode: '640104', address: '宁夏银川市兴庆区' },
    photo: { contentType: 'image/png', base64: 'iVBORw0KGgo=', certifiedAt: '2026-01-01T00:00:00Z' },
  };
}

function service(): CitizenService {
  const config = testConfig();
  return new CitizenService(
    applicantModel(db.connection),
    createDepartments({ callerId: 'bff', endpoints: config.departments.endpoints, timeoutMs: 100 }),
    FieldCipher.fromConfig(config),
    TokenService.fromConfig(config),
  );
}

describe('the applicant record behind a sign-in or a window visit', () => {
  it('is found again through its key, and a key a crash left unwritten is written at the next visit', async () => {
    const citizens = service();
    const first = await citizens.record(person(1));
    const keys = applicantKeyModel(db.connection);
    expect(await keys.countDocuments({ applicantId: first.applicantId })).toBe(1);

    expect((await citizens.record(person(1))).applicantId).toBe(first.applicantId);

    await keys.deleteMany({ applicantId: first.applicantId });
    expect((await citizens.record(person(1))).applicantId).toBe(first.applicantId);
    expect(await keys.countDocuments({ applicantId: first.applicantId })).toBe(1);
    expect(await applicantModel(db.connection).countDocuments({ idNumberHash: first.idNumberHash })).toBe(1);
  });

  it('is made once when the same person arrives twice at the same moment', async () => {
    const citizens = service();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => citizens.record(person(2))));
    expect(new Set([a!.applicantId, b!.applicantId, c!.applicantId]).size).toBe(1);
    expect(await applicantModel(db.connection).countDocuments({ idNumberHash: a!.idNumberHash })).toBe(1);
  });
});
