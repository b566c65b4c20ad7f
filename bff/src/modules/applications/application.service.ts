// Submission of the one form (一表申请) and what the applicant does with the
// case afterwards: see it, pay the first premium, rate the service.
import { caseDataModel } from './case-data.model';
import {
  MATTERS,
  NOTICE,
  assessedPremium,
  checkSubmission,
  premiumSubject,
  cityOf,
  maskIdNumber,
  maskName,
  maskPhone,
  toApplicationData,
  type ApplicationForm,
  type MatterId,
  type PostageView,
  type TaxAssessment,
} from '@flexins/shared';
import { NumberBlocks } from '@flexins/shared/server';
import type { Connection } from 'mongoose';
import type { Departments } from '../../departments';
import type { FieldCipher } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import { submissionFacts, type CitizenService } from '../citizens/citizen.service';
import type { FollowUpService } from '../followups/follow-up.service';
import type { PostageOrder } from '../postage/postage.model';
import type { PostageService } from '../postage/postage.service';
import type { ProcessingEngine } from '../processing/engine';
import type { Worker } from '../processing/worker';
import { caseModel, type ApplicationCase, type CaseModel, type MatterRecord } from './application.model';

export interface SubmitOptions {
  applicantId: string;
  clientKey: string;
  form: ApplicationForm;
  requestId: string;
  channel?: 'app' | 'window';
  clerkId?: string;
  /** The county (or city) of the window that accepted it, when a clerk submits (一窗受理). */
  windowRegionCode?: string;
  training?: boolean;
}

export type SubmitResult = { created: boolean; caseDoc: ApplicationCase };

export interface RatingRecord {
  score: number;
  comment?: string;
  ratedAt: Date;
}

/** Told when a case is created or rated: the statistics and the problem list. */
export interface ApplicationListener {
  /** A case stored without its first wave marked (a department known down); the engine counts the others with their first run. */
  caseCreated?(caseDoc: ApplicationCase): Promise<void>;
  caseRated?(caseDoc: ApplicationCase, rating: RatingRecord): Promise<void>;
  /** The first premium paid: the premium declaration went from decided (待缴费) to delivered. */
  premiumPaid?(caseDoc: ApplicationCase): Promise<void>;
}

/**
 * A postage order tied to a case number whose case was not stored this long after (its submission
 * stopped, and was not repeated): another submission of the applicant may use it. Far longer than a
 * submission takes between the claim and storing its case.
 */
const ABANDONED_CLAIM_MS = 10 * 60 * 1000;

export class ApplicationService {
  readonly cases: CaseModel;
  private readonly listeners: ApplicationListener[] = [];
  /** Case numbers (办件编号) from blocks of 20 reserved at once: a write per 20 cases, not per case. */
  private readonly caseNumbers: NumberBlocks;

  constructor(
    private readonly db: Connection,
    private readonly citizens: CitizenService,
    private readonly postage: PostageService,
    private readonly departments: Departments,
    private readonly cipher: FieldCipher,
    private readonly engine: ProcessingEngine,
    private readonly worker: Worker | undefined,
    private readonly followUps: FollowUpService,
  ) {
    this.cases = caseModel(db);
    this.caseNumbers = new NumberBlocks(db, 'LJ');
  }

  listen(listener: ApplicationListener): void {
    this.listeners.push(listener);
  }

  /**
   * 1. the same submission again → the first case  2. the notice version agreed to
   * 3. eligibility, face check, postage  4. seal and store the case  5. start the work.
   */
  async submit(options: SubmitOptions): Promise<SubmitResult> {
    const { applicantId, clientKey, form, requestId } = options;
    const submissionKey = `${applicantId}:${clientKey}`;
    const { record, applicant } = await this.citizens.load(applicantId);
    // The person's newest case answers a repeat of this submission, or is the open case to point to.
    const newest = record.latestCaseNo ? await this.cases.findById(record.latestCaseNo).lean<ApplicationCase>() : null;
    if (newest?.submissionKey === submissionKey) {
      // The first attempt may have stopped before it linked the postage or queued the work.
      if (newest.postage) await this.postage.attach(newest.postage.orderId, newest.caseNo);
      await this.engine.ensureQueued(newest);
      return { created: false, caseDoc: newest };
    }
    if (!options.training && newest?.openCaseKey === applicantId) {
      throw new AppError('OPEN_CASE_EXISTS', undefined, undefined, { caseNo: newest.caseNo });
    }

    if (form.consent.noticeVersion !== NOTICE.version) throw new AppError('NOTICE_OUTDATED');

    const blocker = checkSubmission(submissionFacts(record), Date.now()).blockers[0];
    if (blocker) throw new AppError(blocker.code, blocker.message);
    const eligibility = record.eligibility!;
    if (eligibility.answers.employmentType !== form.employment.type) {
      throw new AppError('VALIDATION_FAILED', undefined, {
        'employment.type': '就业形式与申报条件核验时的回答不一致，请重新核验',
      });
    }
    // The face check of this very form (a newer one elsewhere means this page is out of date).
    if (record.faceCheck!.checkId !== form.faceCheckId) {
      throw new AppError('FACE_CHECK_REQUIRED', '人脸核验已在别处重新做过，请刷新页面后再提交');
    }

    const verdict = eligibility.verdict;
    const wantsCard = verdict.matters.socialSecurityCard === 'apply';
    if (wantsCard && !form.card) throw new AppError('CARD_DETAILS_REQUIRED');

    const data = toApplicationData(applicant, wantsCard ? form : { ...form, card: undefined });
    const now = new Date();
    let caseNo = await this.caseNumbers.next(now);
    let postage: ApplicationCase['postage'];
    if (wantsCard) {
      // The paid postage order checked and tied to this case number in one write.
      let order = await this.postage.claim(applicantId, form.postageOrderId, { caseNo, submissionKey }, requestId);
      if (order.caseNo !== caseNo && order.claimedBy !== submissionKey) {
        const used = await this.cases.findById(order.caseNo).lean<ApplicationCase>();
        // A double tap (a case stored before claims): the other request of this very submission got there first.
        if (used?.submissionKey === submissionKey) return { created: false, caseDoc: used };
        const abandoned =
          !used && order.claimedAt && Date.now() - new Date(order.claimedAt).getTime() > ABANDONED_CLAIM_MS;
        if (!abandoned) throw new AppError('POSTAGE_NOT_PAID', '这笔邮寄费已用于另一件申请，请重新支付');
        await this.postage.unclaim(order.orderId, order.caseNo!);
        order = await this.postage.claim(applicantId, form.postageOrderId, { caseNo, submissionKey }, requestId);
        if (order.caseNo !== caseNo) throw new AppError('POSTAGE_NOT_PAID', '这笔邮寄费已用于另一件申请，请重新支付');
      }
      // Tied by an earlier attempt of this submission (a double tap, a retry after a crash): its case number.
      caseNo = order.caseNo!;
      postage = {
        orderId: order.orderId,
        amountFen: order.amountFen,
        ...(order.paidAt ? { paidAt: order.paidAt } : {}),
      };
    }
    const matters = {} as Record<MatterId, MatterRecord>;
    for (const { id, dependsOn } of MATTERS) {
      const planned = verdict.matters[id];
      matters[id] = {
        state: planned === 'notNeeded' ? 'notNeeded' : dependsOn.length === 0 ? 'accepted' : 'waiting',
        ...(planned === 'notNeeded' ? { cause: '您已持有宁夏社会保障卡，无需申领' } : {}),
        attempts: 0,
        refs: {},
        updatedAt: now,
      };
    }
    const city = cityOf(form.residenceRegionCode);
    const offlineNotes = verdict.offline.map((o) => `${o.what}：请到${o.where}办理（${o.hours}，咨询电话 ${o.phone}）`);
    const fields: ApplicationCase = {
      _id: caseNo,
      caseNo,
      submissionKey,
      openCaseKey: options.training ? `training:${caseNo}` : applicantId,
      applicantId,
      channel: options.channel ?? 'app',
      ...(options.clerkId ? { clerkId: options.clerkId } : {}),
      ...(options.windowRegionCode ? { windowRegionCode: options.windowRegionCode } : {}),
      training: options.training ?? false,
      regionCode: form.residenceRegionCode,
      cityCode: city?.code ?? form.residenceRegionCode.slice(0, 4),
      employmentType: form.employment.type,
      idNumberHash: this.cipher.lookupHash('idNumber', applicant.idNumber),
      phoneHash: this.cipher.lookupHash('phone', applicant.phone),
      ...(form.card ? { mailingPhoneHash: this.cipher.lookupHash('phone', form.card.mailingAddress.phone) } : {}),
      nameMasked: maskName(applicant.name),
      idNumberMasked: maskIdNumber(applicant.idNumber),
      phoneMasked: maskPhone(applicant.phone),
      consent: { noticeVersion: form.consent.noticeVersion, agreedAt: now },
      faceCheckId: form.faceCheckId,
      ...(postage ? { postage } : {}),
      offlineNotes,
      matters,
      events: [{ at: now, text: `申请已提交，办件编号 ${caseNo}` }, ...offlineNotes.map((text) => ({ at: now, text }))],
      status: 'processing',
      createdAt: now,
      updatedAt: now,
    };

    // The case is stored with its first wave marked under review (no marking write after). This process's
    // worker, when it has room, runs it at once: its job made leased to this process, the case and its data
    // handed over (no lease to take, nothing to read back); else any worker takes it from the queue and, on
    // the job's first lease, calls the marked wave.
    const firstWave = this.engine.markFirstWave(fields);
    const runHere = this.worker?.hasRoom() ? firstWave : undefined;
    const caseFields = firstWave.caseDoc;

    // The data first: a case is never without it (a case number it was written for and not used is harmless;
    // an earlier attempt of this submission under the same number wrote it already: this one's stands).
    const sealed = this.cipher.encryptJson(data);
    await caseDataModel(this.db)
      .create({ _id: caseNo, sealed, createdAt: now })
      .catch(async (err: unknown) => {
        if ((err as { code?: number }).code !== 11000) throw err;
        await caseDataModel(this.db).updateOne({ _id: caseNo }, { $set: { sealed } });
      });
    // The follow-up after delivery (跟踪回访) before the case too: every stored case has one, whenever a
    // crash comes; one whose case never came is dropped by its first check.
    await this.followUps.open(caseNo, now);
    let caseDoc: ApplicationCase;
    try {
      caseDoc = (await this.cases.create(caseFields)).toObject();
    } catch (err) {
      // FerretDB's duplicate-key error does not say which index: look (a rare race, so a scan is fine).
      if ((err as { code?: number }).code !== 11000) throw err;
      const first = await this.cases.findOne({ submissionKey }).lean<ApplicationCase>();
      if (first) {
        // The first attempt may have stopped before it noted the case: note it now.
        if (!first.training) await this.citizens.noteCase(applicantId, first.caseNo, record.latestCaseNo);
        await this.engine.ensureQueued(first);
        return { created: false, caseDoc: first };
      }
      const open = await this.cases.findOne({ openCaseKey: applicantId }).lean<ApplicationCase>();
      if (open) {
        // This case is not stored: its postage is free for the next.
        if (postage) await this.postage.unclaim(postage.orderId, caseNo);
        throw new AppError('OPEN_CASE_EXISTS', undefined, undefined, { caseNo: open.caseNo });
      }
      throw err;
    }
    if (!options.training) await this.citizens.noteCase(applicantId, caseNo);
    const lease = runHere ? await this.engine.queue.enqueueLeased(caseNo, this.engine.options.leaseMs) : undefined;
    if (lease) await this.worker!.adopt(lease, { caseDoc, data, marked: runHere!.marked });
    else {
      await this.engine.start(caseNo);
      this.worker?.nudge();
    }
    // A case stored with its first wave marked is counted as submitted by that wave's run, with its changes
    // (one counter write for both: the engine's mattersChanged); one without, now.
    if (firstWave.marked.length === 0) for (const listener of this.listeners) await listener.caseCreated?.(caseDoc);
    return { created: true, caseDoc };
  }

  /** The applicant's own case; another person's is "not found", never "forbidden". */
  async ownCase(applicantId: string, caseNo: string): Promise<ApplicationCase> {
    // Through the driver (the progress page's read, every second or so): the same raw document as
    // findById().lean(), without mongoose's query building and casting (about 5 % of a read's CPU).
    const caseDoc = await this.cases.collection.findOne<ApplicationCase>({ _id: caseNo as never });
    if (!caseDoc || caseDoc.applicantId !== applicantId) throw new AppError('NOT_FOUND', '没有找到这件申请');
    return caseDoc;
  }

  async latest(applicantId: string): Promise<ApplicationCase | null> {
    const { record } = await this.citizens.load(applicantId);
    if (!record.latestCaseNo) return null;
    return this.cases.findById(record.latestCaseNo).lean<ApplicationCase>();
  }

  /**
   * The first premium at the host app's cashier, like the postage: an order for
   * the assessed amount and months (one per case), paid at the cashier page or
   * the host's payment sheet, never on a single tap here.
   */
  async orderPremium(applicantId: string, caseNo: string, returnUrl: string, requestId: string): Promise<PostageView> {
    const caseDoc = await this.ownCase(applicantId, caseNo);
    if (caseDoc.matters.premiumDeclaration.state === 'delivered') throw new AppError('PREMIUM_ALREADY_PAID');
    const due = premiumDue(caseDoc);
    return this.postage.createPremium(
      {
        applicantId,
        caseNo,
        amountFen: due.assessment.totalFen,
        subject: premiumSubject(assessedPremium(due.assessment, due.periodStart, due.periodEnd)),
      },
      returnUrl,
      requestId,
    );
  }

  /** Back from the cashier: a premium paid there is entered with the tax system (once), for its receipt. */
  async confirmPremium(applicantId: string, caseNo: string, requestId: string): Promise<ApplicationCase> {
    const caseDoc = await this.ownCase(applicantId, caseNo);
    if (caseDoc.matters.premiumDeclaration.state === 'delivered') return caseDoc;
    premiumDue(caseDoc);
    const order = await this.postage.premiumStatus(caseNo, requestId);
    if (order?.status !== 'paid') throw new AppError('PREMIUM_NOT_PAID');
    await this.settlePremium(order, requestId);
    return this.ownCase(applicantId, caseNo);
  }

  /**
   * A premium paid at the cashier, entered with the tax system for the receipt.
   * Safe to repeat (the same idempotency key; the tax system answers a paid
   * declaration with its receipt): the notification and the citizen's return both call it.
   */
  async settlePremium(order: PostageOrder, requestId: string): Promise<void> {
    const caseNo = order.caseNo!;
    const caseDoc = await this.cases.findById(caseNo).lean<ApplicationCase>();
    // A training case cleared meanwhile: nothing is left to settle.
    if (!caseDoc || caseDoc.matters.premiumDeclaration.state === 'delivered') return;
    const due = premiumDue(caseDoc);
    const paid = await this.departments.tax.pay(
      { declarationNo: due.declarationNo, amountFen: order.amountFen, channel: 'app' },
      { requestId, idempotencyKey: `${caseNo}:premiumPayment` },
    );
    let receipt: Record<string, unknown>;
    if (paid.kind === 'done') receipt = paid.value as unknown as Record<string, unknown>;
    else if (paid.kind === 'refused' && paid.code === 'ALREADY_PAID' && paid.details) receipt = paid.details;
    else if (paid.kind === 'refused') throw new AppError('PREMIUM_AMOUNT_MISMATCH', paid.message);
    else throw new AppError('DEPARTMENT_UNAVAILABLE', '您已付款，税务系统暂时没有确认，请稍后刷新查看（不会重复扣款）');

    const now = new Date();
    const entered = await this.cases.updateOne(
      { _id: caseNo, 'matters.premiumDeclaration.state': 'decided' },
      {
        $set: {
          'matters.premiumDeclaration.state': 'delivered',
          'matters.premiumDeclaration.deliveredAt': now,
          'matters.premiumDeclaration.updatedAt': now,
          'matters.premiumDeclaration.refs.receiptNo': String(receipt.receiptNo),
          'matters.premiumDeclaration.result.receipt': receipt,
        },
        $push: {
          events: {
            at: now,
            matter: 'premiumDeclaration',
            state: 'delivered',
            text: `首期社会保险费已缴纳，电子票据号 ${String(receipt.receiptNo)}`,
          },
        },
      },
    );
    // Only the write that made it paid tells the listeners: a repeat counts nothing twice.
    if (entered.modifiedCount === 1) for (const listener of this.listeners) await listener.premiumPaid?.(caseDoc);
    const after = await this.cases.findById(caseNo).lean<ApplicationCase>();
    if (after) await this.engine.settleCase(after);
  }

  /** 好差评: once per completed case; the listeners count it, and a 1–2 rating opens a follow-up item. */
  async rate(
    applicantId: string,
    caseNo: string,
    score: number,
    comment: string | undefined,
  ): Promise<ApplicationCase> {
    const caseDoc = await this.ownCase(applicantId, caseNo);
    if (caseDoc.status !== 'completed') throw new AppError('RATING_NOT_ALLOWED');
    const rating: RatingRecord = { score, ...(comment ? { comment } : {}), ratedAt: new Date() };
    const rated = await this.cases.updateOne({ _id: caseNo, rating: { $exists: false } }, { $set: { rating } });
    if (rated.modifiedCount !== 1) throw new AppError('ALREADY_RATED');
    for (const listener of this.listeners) await listener.caseRated?.(caseDoc, rating);
    return this.ownCase(applicantId, caseNo);
  }
}

interface PremiumDue {
  declarationNo: string;
  assessment: TaxAssessment;
  periodStart: string;
  periodEnd: string;
}

/** The assessed first premium of a case; refused while the tax system has not assessed it. */
function premiumDue(caseDoc: ApplicationCase): PremiumDue {
  const matter = caseDoc.matters.premiumDeclaration;
  const declarationNo = matter.refs.declarationNo;
  const result = matter.result as Partial<Omit<PremiumDue, 'declarationNo'>> | undefined;
  if (matter.state !== 'decided' || !declarationNo || !result?.assessment || !result.periodStart || !result.periodEnd) {
    throw new AppError('PREMIUM_NOT_READY');
  }
  return { declarationNo, assessment: result.assessment, periodStart: result.periodStart, periodEnd: result.periodEnd };
}
