// The Koa application: middleware in the order a request meets it, then the
// domain routes. Nothing here listens or connects; server.ts does that.
import type { Logger } from '@flexins/shared/server';
import Koa from 'koa';
import type { Connection } from 'mongoose';
import { applicationRoutes } from './modules/applications/application.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { certificateRoutes } from './modules/certificates/certificate.routes';
import { citizenRoutes } from './modules/citizens/citizen.routes';
import { notificationSettingsRoutes } from './modules/citizens/notification-settings.routes';
import { draftRoutes } from './modules/drafts/draft.routes';
import { eligibilityRoutes } from './modules/eligibility/eligibility.routes';
import { healthRoutes } from './modules/health/health.routes';
import { messageRoutes } from './modules/messages/message.routes';
import { noticeRoutes } from './modules/notice/notice.routes';
import { postageRoutes } from './modules/postage/postage.routes';
import { problemRoutes } from './modules/problems/problem.routes';
import { staffRoutes } from './modules/staff/staff.routes';
import { windowRoutes } from './modules/staff/window.routes';
import { supervisionRoutes } from './modules/supervision/supervision.routes';
import { useTokenService } from './platform/auth';
import { errorMiddleware } from './platform/errors';
import { jsonBody, requestContext, securityHeaders } from './platform/http';
import { openApiRoutes, type AnyRouter } from './platform/openapi';
import { useRateLimitStore } from './platform/rate-limit';
import { serveH5 } from './platform/static';
import type { Services } from './services';

export interface AppDeps {
  db: Connection;
  logger: Logger;
  /** The product's services; without them only the health checks are served. */
  services?: Services;
  h5Dir?: string;
  isShuttingDown?: () => boolean;
  /** Believe X-Forwarded-For (only behind our own gateway; off by default, else limits per IP can be dodged). */
  trustProxy?: boolean;
}

/** Every router of the product API, in one list (the OpenAPI document reads the same list). */
export function apiRouters(services: Services): AnyRouter[] {
  return [
    noticeRoutes(),
    citizenRoutes(services),
    notificationSettingsRoutes(services),
    eligibilityRoutes(services),
    draftRoutes(services),
    postageRoutes(services),
    applicationRoutes(services),
    messageRoutes(services),
    certificateRoutes(services),
    problemRoutes(services),
    staffRoutes(services),
    windowRoutes(services),
    auditRoutes(services),
    supervisionRoutes(services),
  ];
}

export function createApp({
  db,
  logger,
  services,
  h5Dir,
  isShuttingDown = () => false,
  trustProxy = services?.config.trustProxy ?? false,
}: AppDeps): Koa {
  const app = new Koa();
  app.proxy = trustProxy;
  // Only the address our own gateway adds counts, not ones a client made up.
  app.maxIpsCount = 1;
  // Errors are answered by errorMiddleware; Koa's own printer would log raw.
  app.silent = true;

  app.use(requestContext(logger));
  app.use(securityHeaders());
  app.use(errorMiddleware());
  if (h5Dir) app.use(serveH5(h5Dir));
  app.use(jsonBody());

  const routers: AnyRouter[] = [healthRoutes({ db, isShuttingDown })];
  if (services) {
    useTokenService(app, services.tokens);
    useRateLimitStore(app, services.rateLimits);
    const api = apiRouters(services);
    routers.push(...api, openApiRoutes(api));
  }
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
