// The medical security system simulator (医疗保障信息系统): answers the
// cross-province medical enrollment query and registers flexible workers for
// employee basic medical insurance (参保登记, or 变更登记 after an ended
// Ningxia enrollment). Seeded with the roster's medical enrollments.
import { MEDICAL_ERRORS } from '@flexins/shared';
import { ROSTER, TRAINING_ROSTER } from '../roster';
import type { SimulatorDefinition } from '../common/types';
import { seedPerson } from './enrollments';
import { COLLECTIONS, medicalModels } from './models';
import { enrollmentQuery, flexibleRegistration } from './routes';

export const medicalSimulator: SimulatorDefinition = {
  name: 'medical',
  title: '宁夏医疗保障信息系统（模拟）',
  errors: MEDICAL_ERRORS,
  routes: [enrollmentQuery, flexibleRegistration],
  collections: Object.values(COLLECTIONS),
  async setup(deps) {
    const models = medicalModels(deps.db);
    await Promise.all(Object.values(models).map((model) => model.createIndexes()));
    const now = deps.now();
    for (const person of [...ROSTER, ...TRAINING_ROSTER]) await seedPerson(deps.db, person, now);
  },
  async addPerson(deps, person) {
    await seedPerson(deps.db, person, deps.now());
  },
};
