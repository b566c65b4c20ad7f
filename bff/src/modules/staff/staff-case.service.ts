// The customer-service side of a case (客服): find it by case number, ID
// number or phone (exact match on the keyed hash, never a scan of decrypted
// data), within the agent's region and mode; view it masked; reveal one full
// value with a reason; retry a matter in manual handling; add a note; and,
// for supervisors, settle a manual matter (done offline, or refused). Every
// one of these leaves an audit entry.
import {
  addressText,
  maskIdNumber,
  maskPhone,
  REVEAL_FIELD_LABELS,
  type AuditAction,
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
import { caseDataModel, type CaseDataModel } from '../applications/case-data.model';
import { applicantModel, type ApplicantModel } from '../citizens/applicant.model';
import { followUpModel, type FollowUpModel } from '../followups/follow-up.model';
import { postageModel, type PostageModel } from '../postage/postage.model';
import type { AuditService } from '../audit/audit.service';
import type { ProcessingEngine } from '../processing/engine';
import type { Worker } from '../processing/worker';
import type { SupervisionService } from '../supervision/supervision.service';
import { caseNotesModel, type CaseNote, type CaseNotes, type CaseNotesModel } from './note.model';
import { requireSameMode, sameMode } from './training';
import { toStaffCaseView, toStaffSummary } from './staff.presenter';

const MAX_LOOKUP_RESULTS = 50;

export type LookupQuery = { caseNo: string } | { idNumber: string } | { phone: string };

export interface Settlement {
  outcome: 'done' | 'rejected';
  /** The department's reference number of the offline handling (for `done`). */
  reference?: string;
  reason: string;
}

/**
 * A case is in a member of staff's region when the applicant lives there or it was accepted at one of
 * its windows (一窗受理 for a resident of another county): both counties' agents follow it up.
 */
export function withinRegion(staff: Pick<StaffPrincipal, 'regionCode'>, caseDoc: ApplicationCase): boolean {
  return (
    caseDoc.regionCode.startsWith(staff.regionCode) || Boolean(caseDoc.windowRegionCode?.startsWith(staff.regionCode))
  );
}

/** A case is within reach of a member of staff in their region and of their mode (training or not). */
export function withinReach(staff: Pick<StaffPrincipal, 'regionCode' | 'training'>, caseDoc: ApplicationCase): boolean {
  return withinRegion(staff, caseDoc) && sameMode(staff, caseDoc);
}

export function auditFactsOf(staff: StaffPrincipal) {
  return { staffId: staff.staffId, role: staff.role, regionCode: staff.regionCode, training: staff.training };
}

/** What clearing a region's training cases removed (the route adds problems and window visits). */
export interface TrainingCaseCleanup {
  caseNos: string[];
  cases: number;
  caseData: number;
  jobs: number;
  followUps: number;
  notes: number;
  orders: number;
}

export class StaffCaseService {
  readonly notes: CaseNotesModel;
  private readonly caseData: CaseDataModel;
  private readonly followUps: FollowUpModel;
  private readonly applicants: ApplicantModel;
  private readonly orders: PostageModel;

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
    this.caseData = caseDataModel(db);
    this.followUps = followUpModel(db);
    this.applicants = applicantModel(db);
    this.orders = postageModel(db);
  }

  /**
   * Out of the region answers "not found", like a case that does not exist: no hint that it does.
   * Of the other mode (training or real) is refused in so many words, and audited.
   */
  private async reachable(staff: StaffPrincipal, caseNo: string, action: AuditAction): Promise<ApplicationCase> {
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (!caseDoc || !withinRegion(staff, caseDoc))
      throw new AppError('NOT_FOUND', '没有找到这件申请，或不在您负责的地区');
    await requireSameMode(this.audit, staff, caseDoc, { action, caseNo });
    return caseDoc;
  }

  /**
   * A training account finds training cases only; a real account real cases only, or training cases
   * instead when it asks for them explicitly (`training`, a supervisor checking training work).
   */
  async lookup(
    staff: StaffPrincipal,
    query: LookupQuery,
    options: { training?: boolean } = {},
  ): Promise<StaffCaseSummary[]> {
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
      // The applicant's phone or the card's recipient phone (收件人手机号): callers give either.
      const phoneHash = this.cipher.lookupHash('phone', query.phone);
      found = await this.cases
        .find({ $or: [{ phoneHash }, { mailingPhoneHash: phoneHash }] })
        .sort({ createdAt: -1 })
        .limit(MAX_LOOKUP_RESULTS)
        .lean<ApplicationCase[]>();
      target = `phone:${maskPhone(query.phone)}`;
    }
    const asked = { regionCode: staff.regionCode, training: staff.training || options.training === true };
    const visible = found.filter((c) => withinReach(asked, c));
    const what = asked.training && !staff.training ? '培训办件' : '';
    await this.audit.append({
      ...auditFactsOf(staff),
      action: 'lookup',
      target,
      detail: `找到${what} ${visible.length} 件`,
    });
    return visible.map(toStaffSummary);
  }

  async view(staff: StaffPrincipal, caseNo: string): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo, 'view');
    const notes = await this.notes.findById(caseNo).lean<CaseNotes>();
    await this.audit.append({ ...auditFactsOf(staff), action: 'view', caseNo });
    return this.present(caseDoc, notes?.notes ?? []);
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
    const caseDoc = await this.reachable(staff, caseNo, 'view');
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
    const caseDoc = await this.reachable(staff, caseNo, 'reveal');
    const data = await this.engine.readData(caseDoc.caseNo);
    let value: string | undefined;
    if (field === 'name') value = data.applicant.name;
    else if (field === 'idNumber') value = data.applicant.idNumber;
    else if (field === 'phone') value = data.applicant.phone;
    else if (data.card) {
      const address = data.card.mailingAddress;
      value = `${addressText(address)}（收件人 ${address.recipient}，${address.phone}）`;
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
    const caseDoc = await this.reachable(staff, caseNo, 'retry');
    if (caseDoc.matters[matter]?.state !== 'manual') throw new AppError('MATTER_NOT_RETRYABLE');
    const claimed = await this.engine.resume(caseNo, matter);
    if (!claimed) throw new AppError('MATTER_NOT_RETRYABLE');
    await this.supervision.leftManual(claimed, matter);
    this.worker?.nudge();
    await this.audit.append({ ...auditFactsOf(staff), action: 'retry', caseNo, target: matter, reason: reason.trim() });
    return this.viewAfterChange(caseNo);
  }

  async addNote(staff: StaffPrincipal, caseNo: string, text: string): Promise<StaffCaseView> {
    const caseDoc = await this.reachable(staff, caseNo, 'note');
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
    const caseDoc = await this.reachable(staff, caseNo, 'settle');
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
    return this.present(caseDoc, notes?.notes ?? []);
  }

  /** The view, with the names of the clerk and the notes' authors from the staff directory. */
  private async present(caseDoc: ApplicationCase, notes: readonly CaseNote[]): Promise<StaffCaseView> {
    const ids = [...(caseDoc.clerkId ? [caseDoc.clerkId] : []), ...notes.map((n) => n.staffId)];
    return toStaffCaseView(caseDoc, notes, await this.audit.staff.namesOf(ids));
  }

  /**
   * Training cases of a region and what hangs off them, gone (培训数据清除):
   * 1. the cases (a worker in the middle of one finds it gone and stops)
   * 2. their sealed data, queued work, follow-ups and notes
   * 3. the postage and premium orders of training people, of these cases or not yet used by a case
   *    (`alsoApplicants`: the people of the region's training window visits); never a real person's,
   *    even on a training case: that money is real.
   * The counters never counted training cases. Safe to repeat: a second run finds nothing.
   */
  async clearTraining(regionCode: string, alsoApplicants: readonly string[] = []): Promise<TrainingCaseCleanup> {
    const training = await this.cases.find({ training: true }).lean<ApplicationCase[]>();
    const inRegion = training.filter((c) => c.regionCode.startsWith(regionCode));
    const caseNos = inRegion.map((c) => c.caseNo);
    const byCase = { _id: { $in: caseNos } };
    const cases = caseNos.length ? (await this.cases.deleteMany({ ...byCase, training: true })).deletedCount : 0;
    const caseData = caseNos.length ? (await this.caseData.deleteMany(byCase)).deletedCount : 0;
    const jobs = caseNos.length ? (await this.engine.queue.model.deleteMany(byCase)).deletedCount : 0;
    const followUps = caseNos.length ? (await this.followUps.deleteMany(byCase)).deletedCount : 0;
    const notes = caseNos.length ? (await this.notes.deleteMany(byCase)).deletedCount : 0;

    const people = [...new Set([...inRegion.map((c) => c.applicantId), ...alsoApplicants])];
    const trainees = people.length
      ? (await this.applicants.find({ _id: { $in: people } }).lean()).filter((a) => a.training).map((a) => a._id)
      : [];
    const orderIds = trainees.length
      ? (await this.orders.find({ applicantId: { $in: trainees } }).lean())
          .filter((o) => !o.caseNo || caseNos.includes(o.caseNo))
          .map((o) => o._id)
      : [];
    const orders = orderIds.length ? (await this.orders.deleteMany({ _id: { $in: orderIds } })).deletedCount : 0;
    return { caseNos, cases, caseData, jobs, followUps, notes, orders };
  }
}
