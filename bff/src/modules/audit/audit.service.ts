// Appending to the audit trail, reading it and checking its chain. There is
// no update or delete here, nor anywhere else: the trail only grows.
import { createHash } from 'node:crypto';
import type { AuditChainCheck, AuditEntryView } from '@flexins/shared';
import type { Connection } from 'mongoose';
import {
  AUDIT_ACTION_LABELS,
  auditModels,
  type AuditAction,
  type AuditEntry,
  type AuditEntryModel,
  type AuditFacts,
  type AuditHeadModel,
} from './audit.model';

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

function toView(entry: AuditEntry): AuditEntryView {
  return {
    seq: entry._id,
    at: new Date(entry.at).toISOString(),
    staffId: entry.staffId,
    role: entry.role,
    regionCode: entry.regionCode,
    training: entry.training,
    action: entry.action,
    actionLabel: AUDIT_ACTION_LABELS[entry.action] ?? entry.action,
    ...(entry.caseNo ? { caseNo: entry.caseNo } : {}),
    ...(entry.target ? { target: entry.target } : {}),
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.detail ? { detail: entry.detail } : {}),
    hash: entry.hash,
  };
}

export class AuditService {
  private readonly entries: AuditEntryModel;
  private readonly heads: AuditHeadModel;
  private headReady = false;

  constructor(db: Connection) {
    ({ entries: this.entries, heads: this.heads } = auditModels(db));
  }

  /**
   * 1. read the head (last number and hash)  2. insert the next entry under
   * the next number — `_id` is unique, so of two concurrent appends only one
   * gets a number and the other starts again  3. move the head on, only
   * from where it was read. An append that crashed between 2 and 3 leaves
   * the head behind; the next one finds the number taken and moves the head
   * to that entry first.
   */
  async append(facts: AuditFacts): Promise<number> {
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
    return found.map(toView);
  }

  /** Oldest first, for an export. */
  async export(filter: AuditFilter, limit: number): Promise<AuditEntryView[]> {
    const found = await this.entries.find(this.query(filter)).sort({ _id: 1 }).limit(limit).lean<AuditEntry[]>();
    return found.map(toView);
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

const CSV_COLUMNS: readonly [keyof AuditEntryView, string][] = [
  ['seq', '序号'],
  ['at', '时间'],
  ['staffId', '工作人员'],
  ['role', '角色'],
  ['regionCode', '所属地区'],
  ['training', '培训'],
  ['actionLabel', '操作'],
  ['caseNo', '办件编号'],
  ['target', '对象'],
  ['reason', '理由'],
  ['detail', '结果'],
  ['hash', '摘要'],
];

/** RFC 4180, with a leading quote on values a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(entries: readonly AuditEntryView[]): string {
  const lines = [CSV_COLUMNS.map(([, label]) => label).join(',')];
  for (const entry of entries) lines.push(CSV_COLUMNS.map(([key]) => csvCell(entry[key])).join(','));
  // A byte-order mark, so that spreadsheet software reads the Chinese as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
