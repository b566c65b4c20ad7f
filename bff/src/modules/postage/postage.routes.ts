// The card's 5.8-yuan postage: an order at the host app's cashier (with the
// parameters of the host's payment sheet, for the applicant's own eyes), its
// status, and the payment system's signed notification.
import { PAY_MARGIN_MS } from '@flexins/shared';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

/** Where the cashier sends the browser back to: the postage's and the premium's orders alike. */
export const RETURN_URL_REQUEST = {
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
      summary: '下单支付社保卡邮寄费 5.80 元（重复点击只生成一笔）；申报条件或人脸核验将过期时先请重新核验，不先收钱',
      status: 201,
      errors: [
        'ELIGIBILITY_REQUIRED',
        'NOT_ELIGIBLE',
        'FACE_CHECK_REQUIRED',
        'FACE_CHECK_FAILED',
        'DEPARTMENT_UNAVAILABLE',
      ],
    },
    auth('citizen'),
    rateLimit({ name: 'postage', limit: 10, windowMs: 10 * 60_000, key: byApplicant }),
    validate<{ returnUrl: string }>(RETURN_URL_REQUEST),
    async (ctx) => {
      const applicantId = (ctx.state as CitizenState).citizen.applicantId;
      // Money is taken only when nothing would stop the submission right after (with time to spare).
      const [blocker] = (await services.citizens.submissionCheck(applicantId, PAY_MARGIN_MS)).blockers;
      if (blocker) throw new AppError(blocker.code, blocker.message);
      ctx.status = 201;
      ctx.body = await services.postage.create(
        applicantId,
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
      summary: '收银台的支付结果通知（带网关签名）；首期保费在税务系统入账后才应答成功，否则收银台会再次通知',
      errors: ['UNAUTHENTICATED', 'VALIDATION_FAILED', 'DEPARTMENT_UNAVAILABLE'],
    },
    async (ctx) => {
      await services.postage.notified(
        {
          method: ctx.method,
          path: ctx.originalUrl,
          headers: ctx.headers as Record<string, string | undefined>,
          rawBody: (ctx.request as { rawBody?: string }).rawBody ?? '',
        },
        ctx.state.requestId as string,
      );
      ctx.body = { received: true };
    },
  );
  return router;
}
