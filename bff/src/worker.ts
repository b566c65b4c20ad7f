// A worker process of its own, for scaling out: the same engine as the one
// inside the BFF, without the HTTP side. Run several; they share the work
// through the database. `WORKER_MODE=off` on the BFFs then leaves it to them.
import { createLogger } from '@flexins/shared/server';
import { loadConfigOrExit } from './platform/config';
import { scrapedFigures } from './modules/health/metrics.figures';
import { connectDatabase } from './platform/database';
import { startMetricsServer } from './platform/metrics-server';
import { traceFields } from './platform/trace';
import { createServices } from './services';

async function main(): Promise<void> {
  const config = loadConfigOrExit({ ...process.env, WORKER_MODE: 'inline' });
  // Every line carries the trace of the case run it was written in.
  const logger = createLogger(config.logLevel, undefined, traceFields).child({ role: 'worker' });
  const db = await connectDatabase(config.mongodbUri);
  const services = createServices(config, db, logger);
  const { worker, summaryWorker, notificationWorker } = services;
  // Each worker process needs a METRICS_PORT of its own (0: any free port, said below).
  const metrics = config.metrics && (await startMetricsServer(config.metrics, logger, scrapedFigures(services)));
  worker!.start();
  summaryWorker!.start();
  notificationWorker!.start();
  // Always said, whatever LOG_LEVEL: the scripts that start us wait for this line.
  createLogger('info').info('listening', {
    role: 'worker',
    url: `worker:${process.pid}`,
    concurrency: config.worker.concurrency,
    ...(metrics ? { metricsUrl: metrics.url } : {}),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void Promise.all([worker!.stop(), summaryWorker!.stop(), notificationWorker!.stop()]).then(async () => {
        await metrics?.close();
        await db.close();
        logger.info('stopped');
        process.exit(0);
      });
    });
  }
}

void main();
