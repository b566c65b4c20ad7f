// The audit trail (审计日志): one entry per staff action on a case or on the
// trail itself, numbered 1, 2, 3 … in `_id` and chained by hash (each entry's
// hash covers the previous entry's hash), so that changing, removing or
// inserting an entry is detectable. The head document remembers the last
// number and hash, so an append reads one document by `_id`.
import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditAction } from '@flexins/shared';
import type { StaffRole } from '../../platform/auth';

export type { AuditAction } from '@flexins/shared';

export const AUDIT_ACTIONS = [
  'signIn',
  'lookup',
  'view',
  'reveal',
  'retry',
  'note',
  'settle',
  'windowRead',
  'windowSubmit',
  'problemUpdate',
  'clearTraining',
  'trainingRefused',
  'auditExport',
  'statsExport',
  'problemExport',
  'summaryRecompute',
] as const satisfies readonly AuditAction[];

export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  signIn: '登录',
  lookup: '查询办件',
  view: '查看办件',
  reveal: '查看完整信息',
  retry: '重新提交办理',
  note: '添加备注',
  settle: '人工处理办结登记',
  windowRead: '窗口读取身份信息',
  windowSubmit: '窗口代为提交申请',
  problemUpdate: '处理问题清单事项',
  clearTraining: '清除培训数据',
  trainingRefused: '培训模式不符被拒绝',
  auditExport: '导出审计日志',
  statsExport: '导出监督统计',
  problemExport: '导出问题清单',
  summaryRecompute: '重新生成每日汇总',
};

/** What is recorded: who, when, what, why. Never a full ID number, phone or name. */
export interface AuditFacts {
  staffId: string;
  role: StaffRole;
  regionCode: string;
  training: boolean;
  action: AuditAction;
  caseNo?: string;
  /** What was acted on: `idNumber:640104********1234`, `phone`, `socialSecurityCard`, a problem id … */
  target?: string;
  /** The reason the member of staff stated. */
  reason?: string;
  /** The outcome in a few words (`找到 2 件`, `不予办理`). */
  detail?: string;
}

export interface AuditEntry extends AuditFacts {
  _id: number;
  at: Date;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  _id: string;
  seq: number;
  hash: string;
}

const entrySchema = new Schema<AuditEntry>(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    staffId: { type: String, required: true },
    role: { type: String, required: true },
    regionCode: { type: String, required: true },
    training: { type: Boolean, required: true },
    action: { type: String, required: true },
    caseNo: String,
    target: String,
    reason: String,
    detail: String,
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_entries', versionKey: false },
);

const headSchema = new Schema<AuditHead>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_head', versionKey: false },
);

export type AuditEntryModel = Model<AuditEntry>;
export type AuditHeadModel = Model<AuditHead>;

export function auditModels(db: Connection): { entries: AuditEntryModel; heads: AuditHeadModel } {
  return {
    entries: (db.models.AuditEntry as AuditEntryModel | undefined) ?? db.model<AuditEntry>('AuditEntry', entrySchema),
    heads: (db.models.AuditHead as AuditHeadModel | undefined) ?? db.model<AuditHead>('AuditHead', headSchema),
  };
}
