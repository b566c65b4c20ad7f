// The tax system simulator (税务社保费征收系统): receives the pension and
// medical registrations the BFF distributes, takes the normal-payment
// declaration and assesses it from CURRENT_POLICY, collects the payment and
// issues the electronic receipt. It holds no records before registrations
// arrive: nothing is seeded from the roster, and an added person needs none.
import { TAX_ERRORS } from '@flexins/shared';
import type { SimulatorDefinition } from '../common/types';
import { COLLECTIONS, taxModels } from './models';
import { declaration, declarationQuery } from './routes/declarations';
import { payment } from './routes/payments';
import { insuranceRegistration } from './routes/registrations';

export const taxSimulator: SimulatorDefinition = {
  name: 'tax',
  title: '国家税务总局宁夏回族自治区税务局社保费征收系统（模拟）',
  errors: TAX_ERRORS,
  routes: [insuranceRegistration, declaration, declarationQuery, payment],
  collections: Object.values(COLLECTIONS),
  async setup(deps) {
    await Promise.all(Object.values(taxModels(deps.db)).map((model) => model.createIndexes()));
  },
  async addPerson() {
    // A flexible worker becomes known to the tax system only through the
    // registrations distributed to it (route 1), so there is nothing to add.
  },
};
