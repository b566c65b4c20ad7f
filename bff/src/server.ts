// Entry point of the BFF process: check the settings, connect the database,
// listen, and on SIGTERM/SIGINT stop taking requests, let the in-flight ones
// finish, close the database and exit.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ERROR_CODES } from '@flexins/shared';
import type { Connection } from 'mongoose';
import { createApp } from './app';
import { loadConfigOrExit, type Config } from './platform/config';
import { connectDatabase } from './platform/database';
import { startMetricsServer, type MetricsServer } from './platform/metrics-server';
import { traceFields } from './platform/trace';
import { scrapedFigures } from './modules/health/metrics.figures';
import { createLogger, type Logger } from '@flexins/shared/server';
import { createServices, type ServiceOverrides, type Services } from './services';

export interface RunningServer {
  url: string;
  server: http.Server;
  services: Services;
  /** Where Prometheus scrapes this process (METRICS_PORT), when it is on. */
  metricsUrl?: string;
  /** Stops accepting, waits for in-flight requests (up to the time-out), closes the database. */
  shutdown(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  db: Connection,
  extend?: (app: ReturnType<typeof createApp>) => void,
  overrides: ServiceOverrides = {},
): Promise<RunningServer> {
  let shuttingDown = false;
  const services = createServices(config, db, logger, overrides);
  const app = createApp({ db, logger, services, h5Dir: config.h5Dir, isShuttingDown: () => shuttingDown });
  extend?.(app);

  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  // A request Node cannot parse (a bad request line or header, headers too
  // large) never reaches Koa: answer it in our own JSON and Chinese too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'MALFORMED_REQUEST';
    const { status, message } = ERROR_CODES[code];
    const body = JSON.stringify({ error: { code, message } });
    logger.warn('unparseable request refused', { code, parserError: err.code });
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // While stopping, tell keep-alive clients not to send more on this connection.
  server.on('request', (_req, res: http.ServerResponse) => {
    if (shuttingDown) res.setHeader('Connection', 'close');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  let metrics: MetricsServer | undefined;
  try {
    metrics = config.metrics && (await startMetricsServer(config.metrics, logger, scrapedFigures(services)));
  } catch (err) {
    server.close();
    throw err;
  }
  services.worker?.start();
  services.summaryWorker?.start();
  services.notificationWorker?.start();

  let stopped: Promise<void> | undefined;
  const shutdown = () => {
    stopped ??= (async () => {
      shuttingDown = true;
      logger.info('shutting down', { timeoutMs: config.shutdownTimeoutMs });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn('in-flight requests did not finish in time; closing their connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      await metrics?.close();
      // Steps in hand finish; a step cut short is leased again by any worker.
      await Promise.all([services.worker?.stop(), services.summaryWorker?.stop(), services.notificationWorker?.stop()]);
      await db.close();
      logger.info('stopped');
    })();
    return stopped;
  };

  return { url, server, services, ...(metrics ? { metricsUrl: metrics.url } : {}), shutdown };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Every line carries the trace it was written in (platform/trace.ts).
  const logger = createLogger(config.logLevel, undefined, traceFields);
  const db = await connectDatabase(config.mongodbUri).catch((err: Error) => {
    process.stderr.write(`无法连接数据库 (cannot reach the database): ${err.message}\n`);
    process.exit(1);
  });
  const running = await startServer(config, logger, db);
  // Always said, whatever LOG_LEVEL: the scripts that start us wait for this line.
  createLogger('info').info('listening', {
    url: running.url,
    ...(running.metricsUrl ? { metricsUrl: running.metricsUrl } : {}),
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.shutdown().then(
        () => process.exit(0),
        (err: Error) => {
          logger.error('shutdown failed', { err });
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  void main();
}
