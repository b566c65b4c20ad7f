// The card's 5.8-yuan postage: an order at the host app's cashier (with the
// parameters of the host's payment sheet, for the applicant's own eyes), its
// status, and the payment system's signed notification.
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

const ORDER_REQUEST = {
  type: 'object',
  required: ['returnUrl'],
  properties: {
    returnUrl: {
      type: 'string',
      title: '支付后返回的页面',
      pattern: '^https?://[^\\s]+$',
      maxLength: 500,
      'x-format-hint': '应为 http(s) 网址',
    },
  },
  additionalProperties: false,
} as const;

export function postageRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'post',
      path: '/api/postage-orders',
      summary: '下单支付社保卡邮寄费 5.80 元（重复点击只生成一笔）',
      status: 201,
      errors: ['DEPARTMENT_UNAVAILABLE'],
    },
    auth('citizen'),
    rateLimit({ name: 'postage', limit: 10, windowMs: 10 * 60_000, key: byApplicant }),
    validate<{ returnUrl: string }>(ORDER_REQUEST),
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await services.postage.create(
        (ctx.state as CitizenState).citizen.applicantId,
        (ctx.state as InputState<{ returnUrl: string }>).input.returnUrl,
        ctx.state.requestId as string,
        { forApplicant: true },
      );
    },
  );
  documented(
    router,
    { method: 'get', path: '/api/postage-orders/:orderId', summary: '邮寄费订单状态', errors: ['NOT_FOUND'] },
    auth('citizen'),
    async (ctx) => {
      ctx.body = await services.postage.status(
        (ctx.state as CitizenState).citizen.applicantId,
        String(ctx.params.orderId),
        ctx.state.requestId as string,
        { forApplicant: true },
      );
    },
  );
  documented(
    router,
    {
      method: 'post',
      path: '/api/payment-notifications',
      summary: '收银台的支付结果通知（带网关签名）',
      errors: ['UNAUTHENTICATED', 'VALIDATION_FAILED'],
    },
    async (ctx) => {
      await services.postage.notified({
        method: ctx.method,
        path: ctx.originalUrl,
        headers: ctx.headers as Record<string, string | undefined>,
        rawBody: (ctx.request as { rawBody?: string }).rawBody ?? '',
      });
      ctx.body = { received: true };
    },
  );
  return router;
}
