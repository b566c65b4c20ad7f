// The audit trail for supervisors: view and filter it, export it (CSV or
// JSON), and check its hash chain. There is no route that changes it.
import type { AuditEntryList } from '@flexins/shared';
import Router from '@koa/router';
import type { Context } from 'koa';
import { auth, type StaffState } from '../../platform/auth';
import { documented } from '../../platform/openapi';
import { validate, type InputState } from '../../platform/validate';
import type { Services } from '../../services';
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, type AuditAction } from './audit.model';
import { toCsv, type AuditFilter } from './audit.service';

const DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})?)?$';

const FILTER_PROPERTIES = {
  staffId: { type: 'string', title: '工作人员编号', pattern: '^[A-Za-z0-9_-]{1,64}$' },
  action: { type: 'string', title: '操作', enum: [...AUDIT_ACTIONS], 'x-enum-labels': AUDIT_ACTION_LABELS },
  caseNo: { type: 'string', title: '办件编号', pattern: '^LJ\\d{14}$', 'x-format-hint': '应为 LJ 加 14 位数字' },
  from: {
    type: 'string',
    title: '开始时间（含）',
    pattern: DATE_TIME,
    'x-format-hint': '应为 2026-11-30 或 2026-11-30T08:00:00+08:00',
  },
  to: {
    type: 'string',
    title: '结束时间（不含）',
    pattern: DATE_TIME,
    'x-format-hint': '应为 2026-12-01 或 2026-12-01T00:00:00+08:00',
  },
  training: {
    type: 'string',
    title: '培训记录',
    enum: ['true', 'false'],
    'x-enum-labels': { true: '只看培训', false: '不含培训' },
  },
} as const;

const LIST_QUERY = {
  type: 'object',
  properties: {
    ...FILTER_PROPERTIES,
    before: { type: 'string', title: '此序号之前', pattern: '^[1-9]\\d{0,12}$' },
    limit: { type: 'string', title: '条数（最多 200）', pattern: '^([1-9]\\d?|1\\d\\d|200)$' },
  },
  additionalProperties: false,
} as const;

const EXPORT_QUERY = {
  type: 'object',
  properties: {
    ...FILTER_PROPERTIES,
    format: { type: 'string', title: '格式', enum: ['csv', 'json'] },
  },
  additionalProperties: false,
} as const;

type FilterQuery = Partial<Record<keyof typeof FILTER_PROPERTIES, string>> & {
  before?: string;
  limit?: string;
  format?: 'csv' | 'json';
};

const EXPORT_LIMIT = 50_000;

/** Dates without a time are Beijing midnight. */
function toDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  return new Date(value.length === 10 ? `${value}T00:00:00+08:00` : value);
}

function filterOf(input: FilterQuery): AuditFilter {
  return {
    ...(input.staffId ? { staffId: input.staffId } : {}),
    ...(input.action ? { action: input.action as AuditAction } : {}),
    ...(input.caseNo ? { caseNo: input.caseNo } : {}),
    ...(input.from ? { from: toDate(input.from) } : {}),
    ...(input.to ? { to: toDate(input.to) } : {}),
    ...(input.training ? { training: input.training === 'true' } : {}),
    ...(input.before ? { before: Number(input.before) } : {}),
  };
}

const staffOf = (ctx: Context) => (ctx.state as StaffState).staff;

export function auditRoutes(services: Services): Router {
  const router = new Router();
  const supervisor = auth('staff', 'supervisor');

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/audit-entries',
      summary: '审计日志（新的在前）：谁、何时、做了什么、为什么；可按工作人员、操作、办件编号、时间筛选',
      description: '翻页：把本页最后一条的 seq 作为 before 再取。',
      errors: [],
    },
    supervisor,
    validate<FilterQuery>(LIST_QUERY, 'query'),
    async (ctx) => {
      const input = (ctx.state as InputState<FilterQuery>).input;
      const entries = await services.audit.list(filterOf(input), Number(input.limit ?? 50));
      ctx.body = { entries } satisfies AuditEntryList;
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/audit-entries/export',
      summary: '导出审计日志（format=csv 或 json，按时间先后）；导出本身也记入审计日志',
      errors: [],
    },
    supervisor,
    validate<FilterQuery>(EXPORT_QUERY, 'query'),
    async (ctx) => {
      const input = (ctx.state as InputState<FilterQuery>).input;
      const staff = staffOf(ctx);
      const format = input.format ?? 'csv';
      const entries = await services.audit.export(filterOf(input), EXPORT_LIMIT);
      await services.audit.append({
        staffId: staff.staffId,
        role: staff.role,
        regionCode: staff.regionCode,
        training: staff.training,
        action: 'auditExport',
        detail: `${format.toUpperCase()}，${entries.length} 条`,
      });
      const stamp = new Date().toISOString().slice(0, 10);
      ctx.set('Content-Disposition', `attachment; filename="audit-${stamp}.${format}"`);
      ctx.set('Cache-Control', 'no-store');
      if (format === 'csv') {
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = toCsv(entries);
      } else {
        ctx.body = { entries } satisfies AuditEntryList;
      }
    },
  );

  documented(
    router,
    {
      method: 'get',
      path: '/api/staff/audit-entries/verification',
      summary: '校验审计日志的哈希链：完好，或从第几条起被改动、删除或插入',
      errors: [],
    },
    supervisor,
    async (ctx) => {
      ctx.body = await services.audit.verify();
    },
  );

  return router;
}
