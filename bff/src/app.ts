// The Koa application: middleware in the order a request meets it, then the
// domain routes. Nothing here listens or connects; server.ts does that.
import Koa from 'koa';
import type { Connection } from 'mongoose';
import { healthRoutes } from './modules/health/health.routes';
import { errorMiddleware } from './platform/errors';
import { jsonBody, requestContext, securityHeaders } from './platform/http';
import type { Logger } from '@flexins/shared/server';
import { serveH5 } from './platform/static';

export interface AppDeps {
  db: Connection;
  logger: Logger;
  h5Dir?: string;
  isShuttingDown?: () => boolean;
}

export function createApp({ db, logger, h5Dir, isShuttingDown = () => false }: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  // Errors are answered by errorMiddleware; Koa's own printer would log raw.
  app.silent = true;

  app.use(requestContext(logger));
  app.use(securityHeaders());
  app.use(errorMiddleware());
  if (h5Dir) app.use(serveH5(h5Dir));
  app.use(jsonBody());

  for (const router of [healthRoutes({ db, isShuttingDown })]) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
