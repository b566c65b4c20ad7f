// Chaos: with the departments answering 20% errors, hanging on 10% of calls
// and losing 10% of replies, 200 applications all come to rest — done, or in
// manual handling / refused with a stated reason — and no department holds a
// duplicate registration, no postage is charged twice, and the SMS gateway
// (failing as badly) sent each message once per entry, citizen and channel.
import { NOTICE } from '@flexins/shared';
import type { Service } from '../../scripts/lib/services';
import { DEPARTMENTS } from '../../scripts/lib/simulators';
import { atRest, Citizen } from '../support/citizen';
import { expectNothingTwice } from '../support/ledger';
import { expectEachMessageOnce } from '../support/notifications';
import { enroll, inBatches, makePeople } from '../support/people';
import { startBffProcess, startStack, type Stack } from '../support/stack';

// The acceptance figure, 200, in every run (about two minutes on 2 cores);
// CHAOS_COUNT=60 for a quicker look at the same paths.
const COUNT = Number(process.env.CHAOS_COUNT ?? 200);
const FAULTS = JSON.parse(process.env.CHAOS_FAULTS ?? '{"errorRate":0.2,"hangRate":0.1,"lostReplyRate":0.1}') as object;
let stack: Stack;
let bff: Service;

beforeAll(async () => {
  stack = await startStack({
    label: 'chaos',
    simulatorEnv: { SIM_LATENCY_MS: '5', SIM_JITTER_MS: '10', SIM_HANG_MS: '5000' },
  });
  bff = await startBffProcess(stack, {
    DEPARTMENT_TIMEOUT_MS: '2000',
    RETRY_BASE_MS: '50',
    MAX_ATTEMPTS: '8',
    WORKER_CONCURRENCY: '24',
  });
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

it(`brings ${COUNT} applications to rest under errors, hangs and lost replies, with nothing done twice`, async () => {
  const people = makePeople(COUNT, 1);
  await enroll(stack, people);

  // 1. everything up to the submission, while the departments are well
  const started = Date.now();
  const citizens = people.map((p) => new Citizen(bff.url, stack.simulators.urls.identity, p));
  const forms = await inBatches(citizens, 12, (citizen) => citizen.prepare(NOTICE.version));

  console.info(`chaos: ${COUNT} citizens ready to submit in ${Date.now() - started} ms`);
  // 2. the departments fall ill; then everyone submits
  for (const department of DEPARTMENTS.filter((d) => d !== 'identity')) {
    const set = await stack.admin(department, 'PUT', '/admin/faults', FAULTS);
    expect(set.status).toBe(200);
  }
  const caseNos = await inBatches(citizens, 20, async (citizen, i) => {
    const submitted = await citizen.submit(forms[i]!);
    expect(submitted.status).toBe(201);
    return submitted.body.caseNo as string;
  });

  console.info(`chaos: submitted at ${Date.now() - started} ms`);
  // 3. every case comes to rest
  const views = await inBatches(citizens, 20, (citizen, i) => citizen.waitForCase(caseNos[i]!, atRest, 480_000));
  console.info(`chaos: all at rest at ${Date.now() - started} ms`);
  const states: Record<string, number> = {};
  for (const view of views) {
    for (const matter of view.matters) {
      states[matter.state] = (states[matter.state] ?? 0) + 1;
      if (['manual', 'rejected', 'waiting'].includes(matter.state)) {
        expect(matter.cause).toMatch(/[\u4e00-\u9fff]/);
        console.info(`chaos: ${view.caseNo} ${matter.id} ${matter.state}: ${matter.cause}`);
      }
    }
  }
  console.info(`chaos: matter states after ${COUNT} applications ${JSON.stringify(states)}`);
  expect(states.delivered ?? 0).toBeGreaterThan(COUNT * 4);

  // 4. nothing twice: each registration at most once per person, and present whenever the case says done;
  //    postage charged once per person, refunded at most once
  for (const department of DEPARTMENTS.filter((d) => d !== 'identity')) {
    await stack.admin(department, 'PUT', '/admin/faults', { errorRate: 0, hangRate: 0, lostReplyRate: 0 });
  }
  await expectNothingTwice(stack, people, views);
  // 5. every message outside the app once: none lost to the faults, none doubled by a retry or a lost reply
  await expectEachMessageOnce(stack, caseNos);
}, 600_000);
