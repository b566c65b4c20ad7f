import { createServer, type Server } from 'node:http';
import { GatewayClient, type CallOutcome } from '@flexins/shared/server';
import { DepartmentBreaker, guarded } from '../resilience';

const ok: CallOutcome<{ n: number }> = { kind: 'ok', status: 200, body: { n: 1 } };
const refusal: CallOutcome<{ n: number }> = {
  kind: 'error',
  status: 422,
  code: 'NOT_ELIGIBLE',
  message: '不符合条件',
};
const outage: CallOutcome<{ n: number }> = { kind: 'error', status: 503, code: 'UNAVAILABLE', message: '维护中' };

/** A call that counts how often it went out and answers `outcome`. */
function counted(outcome: CallOutcome<{ n: number }>) {
  const call = Object.assign(async () => ((call.sent += 1), outcome), { sent: 0 });
  return call;
}

async function until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a department breaker', () => {
  it('opens after the threshold of consecutive failures and then sends nothing', async () => {
    const breaker = new DepartmentBreaker({ threshold: 3, coolDownMs: 60_000 }, 1_000);
    const failing = counted(outage);
    for (let i = 0; i < 3; i++) {
      expect(await guarded('hrss', breaker, failing)).toEqual({
        kind: 'failed',
        reason: '人社一体化系统暂时不可用（UNAVAILABLE）',
      });
    }
    expect(breaker.state).toBe('open');

    const held = counted(ok);
    expect(await guarded('hrss', breaker, held)).toEqual({
      kind: 'failed',
      reason: '人社一体化系统暂时不可用，稍后自动重试',
    });
    expect(held.sent).toBe(0);
  });

  it('counts a refusal as a healthy department, and a success starts the count again', async () => {
    const breaker = new DepartmentBreaker({ threshold: 2, coolDownMs: 60_000 }, 1_000);
    const sequence = [outage, refusal, outage, ok, outage];
    for (const outcome of sequence) await guarded('medical', breaker, async () => outcome);
    expect(breaker.state).toBe('closed');
    expect(await guarded('medical', breaker, async () => refusal)).toMatchObject({
      kind: 'refused',
      code: 'NOT_ELIGIBLE',
    });
  });

  it('reads half-open once the cool-down is over, lets one trial out and closes on its success', async () => {
    const breaker = new DepartmentBreaker({ threshold: 1, coolDownMs: 100 }, 1_000);
    await guarded('tax', breaker, async () => outage);
    expect(breaker.state).toBe('open');
    await until(() => breaker.state === 'halfOpen');

    let answer!: (outcome: CallOutcome<{ n: number }>) => void;
    let sent = 0;
    const trial = guarded(
      'tax',
      breaker,
      () => ((sent += 1), new Promise<CallOutcome<{ n: number }>>((resolve) => (answer = resolve))),
    );
    // Calls while the trial is out wait for its answer rather than go out beside it.
    const waiting = counted(ok);
    const second = guarded('tax', breaker, waiting);
    await until(() => answer !== undefined);
    expect(waiting.sent).toBe(0);
    answer(ok);
    expect(await trial).toEqual({ kind: 'done', value: { n: 1 } });
    expect(await second).toEqual({ kind: 'done', value: { n: 1 } });
    expect(sent).toBe(1);
    expect(breaker.state).toBe('closed');
  });

  it('opens again when the trial fails', async () => {
    const breaker = new DepartmentBreaker({ threshold: 1, coolDownMs: 100 }, 1_000);
    await guarded('tax', breaker, async () => outage);
    await until(() => breaker.state === 'halfOpen');
    await guarded('tax', breaker, async () => outage);
    expect(breaker.state).toBe('open');
  });

  it('counts a thrown error against the department and passes it on', async () => {
    const breaker = new DepartmentBreaker({ threshold: 1, coolDownMs: 60_000 }, 1_000);
    await expect(
      guarded('payment', breaker, async () => {
        throw new Error('bug');
      }),
    ).rejects.toThrow('bug');
    expect(breaker.state).toBe('open');
  });
});

describe('a department call time-out', () => {
  let hanging: Server;
  let url: string;
  beforeAll(async () => {
    // Takes the call and never answers.
    hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  it("aborts a call the department does not answer at the breaker's time-out, and counts it as a failure", async () => {
    // The client's own timer would wait a minute: only the policy's signal can end the call this soon.
    const client = new GatewayClient({ baseUrl: url, callerId: 'bff', secret: 's'.repeat(32), timeoutMs: 60_000 });
    const breaker = new DepartmentBreaker({ threshold: 1, coolDownMs: 60_000 }, 150);
    const started = Date.now();
    const result = await guarded('identity', breaker, (signal) => client.post('/people', {}, { signal }));
    expect(result).toEqual({ kind: 'failed', reason: '统一身份认证平台没有及时应答' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(breaker.state).toBe('open');
  });
});
