// A worker process of its own, for scaling out: the same engine as the one
// inside the BFF, without the HTTP side. Run several; they share the work
// through the database. `WORKER_MODE=off` on the BFFs then leaves it to them.
import { createLogger } from '@flexins/shared/server';
import { ConfigError, loadConfig } from './platform/config';
import { connectDatabase } from './platform/database';
import { createServices } from './services';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, WORKER_MODE: 'inline' });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel).child({ role: 'worker' });
  const db = await connectDatabase(config.mongodbUri);
  const { worker } = createServices(config, db, logger);
  worker!.start();
  // Always said, whatever LOG_LEVEL: the scripts that start us wait for this line.
  createLogger('info').info('listening', {
    role: 'worker',
    url: `worker:${process.pid}`,
    concurrency: config.worker.concurrency,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void worker!.stop().then(async () => {
        await db.close();
        logger.info('stopped');
        process.exit(0);
      });
    });
  }
}

void main();
