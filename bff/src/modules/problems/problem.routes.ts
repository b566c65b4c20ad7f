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
import {
  XLSX_TYPE,
  aboutRows,
  csvOfTable,
  exporterOf,
  problemTable,
  sendFile,
  workbookOf,
} from '../supervision/supervision.export';
import { regionNameOf } from '../supervision/supervision.service';
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

const EXPORT_QUERY = {
  type: 'object',
  required: ['format'],
  properties: {
    status: LIST_QUERY.properties.status,
    source: LIST_QUERY.properties.source,
    overdue: LIST_QUERY.properties.overdue,
    format: {
      type: 'string',
      title: '格式',
      enum: ['xlsx', 'csv'],
      'x-enum-labels': { xlsx: 'Excel 工作簿', csv: 'CSV' },
    },
  },
  additionalProperties: false,
} as const;

/** The most items an export holds (the list is one item per complaint, far fewer than cases). */
const EXPORT_LIMIT = 20_000;

type ExportQuery = Omit<ListQuery, 'limit'> & { format: 'xlsx' | 'csv' };

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
      method: 'get',
      path: '/api/staff/problems/export',
      summary:
        '导出问题清单（format=xlsx 附说明页，或 csv 带 BOM）：来源、类别、描述（已脱敏）、责任人、办理期限、是否超期、整改情况；导出记入审计日志',
      description: '与问题清单相同：只含本人所属地区的事项，超期在前。',
      errors: [],
    },
    auth('staff', 'supervisor'),
    validate<ExportQuery>(EXPORT_QUERY, 'query'),
    async (ctx: Context) => {
      const staff = (ctx.state as StaffState).staff;
      const input = (ctx.state as InputState<ExportQuery>).input;
      const list = await problems.list(
        staff,
        {
          ...(input.status ? { status: input.status } : {}),
          ...(input.source ? { source: input.source } : {}),
          overdueOnly: input.overdue === 'true',
        },
        EXPORT_LIMIT,
      );
      const at = new Date();
      await services.audit.append({
        ...auditFactsOf(staff),
        action: 'problemExport',
        detail: `${input.format === 'xlsx' ? 'Excel' : 'CSV'}，${list.items.length} 条（其中超期 ${list.items.filter((p) => p.overdue).length} 条）`,
      });
      const table = problemTable(list);
      const stamp = `${staff.regionCode}-${at.toISOString().slice(0, 10)}`;
      if (input.format === 'csv') {
        sendFile(ctx, `problems-${stamp}.csv`, 'text/csv; charset=utf-8', csvOfTable(table));
        return;
      }
      const filters = [
        input.status ? `状态：${PROBLEM_STATUSES[input.status]}` : '',
        input.source ? `来源：${input.source === 'rating' ? '差评' : '群众反映'}` : '',
        input.overdue === 'true' ? '只看超期' : '',
      ].filter(Boolean);
      const about = aboutRows({
        title: `问题清单（共 ${list.items.length} 条，超期 ${list.overdue} 条）`,
        region: `${regionNameOf(staff.regionCode)}（${staff.regionCode}）`,
        period: filters.length ? filters.join('，') : '全部事项',
        exportedBy: await exporterOf(services, staff),
        exportedAt: at,
        notes: [
          '超期的在前，再按办理期限；办理期限为提出后 15 个工作日。',
          '描述和整改情况中的身份证号、手机号已脱敏；不含群众姓名。',
        ],
      });
      sendFile(ctx, `problems-${stamp}.xlsx`, XLSX_TYPE, await workbookOf([table], about, at));
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
