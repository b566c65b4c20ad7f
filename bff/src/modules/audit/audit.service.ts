// Appending to the audit trail, reading it and checking its chain. There is
// no update or delete here, nor anywhere else: the trail only grows.
import { createHash } from 'node:crypto';
import {
  chinaDateTime,
  IDENTITY_STAFF_ROLE_LABELS,
  MATTERS,
  REVEAL_FIELD_LABELS,
  scrubPersonalData,
  type AuditChainCheck,
  type AuditEntryView,
} from '@flexins/shared';
import type { Connection } from 'mongoose';
import { csvOf } from '../../platform/csv';
import {
  AUDIT_ACTION_LABELS,
  auditModels,
  type AuditAction,
  type AuditEntry,
  type AuditEntryModel,
  type AuditFacts,
  type AuditHeadModel,
} from './audit.model';
import { StaffDirectory } from './staff-directory';

const HEAD_ID = 'trail';
/** The "previous hash" of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);
/** Appends that lose the race this often in a row are a fault, not contention. */
const MAX_APPEND_ATTEMPTS = 50;

/** The fields a hash covers, in a fixed order (a re-ordered object must hash the same). */
export function entryHash(prevHash: string, seq: number, at: Date, facts: AuditFacts): string {
  const canonical = JSON.stringify([
    seq,
    at.toISOString(),
    facts.staffId,
    facts.role,
    facts.regionCode,
    facts.training,
    facts.action,
    facts.caseNo ?? null,
    facts.target ?? null,
    facts.reason ?? null,
    facts.detail ?? null,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export interface AuditFilter {
  staffId?: string;
  action?: AuditAction;
  caseNo?: string;
  /** Inclusive, ISO date or date-time. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Entries numbered below this (paging backwards). */
  before?: number;
  training?: boolean;
}

const MATTER_NAMES: Readonly<Record<string, string>> = Object.fromEntries(MATTERS.map((m) => [m.id, m.name]));
const LOOKUP_TARGETS: Readonly<Record<string, string>> = { caseNo: '办件编号', ...REVEAL_FIELD_LABELS };
const OTHER_TARGETS: Readonly<Record<string, string>> = { tracking: '社保卡和档案办理进度' };

/**
 * A target in words: a revealed field (`phone` → 手机号), a matter (its name),
 * a look-up (`idNumber:640104********1234` → 身份证号 640104********1234).
 * Anything else (a problem id) is shown as it is.
 */
export function describeTarget(target: string): string {
  const revealed = REVEAL_FIELD_LABELS[target as keyof typeof REVEAL_FIELD_LABELS];
  if (revealed) return revealed;
  const named = MATTER_NAMES[target] ?? OTHER_TARGETS[target];
  if (named) return named;
  const colon = target.indexOf(':');
  const kind = colon > 0 ? LOOKUP_TARGETS[target.slice(0, colon)] : undefined;
  return kind ? `${kind} ${target.slice(colon + 1)}` : target;
}

function toView(entry: AuditEntry, names: ReadonlyMap<string, string>): AuditEntryView {
  const staffName = names.get(entry.staffId);
  return {
    seq: entry._id,
    at: new Date(entry.at).toISOString(),
    staffId: entry.staffId,
    ...(staffName ? { staffName } : {}),
    role: entry.role,
    roleLabel: IDENTITY_STAFF_ROLE_LABELS[entry.role] ?? entry.role,
    regionCode: entry.regionCode,
    training: entry.training,
    action: entry.action,
    actionLabel: AUDIT_ACTION_LABELS[entry.action] ?? entry.action,
    ...(entry.caseNo ? { caseNo: entry.caseNo } : {}),
    ...(entry.target ? { target: entry.target, targetLabel: describeTarget(entry.target) } : {}),
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.detail ? { detail: entry.detail } : {}),
    hash: entry.hash,
  };
}

export class AuditService {
  private readonly entries: AuditEntryModel;
  private readonly heads: AuditHeadModel;
  private headReady = false;
  /** Names beside staff ids, in the trail and on staff pages. */
  readonly staff: StaffDirectory;

  constructor(db: Connection) {
    ({ entries: this.entries, heads: this.heads } = auditModels(db));
    this.staff = new StaffDirectory(db);
  }

  /**
   * 1. read the head (last number and hash)  2. insert the next entry under
   * the next number — `_id` is unique, so of two concurrent appends only one
   * gets a number and the other starts again  3. move the head on, only
   * from where it was read. An append that crashed between 2 and 3 leaves
   * the head behind; the next one finds the number taken and moves the head
   * to that entry first.
   */
  async append(given: AuditFacts): Promise<number> {
    // A phone or ID number typed into a reason or a note is masked before it is kept (and hashed).
    const facts: AuditFacts = {
      ...given,
      ...(given.reason !== undefined ? { reason: scrubPersonalData(given.reason) } : {}),
      ...(given.detail !== undefined ? { detail: scrubPersonalData(given.detail) } : {}),
    };
    await this.ensureHead();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.heads.findById(HEAD_ID).lean();
      if (!head) throw new Error('the audit head is missing');
      const seq = head.seq + 1;
      const at = new Date();
      const hash = entryHash(head.hash, seq, at, facts);
      try {
        await this.entries.create({ _id: seq, at, ...facts, prevHash: head.hash, hash });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const taken = await this.entries.findById(seq).lean();
        if (taken) await this.moveHead(head.seq, seq, taken.hash);
        continue;
      }
      await this.moveHead(head.seq, seq, hash);
      return seq;
    }
    throw new Error('could not append to the audit trail');
  }

  private async moveHead(fromSeq: number, seq: number, hash: string): Promise<void> {
    await this.heads.updateOne({ _id: HEAD_ID, seq: fromSeq }, { $set: { seq, hash } });
  }

  private async ensureHead(): Promise<void> {
    if (this.headReady) return;
    try {
      await this.heads.updateOne({ _id: HEAD_ID }, { $setOnInsert: { seq: 0, hash: GENESIS_HASH } }, { upsert: true });
    } catch (err) {
      // Two first appends at once: the other one made it.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    this.headReady = true;
  }

  async list(filter: AuditFilter, limit: number): Promise<AuditEntryView[]> {
    const found = await this.entries.find(this.query(filter)).sort({ _id: -1 }).limit(limit).lean<AuditEntry[]>();
    return this.views(found);
  }

  /** Oldest first, for an export. */
  async export(filter: AuditFilter, limit: number): Promise<AuditEntryView[]> {
    const found = await this.entries.find(this.query(filter)).sort({ _id: 1 }).limit(limit).lean<AuditEntry[]>();
    return this.views(found);
  }

  private async views(found: readonly AuditEntry[]): Promise<AuditEntryView[]> {
    const names = await this.staff.namesOf(found.map((e) => e.staffId));
    return found.map((e) => toView(e, names));
  }

  private query(filter: AuditFilter): Record<string, unknown> {
    const at: Record<string, Date> = {};
    if (filter.from) at.$gte = filter.from;
    if (filter.to) at.$lt = filter.to;
    return {
      ...(filter.staffId ? { staffId: filter.staffId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.caseNo ? { caseNo: filter.caseNo } : {}),
      ...(filter.training !== undefined ? { training: filter.training } : {}),
      ...(filter.before ? { _id: { $lt: filter.before } } : {}),
      ...(Object.keys(at).length ? { at } : {}),
    };
  }

  /**
   * Walks the whole trail in order: every number present, each entry's
   * `prevHash` the previous entry's hash, each hash recomputed from the
   * entry, and the head pointing at the last one. Reports the first entry
   * where the chain breaks.
   */
  async verify(): Promise<AuditChainCheck> {
    const head = await this.heads.findById(HEAD_ID).lean();
    let prevHash = GENESIS_HASH;
    let expected = 1;
    let checked = 0;
    const broken = (brokenAt: number, problem: string): AuditChainCheck => ({
      intact: false,
      checked,
      brokenAt,
      problem,
    });
    for await (const entry of this.entries.find({}).sort({ _id: 1 }).lean<AuditEntry>().cursor()) {
      const seq = entry._id;
      if (seq !== expected) return broken(expected, `第 ${expected} 条记录缺失`);
      if (entry.prevHash !== prevHash) return broken(seq, `第 ${seq} 条记录与上一条的链接不符（上一条被改动或替换）`);
      const facts: AuditFacts = {
        staffId: entry.staffId,
        role: entry.role,
        regionCode: entry.regionCode,
        training: entry.training,
        action: entry.action,
        ...(entry.caseNo !== undefined ? { caseNo: entry.caseNo } : {}),
        ...(entry.target !== undefined ? { target: entry.target } : {}),
        ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
        ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
      };
      if (entryHash(prevHash, seq, new Date(entry.at), facts) !== entry.hash) {
        return broken(seq, `第 ${seq} 条记录的内容与其摘要不符（记录被改动）`);
      }
      prevHash = entry.hash;
      expected += 1;
      checked += 1;
    }
    const lastSeq = expected - 1;
    if (head && head.seq > lastSeq) return broken(lastSeq + 1, `第 ${lastSeq + 1} 条起的记录缺失`);
    if (head && head.seq === lastSeq && head.hash !== prevHash) {
      return broken(lastSeq, `第 ${lastSeq} 条记录的摘要与链头不符（记录被替换）`);
    }
    return { intact: true, checked, lastSeq };
  }
}

/** The export's columns, in words a reader of the spreadsheet needs: China time, names, labels. */
const CSV_COLUMNS: readonly [string, (e: AuditEntryView) => unknown][] = [
  ['序号', (e) => e.seq],
  ['时间（北京时间）', (e) => chinaDateTime(e.at, true)],
  ['工作人员编号', (e) => e.staffId],
  ['工作人员', (e) => e.staffName],
  ['角色', (e) => e.roleLabel],
  ['所属地区', (e) => e.regionCode],
  ['培训', (e) => (e.training ? '是' : '否')],
  ['操作', (e) => e.actionLabel],
  ['办件编号', (e) => e.caseNo],
  ['对象', (e) => e.targetLabel],
  ['理由', (e) => e.reason],
  ['结果', (e) => e.detail],
  ['摘要', (e) => e.hash],
];

export function toCsv(entries: readonly AuditEntryView[]): string {
  return csvOf(
    CSV_COLUMNS.map(([label]) => label),
    entries.map((entry) => CSV_COLUMNS.map(([, value]) => value(entry))),
  );
}
