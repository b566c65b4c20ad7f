import { DRAFT_SCHEMA, type ApplicationDraft } from '@flexins/shared';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

export function draftRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    { method: 'get', path: '/api/drafts/current', summary: '读取保存的草稿（可在另一台设备继续填写）', errors: [] },
    auth('citizen'),
    async (ctx) => {
      ctx.body = await services.drafts.load((ctx.state as CitizenState).citizen.applicantId);
    },
  );
  documented(
    router,
    { method: 'put', path: '/api/drafts/current', summary: '边填边存草稿', errors: [] },
    auth('citizen'),
    rateLimit({ name: 'draft', limit: 120, windowMs: 60_000, key: byApplicant }),
    validate<ApplicationDraft>(DRAFT_SCHEMA),
    async (ctx) => {
      ctx.body = await services.drafts.save(
        (ctx.state as CitizenState).citizen.applicantId,
        (ctx.state as InputState<ApplicationDraft>).input,
      );
    },
  );
  return router;
}
