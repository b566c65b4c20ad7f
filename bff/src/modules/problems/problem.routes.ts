// The problem list: a citizen reports a problem; supervisors work through
// the list (owner, status, fix), overdue first.
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type CitizenState, type StaffState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { byApplicant, rateLimit } from '../../platform/rate-limit';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { auditFactsOf } from '../staff/staff-case.service';
import { PROBLEM_PROMISE, PROBLEM_TEXT_LENGTH } from '@flexins/shared';
import {
  PROBLEM_CATEGORIES,
  PROBLEM_STATUSES,
  REPORTABLE_CATEGORIES,
  type ProblemSource,
  type ProblemStatus,
} from './problem.model';
import type { ProblemReport, ProblemUpdate } from './problem.service';

const REPORT_REQUEST = {
  type: 'object',
  required: ['category', 'text'],
  properties: {
    category: {
      type: 'string',
      title: '问题类别',
      enum: REPORTABLE_CATEGORIES,
      'x-enum-labels': Object.fromEntries(REPORTABLE_CATEGORIES.map((c) => [c, PROBLEM_CATEGORIES[c]])),
    },
    text: {
      type: 'string',
      title: '问题描述',
      minLength: PROBLEM_TEXT_LENGTH.min,
      maxLength: PROBLEM_TEXT_LENGTH.max,
    },
    caseNo: { type: 'string', title: '办件编号', pattern: '^LJ\\d{14}$', 'x-format-hint': '应为 LJ 加 14 位数字' },
  },
  additionalProperties: false,
} as const;

const LIST_QUERY = {
  type: 'object',
  properties: {
    status: { type: 'string', title: '状态', enum: Object.keys(PROBLEM_STATUSES), 'x-enum-labels': PROBLEM_STATUSES },
    source: {
      type: 'string',
      title: '来源',
      enum: ['rating', 'report'],
      'x-enum-labels': { rating: '差评', report: '群众反映' },
    },
    overdue: { type: 'string', title: '只看超期', enum: ['true', 'false'] },
    limit: { type: 'string', title: '条数（最多 200）', pattern: '^([1-9]\\d?|1\\d\\d|200)$' },
  },
  additionalProperties: false,
} as const;

const UPDATE_REQUEST = {
  type: 'object',
  properties: {
    owner: { type: 'string', title: '责任人', minLength: 1, maxLength: 60 },
    status: { type: 'string', title: '状态', enum: Object.keys(PROBLEM_STATUSES), 'x-enum-labels': PROBLEM_STATUSES },
    fix: { type: 'string', title: '整改情况', minLength: 1, maxLength: 1000 },
  },
  additionalProperties: false,
} as const;

type ListQuery = { status?: ProblemStatus; source?: ProblemSource; overdue?: string; limit?: string };

export function problemRoutes(services: Services): Router {
  const router = new Router();
  const { problems } = services;

  documented(
    router,
    {
      method: 'post',
      path: '/api/problems',
      summary: `我要反映问题：类别、描述，可选办件编号；进入问题清单，${PROBLEM_PROMISE}处理`,
      status: 201,
      errors: ['NOT_FOUND'],
    },
    auth('citizen'),
    rateLimit({ name: 'problem-report', limit: 10, windowMs: 60 * 60_000, key: byApplicant }),
    validate<ProblemReport>(REPORT_REQUEST),
    async (ctx: Context) => {
      const applicantId = (ctx.state as CitizenState).citizen.applicantId;
      const report = (ctx.state as InputState<ProblemReport>).input;
      // A named case must be their own; without one, their latest case (if any) says where it belongs.
      const ownCase = report.caseNo
        ? await services.applications.ownCase(applicantId, report.caseNo)
        : ((await services.applications.latest(applicantId)) ?? undefined);
      ctx.status = 201;
      ctx.body = await problems.report(applicantId, report, ownCase);
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/problems',
      summary: '问题清单（超期在前，再按办理期限）：来源、类别、描述（已脱敏）、责任人、期限、状态、整改情况',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<ListQuery>(LIST_QUERY, 'query'),
    async (ctx: Context) => {
      const input = (ctx.state as InputState<ListQuery>).input;
      ctx.body = await problems.list(
        (ctx.state as StaffState).staff,
        {
          ...(input.status ? { status: input.status } : {}),
          ...(input.source ? { source: input.source } : {}),
          overdueOnly: input.overdue === 'true',
        },
        Number(input.limit ?? 100),
      );
    },
  );

  documented(
    router,
    {
      method: 'patch',
      path: '/api/staff/problems/:problemId',
      summary: '处理问题清单事项：指定责任人、改状态、记录整改情况（标记已整改须写整改情况）；记入审计日志',
      errors: ['NOT_FOUND'],
    },
    auth('staff', 'supervisor'),
    validate<ProblemUpdate>(UPDATE_REQUEST),
    async (ctx: Context) => {
      const staff = (ctx.state as StaffState).staff;
      const change = (ctx.state as InputState<ProblemUpdate>).input;
      const problemId = String(ctx.params.problemId);
      const view = await problems.update(staff, problemId, change);
      await services.audit.append({
        ...auditFactsOf(staff),
        action: 'problemUpdate',
        ...(view.caseNo ? { caseNo: view.caseNo } : {}),
        target: problemId,
        detail: [
          change.status ? `状态：${PROBLEM_STATUSES[change.status]}` : '',
          change.owner ? '指定责任人' : '',
          change.fix ? '记录整改情况' : '',
        ]
          .filter(Boolean)
          .join('，'),
      });
      ctx.body = view;
    },
  );

  return router;
}
