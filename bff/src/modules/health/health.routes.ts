// GET /healthz — the process is alive. GET /readyz — it can serve: the
// database answers and it is not shutting down (503 with the reason if not).
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import { pingDatabase } from '../../platform/database';

export interface HealthDeps {
  db: Connection;
  isShuttingDown: () => boolean;
}

export function healthRoutes({ db, isShuttingDown }: HealthDeps): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    if (isShuttingDown()) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: '服务正在停止' };
      return;
    }
    try {
      await pingDatabase(db);
      ctx.body = { status: 'ready', checks: { database: 'ok' } };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: `数据库不可用：${(err as Error).message}` };
    }
  });

  return router;
}
