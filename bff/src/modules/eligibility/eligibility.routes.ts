import { ELIGIBILITY_ANSWERS_SCHEMA, type EligibilityAnswers, type LastEligibilityReply } from '@flexins/shared';
import Router from '@koa/router';
import { auth, type CitizenState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';

export function eligibilityRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'post',
      path: '/api/eligibility',
      summary: '申报条件核验：逐条给出结果、依据和办理建议',
      errors: ['DEPARTMENT_UNAVAILABLE'],
    },
    auth('citizen'),
    rateLimit({ name: 'eligibility', limit: 20, windowMs: 10 * 60_000, key: byApplicant }),
    validate<EligibilityAnswers>(ELIGIBILITY_ANSWERS_SCHEMA),
    async (ctx) => {
      ctx.body = await services.eligibility.check(
        (ctx.state as CitizenState).citizen.applicantId,
        (ctx.state as InputState<EligibilityAnswers>).input,
        ctx.state.requestId as string,
      );
    },
  );
  documented(
    router,
    {
      method: 'get',
      path: '/api/eligibility',
      summary: '本人最近一次申报条件核验（一小时内有效；没有或已过时为 null）',
      errors: [],
    },
    auth('citizen'),
    async (ctx) => {
      ctx.body = {
        eligibility: await services.eligibility.latest((ctx.state as CitizenState).citizen.applicantId),
      } satisfies LastEligibilityReply;
    },
  );
  return router;
}
