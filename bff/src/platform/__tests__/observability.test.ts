// The metrics listener and the trace of a request, on a BFF started in this
// process (departments unreachable, no worker): what a scraper gets with and
// without the token, and what a request leaves in the logs.
import { createLogger } from '@flexins/shared/server';
import { startServer, type RunningServer } from '../../server';
import { testConfig } from '../../../test/config';
import { testDatabaseUri, useTestDatabase } from '../../../test/database';
import { connectDatabase } from '../database';

const db = useTestDatabase();
const TOKEN = 'metrics-token-for-tests-0123';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

let running: RunningServer;
const lines: string[] = [];

beforeAll(async () => {
  const connection = await connectDatabase(testDatabaseUri(), db.name);
  const config = testConfig({
    PORT: '0',
    METRICS_PORT: '0',
    METRICS_TOKEN: TOKEN,
    WORKER_MODE: 'off',
    SIGN_IN_PER_MINUTE: '1',
  });
  running = await startServer(
    config,
    createLogger('info', (line) => lines.push(line)),
    connection,
  );
});

afterAll(async () => {
  await running?.shutdown();
});

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, method = 'GET') =>
  fetch(running.metricsUrl!, { method, headers });

/** The value of one sample line, e.g. `flexins_jobs{state="due"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the metrics endpoint', () => {
  it('is not on the public port', async () => {
    const res = await fetch(`${running.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('flexins_');
    expect(new URL(running.metricsUrl!).port).not.toBe(new URL(running.url).port);
  });

  it('refuses a scrape without the token, with a wrong one, or by another method', async () => {
    const bare = await scrape({});
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await bare.text()).not.toContain('flexins_');
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
    expect((await scrape({ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    expect((await scrape(undefined, 'POST')).status).toBe(405);
    expect((await fetch(running.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
  });

  it('serves the text format with the token: requests by route pattern and status, process figures', async () => {
    await fetch(`${running.url}/healthz`);
    await fetch(`${running.url}/api/certificates/NO-SUCH-CODE-1`);
    await fetch(`${running.url}/api/certificates/NO-SUCH-CODE-2`);
    await fetch(`${running.url}/api/no/such/route/640104199001011234`);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(
      sample(text, 'flexins_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}'),
    ).toBe(1);
    // the pattern, not the code asked for; an unknown path is "unmatched", never itself
    expect(
      sample(
        text,
        'flexins_http_request_duration_seconds_count{method="GET",route="/api/certificates/:code",status="404"}',
      ),
    ).toBe(2);
    expect(
      sample(text, 'flexins_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}'),
    ).toBe(1);
    expect(text).not.toMatch(/NO-SUCH-CODE|640104|no\/such/);
    expect(text).toContain('# TYPE flexins_process_cpu_seconds_total counter');
  });

  it('reads the queue, the cases, the follow-ups and the messages to send from the database when scraped', async () => {
    const now = Date.now();
    const connection = running.services.db;
    await connection.collection('jobs').insertMany([
      // due for ten minutes, created an hour ago
      {
        _id: 'LJ00000000000001' as never,
        runAt: new Date(now - 600_000),
        leaseUntil: new Date(0),
        leases: 1,
        version: 1,
        createdAt: new Date(now - 3_600_000),
      },
      // leased by a worker now
      {
        _id: 'LJ00000000000002' as never,
        runAt: new Date(now - 1_000),
        leaseUntil: new Date(now + 30_000),
        leases: 1,
        version: 1,
        createdAt: new Date(now - 60_000),
      },
      // a retry in a minute
      {
        _id: 'LJ00000000000003' as never,
        runAt: new Date(now + 60_000),
        leaseUntil: new Date(0),
        leases: 2,
        version: 1,
        createdAt: new Date(now - 120_000),
      },
    ]);
    await connection.collection('follow_ups').insertMany([
      { _id: 'LJ00000000000004' as never, nextAt: new Date(now - 1_000), checks: 0, createdAt: new Date(now) },
      { _id: 'LJ00000000000005' as never, nextAt: new Date(now + 3_600_000), checks: 0, createdAt: new Date(now) },
    ]);
    // Cases with messages to send: two ready, one being sent, one held to 08:00; one sent already.
    await connection.collection('cases').insertMany([
      { _id: 'LJ00000000000006' as never, notifyDue: true },
      { _id: 'LJ00000000000007' as never, notifyDue: true, notifyLeaseUntil: new Date(now - 1_000) },
      { _id: 'LJ00000000000008' as never, notifyDue: true, notifyLeaseUntil: new Date(now + 30_000) },
      { _id: 'LJ00000000000009' as never, notifyDue: true, notifyHoldUntil: new Date(now + 3_600_000) },
      { _id: 'LJ00000000000010' as never, notifiedEvents: 3 },
    ]);
    // Two counties, two months: 5 app cases (2 completed, 1 awaiting the premium, 1 in manual handling), 2 at windows.
    await connection.collection('supervision_counters').insertMany([
      {
        _id: '2026-11|640104' as never,
        month: '2026-11',
        countyCode: '640104',
        cityCode: '6401',
        cases: { app: 3, window: 2 },
        completed: { app: 2, window: 1 },
        manual: { app: 1 },
        matters: { premiumDeclaration: { app: { done: 2, awaitingPayment: 1 } } },
      },
      {
        _id: '2026-12|640402' as never,
        month: '2026-12',
        countyCode: '640402',
        cityCode: '6404',
        cases: { app: 2 },
        rejected: { app: 1 },
      },
    ]);

    const text = await (await scrape()).text();
    expect(sample(text, 'flexins_jobs{state="due"}')).toBe(1);
    expect(sample(text, 'flexins_jobs{state="leased"}')).toBe(1);
    expect(sample(text, 'flexins_jobs{state="scheduled"}')).toBe(1);
    expect(sample(text, 'flexins_job_oldest_age_seconds')).toBeGreaterThanOrEqual(3_600);
    expect(sample(text, 'flexins_job_oldest_age_seconds')).toBeLessThan(3_700);
    expect(sample(text, 'flexins_follow_ups_due')).toBe(1);
    expect(sample(text, 'flexins_cases_with_messages_due{state="ready"}')).toBe(2);
    expect(sample(text, 'flexins_cases_with_messages_due{state="sending"}')).toBe(1);
    expect(sample(text, 'flexins_cases_with_messages_due{state="held"}')).toBe(1);
    expect(sample(text, 'flexins_cases{state="processing",channel="app"}')).toBe(2);
    expect(sample(text, 'flexins_cases{state="awaitingPayment",channel="app"}')).toBe(1);
    expect(sample(text, 'flexins_cases{state="completed",channel="app"}')).toBe(2);
    expect(sample(text, 'flexins_cases{state="processing",channel="window"}')).toBe(1);
    expect(sample(text, 'flexins_cases{state="completed",channel="window"}')).toBe(1);
    expect(sample(text, 'flexins_cases_with_matter{state="manual",channel="app"}')).toBe(1);
    expect(sample(text, 'flexins_cases_with_matter{state="rejected",channel="app"}')).toBe(1);
    // the breakers of the departments, closed: nothing has been called
    expect(sample(text, 'flexins_breaker_state{department="hrss",state="closed"}')).toBe(1);
    expect(sample(text, 'flexins_breaker_state{department="hrss",state="open"}')).toBe(0);
    expect(text).not.toContain('LJ0000');
  });

  it('counts the requests a rate limit refused, by its name', async () => {
    const before = sample(await (await scrape()).text(), 'flexins_rate_limited_total{limiter="sign-in"}') ?? 0;
    const signIn = () =>
      fetch(`${running.url}/api/auth/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'not-a-real-code' }),
      });
    await signIn();
    const refused = await signIn();
    expect(refused.status).toBe(429);
    const after = sample(await (await scrape()).text(), 'flexins_rate_limited_total{limiter="sign-in"}');
    expect(after).toBe(before + 1);
  });
});

describe('the trace of a request', () => {
  it("continues the caller's traceparent and puts its trace id on the request's log lines", async () => {
    lines.length = 0;
    await fetch(`${running.url}/healthz`, {
      headers: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`, 'x-request-id': 'trace-test-0001' },
    });
    const request = lines
      .map((l) => JSON.parse(l))
      .find((r) => r.msg === 'request' && r.requestId === 'trace-test-0001');
    expect(request).toMatchObject({ traceId: TRACE_ID, path: '/healthz', status: 200 });
  });

  it('starts a trace of its own for a request without one, or with a malformed one', async () => {
    lines.length = 0;
    await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'trace-test-0002' } });
    await fetch(`${running.url}/healthz`, {
      headers: { traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01`, 'x-request-id': 'trace-test-0003' },
    });
    const records = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === 'request');
    const ids = records.map((r) => r.traceId);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids).not.toContain('0'.repeat(32));
  });
});
