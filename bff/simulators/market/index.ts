// The market regulation department's registration system simulator (市场监管
// 部门 登记注册系统): answers which individual businesses (个体工商户) and
// enterprises a person is registered for, with status and the employees on
// record (rule 5: an employer with employees is not a flexible worker).
// Seeded with the roster's businesses.
import { MARKET_ERRORS } from '@flexins/shared';
import { ROSTER, TRAINING_ROSTER } from '../roster';
import type { SimulatorDefinition } from '../common/types';
import { seedPerson } from './businesses';
import { COLLECTIONS, marketModels } from './models';
import { registrationQuery } from './routes';

export const marketSimulator: SimulatorDefinition = {
  name: 'market',
  title: '宁夏市场监管部门登记注册系统（模拟）',
  errors: MARKET_ERRORS,
  routes: [registrationQuery],
  collections: Object.values(COLLECTIONS),
  async setup(deps) {
    await Promise.all(Object.values(marketModels(deps.db)).map((model) => model.createIndexes()));
    for (const person of [...ROSTER, ...TRAINING_ROSTER]) await seedPerson(deps.db, person);
  },
  async addPerson(deps, person) {
    await seedPerson(deps.db, person);
  },
};
