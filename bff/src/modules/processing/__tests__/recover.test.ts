import { createLogger } from '@flexins/shared/server';
import { useTestDatabase } from '../../../../test/database';
import { testConfig } from '../../../../test/config';
import { createDepartments } from '../../../departments';
import { FieldCipher } from '../../../platform/crypto';
import { caseModel, type ApplicationCase } from '../../applications/application.model';
import { ProcessingEngine } from '../engine';

const db = useTestDatabase();

function matter(state: string) {
  return { state, attempts: 0, refs: {}, updatedAt: new Date() };
}

describe('recovery after a crash', () => {
  it('queues a case whose matters were accepted but never queued, once', async () => {
    const config = testConfig();
    const departments = createDepartments({ callerId: 'bff', endpoints: config.departments.endpoints, timeoutMs: 100 });
    const engine = new ProcessingEngine(
      db.connection,
      departments,
      FieldCipher.fromConfig(config),
      createLogger('error', () => {}),
    );
    const old = new Date(Date.now() - 60_000);
    await caseModel(db.connection).collection.insertOne({
      _id: 'LJ20261130000099',
      caseNo: 'LJ20261130000099',
      submissionKey: 'a:k',
      openCaseKey: 'a',
      applicantId: 'a',
      status: 'processing',
      matters: {
        employmentRegistration: matter('delivered'),
        archiveTransfer: matter('delivered'),
        pensionRegistration: matter('delivered'),
        socialSecurityCard: matter('accepted'),
        medicalRegistration: matter('delivered'),
        premiumDeclaration: matter('accepted'),
      },
      events: [],
      createdAt: old,
      updatedAt: old,
    } as unknown as Omit<ApplicationCase, '_id'>);

    expect(await engine.recover()).toBe(1);
    expect((await engine.queue.model.find({}).lean()).map((j) => j._id)).toEqual(['LJ20261130000099']);
    expect(await engine.recover()).toBe(0);
  });
});
