import Router from '@koa/router';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byClientIp, rateLimit } from '../../platform/rate-limit';
import type { Services } from '../../services';

export function certificateRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'get',
      path: '/api/certificates/:code',
      summary: '公开核验办结凭证（只显示脱敏摘要）',
      errors: ['NOT_FOUND'],
    },
    rateLimit({ name: 'verify', limit: 60, windowMs: 60_000, key: byClientIp }),
    async (ctx) => {
      const found = await services.certificates.verify(String(ctx.params.code));
      if (!found) throw new AppError('NOT_FOUND', '没有找到这个核验码对应的办结凭证');
      ctx.body = found;
    },
  );
  return router;
}
