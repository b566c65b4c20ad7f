// The customer-service side of a case (客服): find it by case number, ID
// number or phone (exact match on the keyed hash, never a scan of decrypted
// data), within the agent's region and mode; view it masked; reveal one full
// value with a reason; retry a matter in manual handling; add a note; and,
// for supervisors, settle a manual matter (done offline, or refused). Every
// one of these leaves an audit entry.
import {
  describeRegion,
  maskIdNumber,
  maskPhone,
  REVEAL_FIELD_LABELS,
  type CaseTracking,
  type MatterId,
  type RevealField,
  type RevealedValue,
  type StaffCaseSummary,
  type StaffCaseView,
} from '@flexins/shared';
import type { Connection } from 'mongoose';
import type { StaffPrincipal } from '../../platform/auth';
import type { FieldCipher } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import type { ApplicationCase, CaseModel } from '../applications/application.model';
import type { AuditService } from '../audit/audit.service';
import type { ProcessingEngine } from '../processing/engine';
import type { Worker } from '../processing/worker';
import type { SupervisionService } from '../supervision/supervision.service';
import { caseNotesModel, type CaseNotes, type CaseNotesModel } from './note.model';
import { toStaffCaseView, toStaffSummary } from './staff.presenter';

const MAX_LOOKUP_RESULTS = 50;

export type LookupQuery = { caseNo: string } | { idNumber: string } | { phone: string };

export interface Settlement {
  outcome: 'done' | 'rejected';
  /** The department's reference number of the offline handling (for `done`). */
  reference?: string;
  reason: string;
}

/** A case is within reach of a member of staff in their region and of their mode (training or not). */
export function withinReach(staff: Pick<StaffPrincipal, 'regionCode' | 'training'>, caseDoc: ApplicationCase): boolean {
  return caseDoc.regionCode.startsWith(staff.regionCode) && Boolean(caseDoc.training) === staff.training;
}

export function auditFactsOf(staff: StaffPrincipal) {
  return { staffId: staff.staffId, role: staff.role, regionCode: staff.regionCode, training: staff.training };
}

export class StaffCaseService {
  readonly notes: CaseNotesModel;

  constructor(
    db: Connection,
    private readonly cases: CaseModel,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly engine: ProcessingEngine,
    private readonly supervision: SupervisionService,
    private readonly worker: Worker | undefined,
  ) {
    this.notes = caseNotesModel(db);
  }

  /** Out of reach answers "not found", like a case that does not exist: no hint that it does. */
  private async reachable(staff: StaffPrincipal, caseNo: string): Promise<ApplicationCase> {
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (!caseDoc || !withinReach(staff, caseDoc))
      throw new AppError('NOT_FOUND', '没有找到这件申请，或不在您负责的地区');
    return caseDoc;
  }

  async lookup(staff: StaffPrincipal, query: LookupQuery): Promise<StaffCaseSummary[]> {
    let found: ApplicationCase[];
    let target: string;
    if ('caseNo' in query) {
      const one = await this.cases.findById(query.caseNo).lean<ApplicationCase>();
      found = one ? [one] : [];
      target = `caseNo:${query.caseNo}`;
    } else if ('idNumber' in query) {
      found = await this.cases
        .find({ idNumberHash: this.cipher.lookupHash('idNumber', query.idNumber) })
        .sort({ createdAt: -1 })
        .limit(MAX_LOOKUP_RESULTS)
        .lean<ApplicationCase[]>();
      target = `idNumber:${maskIdNumber(query.idNumber)}`;
    } else {
      found = await this.cases
        .find({ phoneHash: this.cipher.lookupHash('phone', query.phone) })
        .sort({ createdAt: -1 })
        .limit(MAX_LOOKUP_RESULTS)
        .lean<ApplicationCase[]>();
      target = `phone:${maskPhone(query.phone)}`;
    }
    const visible = found.filter((c) => withinReach(staff, c));
    await this.audit.append({ ...auditFactsOf(staff), action: 'lookup', target, detail: `找到 ${visible.length} 件` });
    return visible.map(toStaffSummary);
  }

  async view(staff: StaffPrincipal, caseNo: string): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo);
    const notes = await this.notes.findById(caseNo).lean<CaseNotes>();
    await this.audit.append({ ...auditFactsOf(staff), action: 'view', caseNo });
    return toStaffCaseView(caseDoc, notes?.notes ?? []);
  }

  /**
   * The card's and the archive's progress at HRSS (`ask` puts the live
   * question), for a case within reach; audited as a view of the case.
   */
  async tracking(
    staff: StaffPrincipal,
    caseNo: string,
    ask: (caseDoc: ApplicationCase) => Promise<CaseTracking>,
  ): Promise<CaseTracking> {
    const caseDoc = await this.reachable(staff, caseNo);
    await this.audit.append({
      ...auditFactsOf(staff),
      action: 'view',
      caseNo,
      target: 'tracking',
      detail: '查询社保卡和档案办理进度',
    });
    return ask(caseDoc);
  }

  /** One full value, for a stated reason; the reveal is audited before the value leaves. */
  async reveal(staff: StaffPrincipal, caseNo: string, field: RevealField, reason: string): Promise<RevealedValue> {
    const caseDoc = await this.reachable(staff, caseNo);
    const data = await this.engine.readData(caseDoc.caseNo);
    let value: string | undefined;
    if (field === 'name') value = data.applicant.name;
    else if (field === 'idNumber') value = data.applicant.idNumber;
    else if (field === 'phone') value = data.applicant.phone;
    else if (data.card) {
      const address = data.card.mailingAddress;
      value = `${describeRegion(address.regionCode) ?? address.regionCode}${address.detail}（收件人 ${address.recipient}，${address.phone}）`;
    }
    if (value === undefined) throw new AppError('NOT_FOUND', '这件申请没有社保卡邮寄地址');
    await this.audit.append({ ...auditFactsOf(staff), action: 'reveal', caseNo, target: field, reason: reason.trim() });
    return { field, label: REVEAL_FIELD_LABELS[field], value };
  }

  /**
   * 1. only a matter in manual handling, and only one of two agents pressing at once
   * 2. the engine runs it again from the start  3. the counters and the trail.
   */
  async retry(staff: StaffPrincipal, caseNo: string, matter: MatterId, reason: string): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo);
    if (caseDoc.matters[matter]?.state !== 'manual') throw new AppError('MATTER_NOT_RETRYABLE');
    const claimed = await this.engine.resume(caseNo, matter);
    if (!claimed) throw new AppError('MATTER_NOT_RETRYABLE');
    await this.supervision.leftManual(claimed, matter);
    this.worker?.nudge();
    await this.audit.append({ ...auditFactsOf(staff), action: 'retry', caseNo, target: matter, reason: reason.trim() });
    return this.viewAfterChange(caseNo);
  }

  async addNote(staff: StaffPrincipal, caseNo: string, text: string): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo);
    const note = { at: new Date(), staffId: staff.staffId, role: staff.role, text: text.trim() };
    await this.notes.updateOne(
      { _id: caseNo },
      { $push: { notes: note }, $setOnInsert: { training: caseDoc.training } },
      { upsert: true },
    );
    await this.audit.append({ ...auditFactsOf(staff), action: 'note', caseNo, detail: `备注 ${note.text.length} 字` });
    return this.viewAfterChange(caseNo);
  }

  /**
   * A supervisor's decision on a matter in manual handling:
   * 1. done offline (with the department's reference) or refused (with the reason
   *    the citizen reads), only from manual  2. the citizen's message and the
   *    counters  3. what it unlocks runs, a refused card's postage is refunded,
   *    and the case completes when nothing is left  4. the trail.
   */
  async settle(
    staff: StaffPrincipal,
    caseNo: string,
    matter: MatterId,
    settlement: Settlement,
  ): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo);
    if (caseDoc.matters[matter]?.state !== 'manual') throw new AppError('MATTER_NOT_IN_MANUAL');
    const reason = settlement.reason.trim();
    const done = settlement.outcome === 'done';
    const reference = settlement.reference?.trim();
    if (done && !reference) {
      throw new AppError('VALIDATION_FAILED', undefined, { reference: '请填写线下办结的业务编号' });
    }
    // The engine records it and takes it from there: what this unlocks, a refused card's postage, completing the case.
    const after = await this.engine.settle(
      caseNo,
      matter,
      done ? { outcome: 'done', reference: reference! } : { outcome: 'rejected', reason },
    );
    if (!after) throw new AppError('MATTER_NOT_IN_MANUAL');
    await this.supervision.leftManual(after, matter);
    this.worker?.nudge();
    await this.audit.append({
      ...auditFactsOf(staff),
      action: 'settle',
      caseNo,
      target: matter,
      reason,
      detail: done ? `线下办结，业务编号 ${reference}` : '不予办理',
    });
    return this.viewAfterChange(caseNo);
  }

  private async viewAfterChange(caseNo: string): Promise<StaffCaseView> {
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (!caseDoc) throw new AppError('NOT_FOUND', '没有找到这件申请');
    const notes = await this.notes.findById(caseNo).lean<CaseNotes>();
    return toStaffCaseView(caseDoc, notes?.notes ?? []);
  }

  /** Training cases of a region, with their notes and queued work, gone (培训数据清除). */
  async clearTraining(regionCode: string): Promise<string[]> {
    const training = await this.cases.find({ training: true }).lean<ApplicationCase[]>();
    const caseNos = training.filter((c) => c.regionCode.startsWith(regionCode)).map((c) => c.caseNo);
    if (caseNos.length === 0) return [];
    await this.cases.deleteMany({ caseNo: { $in: caseNos }, training: true });
    await this.notes.deleteMany({ _id: { $in: caseNos } });
    await this.engine.queue.model.deleteMany({ _id: { $in: caseNos } });
    return caseNos;
  }
}
