// Eligibility (申报条件): the plain answers plus the automatic checks against
// the departments — cross-province and medical enrollment, card holding, the
// businesses registered at market regulation — and age and residence from the
// identity data. The rules themselves are data in
// shared/src/eligibility-rules.ts.
import {
  chinaToday,
  ELIGIBILITY_VALID_MS,
  evaluateEligibility,
  type EligibilityAnswers,
  type EligibilityVerdict,
  type LastEligibility,
} from '@flexins/shared';
import type { Departments } from '../../departments';
import { AppError } from '../../platform/errors';
import type { ApplicantModel, ApplicantRecord } from '../citizens/applicant.model';
import type { CitizenService } from '../citizens/citizen.service';
import { storedVerdict, verdictOf } from './stored-verdict';

export class EligibilityService {
  constructor(
    private readonly applicants: ApplicantModel,
    private readonly citizens: CitizenService,
    private readonly departments: Departments,
  ) {}

  async latest(applicantId: string): Promise<LastEligibility | null> {
    const record = await this.applicants
      .findById(applicantId, { eligibility: 1 })
      .lean<Pick<ApplicantRecord, 'eligibility'>>();
    const last = record?.eligibility;
    if (!last) return null;
    const checkedAt = new Date(last.checkedAt).getTime();
    if (Date.now() - checkedAt > ELIGIBILITY_VALID_MS) return null;
    return {
      answers: last.answers,
      verdict: verdictOf(last.verdict),
      checkedAt: new Date(checkedAt).toISOString(),
      validUntil: new Date(checkedAt + ELIGIBILITY_VALID_MS).toISOString(),
    };
  }

  async check(applicantId: string, answers: EligibilityAnswers, requestId: string): Promise<EligibilityVerdict> {
    const { record, applicant } = await this.citizens.load(applicantId);
    const meta = { requestId };
    // The four look-ups are independent: ask them at once.
    const [hrss, medical, card, market] = await Promise.all([
      this.departments.hrss.enrollments(applicant.idNumber, meta),
      this.departments.medical.enrollments(applicant.idNumber, meta),
      this.departments.hrss.card(applicant.idNumber, meta),
      this.departments.market.registrations(applicant.idNumber, meta),
    ]);
    const unanswered = [
      ...([hrss, medical, card].some((r) => r.kind !== 'done') ? ['人社、医保部门核对您的参保情况'] : []),
      ...(market.kind !== 'done' ? ['市场监管部门核对您的经营登记情况'] : []),
    ];
    if (unanswered.length > 0) {
      throw new AppError(
        'DEPARTMENT_UNAVAILABLE',
        `暂时无法向${unanswered.join('，也无法向')}，请稍后再试；如多次失败请拨打 12333`,
      );
    }
    const verdict = evaluateEligibility(
      {
        answers,
        person: {
          birthDate: applicant.birthDate,
          sex: applicant.sex,
          household: { regionCode: applicant.household.regionCode },
          ...(applicant.residencePermit ? { residencePermit: applicant.residencePermit } : {}),
        },
        enrollments: [
          ...(hrss.kind === 'done' ? hrss.value.enrollments : []),
          ...(medical.kind === 'done' ? medical.value.enrollments : []),
        ],
        holdsNingxiaCard: card.kind === 'done' && card.value.holdsNingxiaCard,
        businesses: market.kind === 'done' ? market.value.businesses : [],
        ...(record.faceCheck ? { faceCheckPassed: record.faceCheck.passed } : {}),
      },
      chinaToday(),
    );
    await this.applicants.updateOne(
      { _id: applicantId },
      { $set: { eligibility: { answers, verdict: storedVerdict(verdict), checkedAt: new Date() } } },
    );
    return verdict;
  }
}
