// What the department adapters tell the metrics: each call by department,
// operation and outcome where its outcome is known, and the breaker's state
// as it changes. HRSS here is a port nothing listens on.
import { createServer } from 'node:net';
import { createDepartments } from '..';
import { renderMetrics } from '../../platform/metrics';

/** A port nothing listens on (taken from the system, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const calls = (outcome: string) =>
  `flexins_department_call_duration_seconds_count{department="hrss",operation="enrollment-queries",outcome="${outcome}"}`;

it('counts failed calls, then the ones the open breaker held back, and the breaker opening', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/`;
  const endpoint = { url, secret: 'test-secret-0123456789' };
  const departments = createDepartments({
    callerId: 'bff',
    timeoutMs: 1_000,
    breaker: { threshold: 2, coolDownMs: 60_000 },
    endpoints: {
      identity: endpoint,
      hrss: endpoint,
      medical: endpoint,
      tax: endpoint,
      payment: endpoint,
      market: endpoint,
      sms: endpoint,
    },
  });

  for (let i = 0; i < 3; i++) {
    expect(await departments.hrss.enrollments('640104199001011234', { requestId: 'metrics-test-1' })).toMatchObject({
      kind: 'failed',
    });
  }

  const text = (await renderMetrics()).body;
  expect(sample(text, calls('failed'))).toBe(2);
  expect(sample(text, calls('breakerOpen'))).toBe(1);
  expect(sample(text, calls('done'))).toBe(0);
  expect(sample(text, 'flexins_breaker_state{department="hrss",state="open"}')).toBe(1);
  expect(sample(text, 'flexins_breaker_state{department="hrss",state="closed"}')).toBe(0);
  expect(sample(text, 'flexins_breaker_transitions_total{department="hrss",state="open"}')).toBe(1);
  expect(text).not.toContain('640104');
});
