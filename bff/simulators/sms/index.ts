// The SMS gateway simulator (短信平台), which also carries the host app's
// subscription messages (in H5 the host push stands in here): signed,
// idempotent sends, each kept as a record of what reached whom, with the
// common fault switches. It holds no people: any valid mobile number is sent to.
import { SMS_ERRORS } from '@flexins/shared';
import type { SimulatorDefinition } from '../common/types';
import { COLLECTIONS, smsModels } from './models';
import { sendMessage } from './routes';

export const smsSimulator: SimulatorDefinition = {
  name: 'sms',
  title: '短信平台及“我的宁夏”订阅消息（模拟）',
  errors: SMS_ERRORS,
  routes: [sendMessage],
  collections: Object.values(COLLECTIONS),
  async setup(deps) {
    await Promise.all(Object.values(smsModels(deps.db)).map((model) => model.createIndexes()));
  },
  async addPerson() {
    // Nobody to add: the gateway sends to any valid number.
  },
};
