// Each simulator's server.ts starts as a real process (as `npm start` runs
// it), serves its OpenAPI document and signed calls, and exits 0 on SIGTERM.
import { GatewayClient } from '@flexins/shared/server';
import { findPerson } from '../roster';
import { startServerProcess } from '../test-process';

const SYSTEMS = [
  ['identity', '统一身份认证', '/identity/v1/people-queries'],
  ['hrss', '人社一体化', '/hrss/v1/enrollment-queries'],
  ['medical', '医疗保障', '/medical/v1/enrollment-queries'],
  ['tax', '税务', '/tax/v1/declaration-queries'],
  ['payment', '支付', '/payment/v1/order-queries'],
  ['market', '市场监管', '/market/v1/registration-queries'],
  ['sms', '短信', '/sms/v1/messages'],
] as const;

/** The SMS gateway has no query: a send (with its key) stands in for it. */
const SMS_CHECK = {
  channel: 'sms',
  phone: '13900000000',
  templateId: 'processCheck',
  text: '进程检查',
  reference: 'check',
};

describe.each(SYSTEMS)('the %s simulator process', (department, titleWord, queryPath) => {
  it('starts from server.ts, answers a signed query, and exits 0 on SIGTERM', async () => {
    const server = await startServerProcess(department, { SIM_LATENCY_MS: '0', SIM_JITTER_MS: '0' });
    try {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { info: { title: string } };
      expect(doc.info.title).toContain(titleWord);

      const client = new GatewayClient({ baseUrl: server.url, callerId: 'bff', secret: 'x' });
      const body =
        department === 'tax'
          ? { declarationNo: 'SBF20261129000001' }
          : department === 'payment'
            ? { orderId: 'no-such-order' }
            : { idNumber: findPerson('eligible-vendor')!.idNumber };
      const outcome =
        department === 'sms'
          ? await client.post(queryPath, SMS_CHECK, { idempotencyKey: 'process-check-1' })
          : await client.post(queryPath, body);
      // A signed call got through to the department's own rules (found, or its own "not found").
      expect(outcome.kind === 'ok' || (outcome.kind === 'error' && outcome.status === 404)).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
      await server.dropDatabase();
    }
  });
});

describe('a simulator process with a bad setting', () => {
  it('refuses to start and names the setting', async () => {
    await expect(startServerProcess('hrss', { SIM_OPT_CARD_STEP_MS: 'soon' })).rejects.toThrow(/SIM_OPT_CARD_STEP_MS/);
  });

  it('refuses to run in production', async () => {
    await expect(startServerProcess('tax', { NODE_ENV: 'production' })).rejects.toThrow(/不能在生产环境/);
  });
});
