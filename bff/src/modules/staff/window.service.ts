// Window acceptance (一窗受理): a clerk serves a citizen who is present. The
// identity is read at the window (the ID card reader, simulated by the
// identity platform's data-sharing look-up), then the same steps as in the
// app — eligibility, face check, postage — and the same one form, submitted
// with channel "window" and the clerk recorded; the engine does the rest.
// A visit ties those steps to the clerk who started it, for two hours.
import { randomBytes } from 'node:crypto';
import {
  describeRegion,
  maskIdNumber,
  maskName,
  maskPhone,
  type ApplicationForm,
  type AuditAction,
  type EligibilityAnswers,
  type EligibilityVerdict,
  type FaceCheckView,
  type PostageView,
  type StaffCaseView,
  type WindowVisitView,
} from '@flexins/shared';
import type { Connection } from 'mongoose';
import type { Departments } from '../../departments';
import type { StaffPrincipal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import type { ApplicationService } from '../applications/application.service';
import { applicantModel, type ApplicantModel, type ApplicantRecord } from '../citizens/applicant.model';
import type { CitizenService } from '../citizens/citizen.service';
import type { EligibilityService } from '../eligibility/eligibility.service';
import type { PostageService } from '../postage/postage.service';
import type { AuditService } from '../audit/audit.service';
import { auditFactsOf } from './staff-case.service';
import { toStaffCaseView } from './staff.presenter';
import { requireSameMode } from './training';
import { windowVisitModel, type WindowVisit, type WindowVisitModel } from './window-visit.model';

export const VISIT_TTL_MS = 2 * 3600_000;

export class WindowService {
  readonly visits: WindowVisitModel;
  private readonly applicants: ApplicantModel;

  constructor(
    db: Connection,
    private readonly departments: Departments,
    private readonly citizens: CitizenService,
    private readonly eligibility: EligibilityService,
    private readonly postage: PostageService,
    private readonly applications: ApplicationService,
    private readonly audit: AuditService,
    private readonly publicUrl: string,
  ) {
    this.visits = windowVisitModel(db);
    this.applicants = applicantModel(db);
  }

  /**
   * 1. read the person from the identity platform  2. only a training person for a training clerk,
   * only a real one for a real clerk  3. keep them sealed as an applicant  4. open a visit.
   */
  async open(clerk: StaffPrincipal, idNumber: string, requestId: string): Promise<WindowVisitView> {
    const read = await this.departments.identity.person(idNumber, { requestId });
    if (read.kind === 'refused') throw new AppError('PERSON_NOT_FOUND');
    if (read.kind === 'failed') {
      throw new AppError('DEPARTMENT_UNAVAILABLE', '统一身份认证平台暂时不可用，无法读取身份信息，请稍后再试');
    }
    const person = read.value.person;
    const target = `idNumber:${maskIdNumber(idNumber)}`;
    await requireSameMode(this.audit, clerk, person, { action: 'windowRead', target });
    const record = await this.citizens.record(person);
    const now = new Date();
    const visit: WindowVisit = {
      _id: `CK${randomBytes(12).toString('hex')}`,
      clerkId: clerk.staffId,
      applicantId: record.applicantId,
      training: clerk.training,
      regionCode: clerk.regionCode,
      createdAt: now,
      expiresAt: new Date(now.getTime() + VISIT_TTL_MS),
    };
    await this.visits.create(visit);
    await this.audit.append({
      ...auditFactsOf(clerk),
      action: 'windowRead',
      target,
    });
    return {
      visitId: visit._id,
      expiresAt: visit.expiresAt.toISOString(),
      training: visit.training,
      person: {
        name: maskName(person.name),
        idNumber: maskIdNumber(person.idNumber),
        phone: maskPhone(person.phone),
        sex: person.sex === 'male' ? '男' : '女',
        birthDate: person.birthDate,
        ethnicity: person.ethnicity,
        household: { regionCode: person.household.regionCode, regionName: describeRegion(person.household.regionCode) },
        ...(person.residencePermit
          ? {
              residencePermit: {
                regionCode: person.residencePermit.regionCode,
                regionName: describeRegion(person.residencePermit.regionCode),
                validUntil: person.residencePermit.validUntil,
              },
            }
          : {}),
      },
    };
  }

  /**
   * The clerk's own visit, not expired; anything else is "not found". The person served must be
   * of the clerk's mode still (a visit opened before training was checked could hold a real person).
   */
  private async visit(clerk: StaffPrincipal, visitId: string, action: AuditAction): Promise<WindowVisit> {
    const visit = await this.visits.findById(visitId).lean<WindowVisit>();
    if (!visit || visit.clerkId !== clerk.staffId || new Date(visit.expiresAt).getTime() < Date.now()) {
      throw new AppError('WINDOW_VISIT_NOT_FOUND');
    }
    const person = await this.applicants.findById(visit.applicantId).lean<ApplicantRecord>();
    await requireSameMode(this.audit, clerk, person ?? {}, { action, target: `visit:${visit._id}` });
    return visit;
  }

  async checkEligibility(
    clerk: StaffPrincipal,
    visitId: string,
    answers: EligibilityAnswers,
    requestId: string,
  ): Promise<EligibilityVerdict> {
    const visit = await this.visit(clerk, visitId, 'windowRead');
    return this.eligibility.check(visit.applicantId, answers, requestId);
  }

  async faceCheck(
    clerk: StaffPrincipal,
    visitId: string,
    attemptKey: string,
    requestId: string,
  ): Promise<FaceCheckView> {
    const visit = await this.visit(clerk, visitId, 'windowRead');
    return this.citizens.faceCheck(visit.applicantId, requestId, attemptKey);
  }

  /** The citizen pays the 5.8 yuan at the cashier on their phone (the clerk shows its address as a QR code). */
  async orderPostage(clerk: StaffPrincipal, visitId: string, requestId: string): Promise<PostageView> {
    const visit = await this.visit(clerk, visitId, 'windowSubmit');
    // The citizen pays on their own phone; the cashier sends it back to our home page, which tells them what next.
    return this.postage.create(visit.applicantId, `${this.publicUrl}/pages/index/index?from=window`, requestId);
  }

  async postageStatus(
    clerk: StaffPrincipal,
    visitId: string,
    orderId: string,
    requestId: string,
  ): Promise<PostageView> {
    const visit = await this.visit(clerk, visitId, 'windowSubmit');
    return this.postage.status(visit.applicantId, orderId, requestId);
  }

  async submit(
    clerk: StaffPrincipal,
    visitId: string,
    form: ApplicationForm,
    clientKey: string,
    requestId: string,
  ): Promise<{ created: boolean; view: StaffCaseView }> {
    const visit = await this.visit(clerk, visitId, 'windowSubmit');
    const { created, caseDoc } = await this.applications.submit({
      applicantId: visit.applicantId,
      clientKey: `window-${clientKey}`,
      form,
      requestId,
      channel: 'window',
      clerkId: clerk.staffId,
      windowRegionCode: clerk.regionCode,
      training: visit.training,
    });
    if (created) {
      await this.audit.append({ ...auditFactsOf(clerk), action: 'windowSubmit', caseNo: caseDoc.caseNo });
    }
    // The acceptance slip names the clerk (经办人).
    return { created, view: toStaffCaseView(caseDoc, [], await this.audit.staff.namesOf([clerk.staffId])) };
  }

  /** The training visits of a region (older ones without a region: the province's), and who was served in them. */
  async clearTraining(regionCode: string): Promise<{ visits: number; applicantIds: string[] }> {
    const training = await this.visits.find({ training: true }).lean<WindowVisit[]>();
    const inRegion = training.filter((v) => (v.regionCode ?? '64').startsWith(regionCode));
    if (inRegion.length === 0) return { visits: 0, applicantIds: [] };
    const removed = await this.visits.deleteMany({ _id: { $in: inRegion.map((v) => v._id) }, training: true });
    return { visits: removed.deletedCount, applicantIds: [...new Set(inRegion.map((v) => v.applicantId))] };
  }
}
