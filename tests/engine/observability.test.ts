// Metrics and traces of a real journey: the BFF as a process with its metrics
// listener, the six simulators as processes. A scrape before and after the
// eligible vendor's whole journey shows the counters moved as they should;
// the caller's traceparent reaches the departments, and each case run is a
// trace of its own that the departments see too.
import { NOTICE } from '@flexins/shared';
import { findPerson } from '../../bff/simulators/roster';
import { Citizen } from '../support/citizen';
import { freePort } from '../support/process';
import { startBffProcess, startStack, startWorkerProcess, type Stack } from '../support/stack';
import type { Service } from '../../scripts/lib/services';

const TOKEN = 'journey-metrics-token-0123456789';
const TRACE_ID = '5c2f4ae1a4d94c1b9e0b7d3a6f8e1c20';
const CALLER_SPAN = '1a2b3c4d5e6f7081';

let stack: Stack;
let bff: Service;
let metricsUrl: string;
const bffLines: string[] = [];
const simulatorCalls: { department: string; record: any }[] = [];

beforeAll(async () => {
  stack = await startStack({
    label: 'observe',
    // The simulators' call lines (debug) carry the trace they were called in.
    simulatorEnv: { LOG_LEVEL: 'debug' },
    onSimulatorLine: (department, line) => {
      if (!line.includes('"msg":"call"')) return;
      simulatorCalls.push({ department, record: JSON.parse(line) });
    },
  });
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  bff = await startBffProcess(stack, { METRICS_PORT: String(port), METRICS_TOKEN: TOKEN, LOG_LEVEL: 'info' }, (line) =>
    bffLines.push(line),
  );
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series in a scrape (0 when it is not there yet). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Polls `read` until `done` says so, at most `timeoutMs`; for what the processes finish just after a reply. */
async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const requests = (method: string, route: string, status: number) =>
  `flexins_http_request_duration_seconds_count{method="${method}",route="${route}",status="${status}"}`;
const calls = (department: string, operation: string, outcome = 'done') =>
  `flexins_department_call_duration_seconds_count{department="${department}",operation="${operation}",outcome="${outcome}"}`;

describe('metrics of a journey', () => {
  const vendor = findPerson('eligible-vendor')!;
  let before: string;
  let after: string;
  let caseNo: string;

  it('refuses a scrape without the token, and the public port serves none', async () => {
    const bare = await fetch(metricsUrl);
    expect(bare.status).toBe(401);
    expect(await bare.text()).not.toContain('flexins_');
    const wrong = await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token-0123456789' } });
    expect(wrong.status).toBe(401);
    const publicPort = await fetch(`${bff.url}/metrics`);
    expect(publicPort.status).toBe(404);
    expect(await publicPort.text()).not.toContain('flexins_');
  });

  it('runs the whole journey of the eligible vendor, tracing the eligibility call from the caller', async () => {
    before = await scrape();
    const citizen = new Citizen(bff.url, stack.simulators.urls.identity, vendor);
    await citizen.signIn();
    const face = await citizen.faceCheck();
    expect(face.status).toBe(201);
    const verdict = await citizen.call(
      'POST',
      '/api/eligibility',
      { employmentType: vendor.employmentType, wantsBackPayment: false, wantsSpecialPayment: false },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, 'x-request-id': 'observe-eligibility-1' },
    );
    expect(verdict).toMatchObject({ status: 200, body: { eligible: true } });
    const postageOrderId = await citizen.payPostage();
    const submitted = await citizen.submit(
      citizen.form({ faceCheckId: face.body.checkId, noticeVersion: NOTICE.version, postageOrderId, withCard: true }),
    );
    expect(submitted.status).toBe(201);
    caseNo = submitted.body.caseNo;
    await citizen.waitForCase(caseNo, (v) => v.status === 'awaitingPayment');
    await citizen.payPremiumAtCashier(caseNo);
    await citizen.waitForCase(caseNo, (v) => v.status === 'completed');
    // The worker lets go of the case's job just after it writes the case completed.
    after = await until(scrape, (text) => sample(text, 'flexins_jobs{state="leased"}') === 0);
  });

  it('counted the requests by route pattern and status', () => {
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved(requests('POST', '/api/auth/sessions', 201))).toBe(1);
    expect(moved(requests('POST', '/api/face-checks', 201))).toBe(1);
    expect(moved(requests('POST', '/api/eligibility', 200))).toBe(1);
    expect(moved(requests('POST', '/api/postage-orders', 201))).toBe(1);
    expect(moved(requests('POST', '/api/applications', 201))).toBe(1);
    expect(moved(requests('POST', '/api/applications/:caseNo/premium-order', 201))).toBe(1);
    // the progress page polled: by its pattern, never by the case number
    expect(moved(requests('GET', '/api/applications/:caseNo', 200))).toBeGreaterThanOrEqual(2);
    expect(after).not.toContain(caseNo);
    expect(after).not.toContain(vendor.idNumber);
  });

  it('counted each department call by department, operation and outcome', () => {
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect({
      signIn: moved(calls('identity', 'code-exchanges')),
      faceCheck: moved(calls('identity', 'face-checks')),
      market: moved(calls('market', 'registration-queries')),
      enrollments: moved(calls('hrss', 'enrollment-queries')),
      medicalEnrollments: moved(calls('medical', 'enrollment-queries')),
      employment: moved(calls('hrss', 'employment-registrations')),
      archive: moved(calls('hrss', 'archive-transfers')),
      pension: moved(calls('hrss', 'pension-registrations')),
      card: moved(calls('hrss', 'card-applications')),
      medical: moved(calls('medical', 'flexible-registrations')),
      declaration: moved(calls('tax', 'declarations')),
      payment: moved(calls('tax', 'payments')),
    }).toEqual({
      signIn: 1,
      faceCheck: 1,
      market: 1,
      enrollments: 1,
      medicalEnrollments: 1,
      employment: 1,
      archive: 1,
      pension: 1,
      card: 1,
      medical: 1,
      declaration: 1,
      payment: 1,
    });
    // two orders at the cashier: the postage and the first premium
    expect(moved(calls('payment', 'orders'))).toBe(2);
    // nothing was held back by a breaker (a call that timed out on a busy machine is retried, so failures may be counted)
    expect(after).not.toMatch(/^flexins_department_call_duration_seconds_count\{.*outcome="breakerOpen"/m);
    for (const department of ['identity', 'hrss', 'medical', 'tax', 'payment', 'market']) {
      expect(sample(after, `flexins_breaker_state{department="${department}",state="closed"}`)).toBe(1);
    }
    expect(
      sample(after, 'flexins_case_run_duration_seconds_count{outcome="ok"}') -
        sample(before, 'flexins_case_run_duration_seconds_count{outcome="ok"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('shows the case completed and the queue empty', () => {
    expect(sample(after, 'flexins_cases{state="completed",channel="app"}')).toBe(1);
    expect(sample(after, 'flexins_cases{state="processing",channel="app"}')).toBe(0);
    expect(sample(after, 'flexins_cases{state="awaitingPayment",channel="app"}')).toBe(0);
    expect(sample(after, 'flexins_jobs{state="due"}')).toBe(0);
    expect(sample(after, 'flexins_jobs{state="leased"}')).toBe(0);
    expect(sample(after, 'flexins_job_oldest_age_seconds')).toBe(0);
  });

  it("sent the caller's trace to every department the eligibility asked, each call a span of its own", () => {
    const traced = simulatorCalls.filter((c) => c.record.traceId === TRACE_ID);
    expect(new Set(traced.map((c) => c.record.path))).toEqual(
      new Set([
        '/hrss/v1/enrollment-queries',
        '/hrss/v1/card-queries',
        '/medical/v1/enrollment-queries',
        '/market/v1/registration-queries',
      ]),
    );
    const spans = traced.map((c) => c.record.parentSpanId);
    expect(new Set(spans).size).toBe(spans.length);
    expect(spans).not.toContain(CALLER_SPAN);
    // and the BFF's own line for that request carries it
    const line = bffLines
      .map((l) => JSON.parse(l))
      .find((r) => r.msg === 'request' && r.requestId === 'observe-eligibility-1');
    expect(line).toMatchObject({ traceId: TRACE_ID, status: 200 });
  });

  it("ran the case in traces of its own, which reached the departments and the worker's log lines", async () => {
    const employment = simulatorCalls.find((c) => c.record.path === '/hrss/v1/employment-registrations');
    expect(employment?.record.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(employment?.record.traceId).not.toBe(TRACE_ID);
    // the run that registered the employment said so in a line of the same trace
    const runTraces = await until(
      () =>
        new Set(
          bffLines
            .map((l) => JSON.parse(l))
            .filter((r) => r.msg === 'case worked' && r.caseNo === caseNo)
            .map((r) => r.traceId),
        ),
      (traces) => traces.has(employment?.record.traceId),
    );
    expect(runTraces).toContain(employment?.record.traceId);
    expect(runTraces).not.toContain(TRACE_ID);
  });
});

describe('metrics of a worker process', () => {
  it('serves them on its own port, with the same token rule', async () => {
    const port = await freePort();
    const worker = await startWorkerProcess(stack, { METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      // the same database figures as the BFF's: the vendor's case, completed
      expect(sample(text, 'flexins_cases{state="completed",channel="app"}')).toBe(1);
      expect(sample(text, 'flexins_jobs{state="due"}')).toBe(0);
      expect(text).toContain('# TYPE flexins_case_run_duration_seconds histogram');
    } finally {
      await worker.stop();
    }
  });
});
