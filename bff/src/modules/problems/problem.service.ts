// The one place problems enter the list — a citizen's report or a 1–2
// rating — and how supervisors work through it, overdue first.
import { randomBytes } from 'node:crypto';
import {
  addWorkingDays,
  chinaToday,
  describeRegion,
  scrubPersonalData,
  type ProblemList,
  type ProblemView,
  type ReportReceipt,
} from '@flexins/shared';
import type { Connection } from 'mongoose';
import type { StaffPrincipal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import type { ApplicationCase } from '../applications/application.model';
import type { ApplicationListener, RatingRecord } from '../applications/application.service';
import {
  PROBLEM_CATEGORIES,
  PROBLEM_STATUSES,
  PROBLEM_WORKING_DAYS,
  problemModel,
  type ProblemCategory,
  type ProblemItem,
  type ProblemModel,
  type ProblemStatus,
} from './problem.model';

export interface ProblemReport {
  category: Exclude<ProblemCategory, 'badRating'>;
  text: string;
  caseNo?: string;
}

export interface ProblemUpdate {
  owner?: string;
  status?: ProblemStatus;
  fix?: string;
}

export function newProblemId(now: Date): string {
  return `WT${chinaToday(now).replace(/-/g, '')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function isOverdue(item: Pick<ProblemItem, 'status' | 'deadline'>, today: string): boolean {
  return item.status !== 'resolved' && item.deadline < today;
}

/** Overdue first, then by deadline; resolved ones last, newest first. */
export function problemOrder(today: string) {
  return (a: ProblemItem, b: ProblemItem): number => {
    const rank = (p: ProblemItem) => (isOverdue(p, today) ? 0 : p.status === 'resolved' ? 2 : 1);
    return (
      rank(a) - rank(b) ||
      (rank(a) === 2
        ? new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime()
        : a.deadline.localeCompare(b.deadline))
    );
  };
}

function toView(item: ProblemItem, today: string): ProblemView {
  return {
    problemId: item._id,
    source: item.source,
    sourceLabel: item.source === 'rating' ? '差评' : '群众反映',
    ...(item.caseNo ? { caseNo: item.caseNo } : {}),
    ...(item.regionCode ? { regionCode: item.regionCode, regionName: describeRegion(item.regionCode) } : {}),
    category: item.category,
    categoryLabel: PROBLEM_CATEGORIES[item.category] ?? item.category,
    text: scrubPersonalData(item.text),
    ...(item.score !== undefined ? { score: item.score } : {}),
    status: item.status,
    statusLabel: PROBLEM_STATUSES[item.status],
    ...(item.owner ? { owner: item.owner } : {}),
    deadline: item.deadline,
    overdue: isOverdue(item, today),
    ...(item.fix ? { fix: scrubPersonalData(item.fix) } : {}),
    training: item.training,
    createdAt: new Date(item.createdAt).toISOString(),
    ...(item.resolvedAt ? { resolvedAt: new Date(item.resolvedAt).toISOString() } : {}),
  };
}

/** A member of staff sees items of their own region and mode (training or not). */
export function withinReach(staff: Pick<StaffPrincipal, 'regionCode' | 'training'>, item: ProblemItem): boolean {
  if (item.training !== staff.training) return false;
  if (!item.regionCode) return staff.regionCode === '64';
  return item.regionCode.startsWith(staff.regionCode);
}

export class ProblemService implements ApplicationListener {
  readonly problems: ProblemModel;

  constructor(db: Connection) {
    this.problems = problemModel(db);
  }

  private async raise(fields: Omit<ProblemItem, '_id' | 'status' | 'deadline' | 'createdAt' | 'updatedAt'>) {
    const now = new Date();
    const item: ProblemItem = {
      _id: newProblemId(now),
      ...fields,
      status: 'open',
      deadline: addWorkingDays(chinaToday(now), PROBLEM_WORKING_DAYS),
      createdAt: now,
      updatedAt: now,
    };
    await this.problems.create(item);
    return item;
  }

  /** 好差评: a 1–2 rating opens a follow-up item (回访整改). */
  async caseRated(caseDoc: ApplicationCase, rating: RatingRecord): Promise<void> {
    if (rating.score > 2) return;
    await this.raise({
      source: 'rating',
      caseNo: caseDoc.caseNo,
      regionCode: caseDoc.regionCode,
      applicantId: caseDoc.applicantId,
      category: 'badRating',
      text: rating.comment ?? `评价 ${rating.score} 星`,
      score: rating.score,
      training: caseDoc.training,
    });
  }

  /** 我要反映问题: about `ownCase` (the one named, else their latest), so it lands in that case's region. */
  async report(applicantId: string, report: ProblemReport, ownCase?: ApplicationCase): Promise<ReportReceipt> {
    const item = await this.raise({
      source: 'report',
      ...(ownCase ? { caseNo: ownCase.caseNo, regionCode: ownCase.regionCode } : {}),
      applicantId,
      category: report.category,
      text: report.text.trim(),
      training: ownCase?.training ?? false,
    });
    return {
      problemId: item._id,
      deadline: item.deadline,
      message: `已收到您反映的问题，编号 ${item._id}，我们会在 ${item.deadline} 前处理并回复您；着急可拨打 12345。`,
    };
  }

  /**
   * The list as a supervisor sees it. The problem list is small next to the
   * cases (one item per complaint), so it is read whole and sorted here.
   */
  async list(
    staff: Pick<StaffPrincipal, 'regionCode' | 'training'>,
    filter: { status?: ProblemStatus; source?: ProblemItem['source']; overdueOnly?: boolean },
    limit: number,
  ): Promise<ProblemList> {
    const today = chinaToday();
    const found = await this.problems
      .find({
        training: staff.training,
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.source ? { source: filter.source } : {}),
      })
      .lean<ProblemItem[]>();
    const reachable = found.filter((p) => withinReach(staff, p));
    const chosen = filter.overdueOnly ? reachable.filter((p) => isOverdue(p, today)) : reachable;
    chosen.sort(problemOrder(today));
    return {
      items: chosen.slice(0, limit).map((p) => toView(p, today)),
      total: chosen.length,
      overdue: reachable.filter((p) => isOverdue(p, today)).length,
    };
  }

  async get(staff: Pick<StaffPrincipal, 'regionCode' | 'training'>, problemId: string): Promise<ProblemItem> {
    const item = await this.problems.findById(problemId).lean<ProblemItem>();
    if (!item || !withinReach(staff, item)) throw new AppError('NOT_FOUND', '没有找到这个问题清单事项');
    return item;
  }

  /** Owner, status and fix; "resolved" needs the fix written down. */
  async update(
    staff: Pick<StaffPrincipal, 'regionCode' | 'training'>,
    problemId: string,
    change: ProblemUpdate,
  ): Promise<ProblemView> {
    const item = await this.get(staff, problemId);
    const fix = change.fix?.trim() || item.fix;
    if (change.status === 'resolved' && !fix) {
      throw new AppError('VALIDATION_FAILED', undefined, { fix: '请填写整改情况：标记为已整改前要写明如何解决的' });
    }
    const now = new Date();
    const set: Partial<ProblemItem> = {
      updatedAt: now,
      ...(change.owner !== undefined ? { owner: change.owner.trim() } : {}),
      ...(change.status ? { status: change.status } : {}),
      ...(change.fix !== undefined ? { fix: change.fix.trim() } : {}),
      ...(change.status === 'resolved' && item.status !== 'resolved' ? { resolvedAt: now } : {}),
    };
    const updated = await this.problems
      .findOneAndUpdate({ _id: problemId }, { $set: set }, { new: true })
      .lean<ProblemItem>();
    if (!updated) throw new AppError('NOT_FOUND', '没有找到这个问题清单事项');
    return toView(updated, chinaToday());
  }

  /** The overdue-first follow-ups of bad ratings, for the dashboard. */
  async followUps(staff: Pick<StaffPrincipal, 'regionCode' | 'training'>, limit: number): Promise<ProblemList> {
    return this.list(staff, { source: 'rating' }, limit);
  }

  async clearTraining(caseNos: ReadonlySet<string>, regionCode: string): Promise<number> {
    const found = await this.problems.find({ training: true }).lean<ProblemItem[]>();
    const ids = found
      .filter((p) => (p.caseNo && caseNos.has(p.caseNo)) || (p.regionCode ?? '64').startsWith(regionCode))
      .map((p) => p._id);
    if (ids.length === 0) return 0;
    return (await this.problems.deleteMany({ _id: { $in: ids } })).deletedCount;
  }
}
