// The supervisors' dashboard (监督看板), read from the counters.
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type StaffState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import type { DashboardQuery } from './supervision.service';

const MONTH = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
  'x-format-hint': '应为年-月，例如 2026-11',
} as const;

const DASHBOARD_QUERY = {
  type: 'object',
  properties: {
    regionCode: {
      type: 'string',
      title: '地区',
      pattern: '^64(\\d{2}){0,2}$',
      'x-format-hint': '应为 64（全区）、4 位市级代码或 6 位县区代码',
    },
    from: { ...MONTH, title: '起始月份（按提交时间，含）' },
    to: { ...MONTH, title: '截止月份（按提交时间，含）' },
  },
  additionalProperties: false,
} as const;

export function supervisionRoutes(services: Services): Router {
  const router = new Router();
  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/dashboard',
      summary:
        '监督看板：按市县、事项、渠道的申请量、办结、待缴费（已核定未缴纳首期社保费，不算办结）、人工处理、不予办理，办结用时中位数和 95 分位，常见失败原因，好差评及差评回访（超期在前）',
      description: '培训办件不计入。地区默认为本人所属地区，只能查看本人所属地区及其下级。',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<DashboardQuery>(DASHBOARD_QUERY, 'query'),
    async (ctx: Context) => {
      ctx.body = await services.supervision.dashboard(
        (ctx.state as StaffState).staff,
        (ctx.state as InputState<DashboardQuery>).input,
      );
    },
  );
  return router;
}
