// The metrics listener: `GET /metrics` in Prometheus's text format on a port
// of its own (METRICS_PORT, on METRICS_HOST, loopback by default), never on
// the public one, and only to a scraper that sends the token
// (`Authorization: Bearer <METRICS_TOKEN>`). A plain node:http server: it
// has one route and must keep answering when the app's middleware is busy.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@flexins/shared/server';
import { beforeScrape, renderMetrics } from './metrics';

export interface MetricsSettings {
  host: string;
  port: number;
  token: string;
}

export interface MetricsServer {
  /** Where to scrape, e.g. http://127.0.0.1:3001/metrics. */
  url: string;
  close(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time (digests have one length whatever was sent). */
function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

function reply(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

/**
 * Listens for scrapes; `refresh` (the database figures) runs before each
 * scrape of this listener's process, and stops with `close()`.
 */
export async function startMetricsServer(
  settings: MetricsSettings,
  log: Logger,
  refresh?: () => Promise<void>,
): Promise<MetricsServer> {
  const expected = digest(settings.token);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return reply(res, 404, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed\n', { allow: 'GET' });
    if (!tokenMatches(req.headers.authorization, expected)) {
      return reply(res, 401, 'a bearer token is required\n', { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    renderMetrics((err) => log.warn('metrics: database figures not read', { err })).then(
      ({ contentType, body }) => reply(res, 200, req.method === 'HEAD' ? '' : body, { 'content-type': contentType }),
      (err: unknown) => {
        log.error('metrics: scrape failed', { err });
        reply(res, 500, 'scrape failed\n');
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const stopRefreshing = refresh ? beforeScrape(refresh) : () => {};
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}/metrics`,
    async close() {
      stopRefreshing();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
