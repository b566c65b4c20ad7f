// 宁夏人社一体化系统 (simulated): employment registration, archive transfer,
// pension registration and the social security card, plus the
// cross-province enrollment query the eligibility checks use.
import { HRSS_ERRORS } from '@flexins/shared';
import { ROSTER, TRAINING_ROSTER } from '../roster';
import type { SimulatorDefinition } from '../common/types';
import { COLLECTIONS, hrssModels } from './models';
import { upsertPerson } from './people';
import { STEP_OPTIONS, stepMs, type StepOption } from './progress';
import { archiveTransfer, archiveTransferQuery } from './routes/archive';
import { cardApplication, cardApplicationQuery } from './routes/card';
import { employmentRegistration } from './routes/employment';
import { pensionRegistration } from './routes/pension';
import { cardQuery, enrollmentQuery } from './routes/queries';

export const hrssSimulator: SimulatorDefinition = {
  name: 'hrss',
  title: '宁夏人社一体化系统（模拟）',
  errors: HRSS_ERRORS,
  collections: Object.values(COLLECTIONS),
  routes: [
    enrollmentQuery,
    cardQuery,
    employmentRegistration,
    archiveTransfer,
    archiveTransferQuery,
    pensionRegistration,
    cardApplication,
    cardApplicationQuery,
  ],

  async setup(deps) {
    // A bad step option stops the start with the variable's name, not the first query.
    for (const name of Object.keys(STEP_OPTIONS) as StepOption[]) stepMs(deps.config.options, name);

    const models = hrssModels(deps.db);
    await Promise.all(Object.values(models).map((model) => model.createIndexes()));
    const now = deps.now();
    for (const person of [...ROSTER, ...TRAINING_ROSTER]) await upsertPerson(models, person, now);
  },

  async addPerson(deps, person) {
    await upsertPerson(hrssModels(deps.db), person, deps.now());
  },
};
