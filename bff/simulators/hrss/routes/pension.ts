// 社会保险登记: the flexible worker joins the enterprise-employee basic
// pension (企业职工基本养老保险，灵活就业人员) at a contribution grade.
import {
  HRSS_PENSION_REGISTRATION_REPLY,
  HRSS_PENSION_REGISTRATION_REQUEST,
  type HrssPensionRegistrationReply,
  type HrssPensionRegistrationRequest,
} from '@flexins/shared';
import { chinaToday, monthlyPremium } from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { checkIdNumber, createOnce, fail } from '../checks';
import { hrssModels, type PensionRegistrationRecord } from '../models';
import { activeEmployeeInsurance, activePension, blockingDetails, describeActive, enrollmentsOf } from '../people';
import { requireEmploymentRegistration } from './employment';
import { insertRecord } from '../../common/records';

function alreadyRegistered(existing: Pick<PensionRegistrationRecord, 'pensionRegistrationNo'>) {
  return fail('ALREADY_REGISTERED', {
    message: `您已办理灵活就业人员社会保险登记（登记编号 ${existing.pensionRegistrationNo}），无需重复办理`,
    details: { pensionRegistrationNo: existing.pensionRegistrationNo },
  });
}

export const pensionRegistration: SimRoute<HrssPensionRegistrationRequest, HrssPensionRegistrationReply> = {
  method: 'POST',
  path: '/hrss/v1/pension-registrations',
  operationId: 'registerPension',
  summary: '社会保险登记（灵活就业人员参加企业职工基本养老保险）',
  write: true,
  request: HRSS_PENSION_REGISTRATION_REQUEST,
  reply: HRSS_PENSION_REGISTRATION_REPLY,
  errors: ['ALREADY_REGISTERED', 'ONGOING_INSURANCE', 'ACTIVE_EMPLOYEE_INSURANCE', 'EMPLOYMENT_NOT_REGISTERED'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps }) {
    const now = deps.now();
    const models = hrssModels(deps.db);
    checkIdNumber(input.idNumber, now);

    // 1. a second registration is recognised before any rule
    const existing = await models.PensionRegistration.findOne({ idNumber: input.idNumber }).lean();
    if (existing) throw alreadyRegistered(existing);

    // 2. rule 2, on this system's records only: no ongoing pension of any kind.
    // Medical enrollments are the medical system's to judge (it registers in
    // parallel, so its fresh flexible medical record must not block this).
    const facts = await enrollmentsOf(models, input.idNumber);
    const pensions = activePension(facts);
    if (pensions.length) {
      throw fail('ONGOING_INSURANCE', {
        message: `您${describeActive(pensions)}，不能再以灵活就业人员身份参加养老保险；请先办理停保或转移接续，或到人社窗口咨询 12333`,
        details: blockingDetails(pensions),
      });
    }

    // 3. rule 1 still holds: employee or institution medical anywhere
    const employee = activeEmployeeInsurance(facts);
    if (employee.length) {
      throw fail('ACTIVE_EMPLOYEE_INSURANCE', {
        message: `您${describeActive(employee)}，不能以灵活就业人员身份办理社会保险登记；请先办理停保，或到人社窗口咨询 12333`,
        details: blockingDetails(employee),
      });
    }

    // 4. after the employment registration, and only the applicant's own
    await requireEmploymentRegistration(deps.db, input.idNumber, input.employmentRegistrationNo);

    // 5. register at the chosen grade
    const premium = monthlyPremium(input.baseGradePercent);
    const [pensionRegistrationNo, personalRecordNo] = await Promise.all([
      nextNumber(deps.db, 'YL', now),
      nextNumber(deps.db, 'GR', now),
    ]);
    await createOnce(
      () =>
        insertRecord(models.PensionRegistration, {
          pensionRegistrationNo,
          idNumber: input.idNumber,
          name: input.name,
          employmentRegistrationNo: input.employmentRegistrationNo,
          personalRecordNo,
          insurance: 'flexiblePension',
          baseGradePercent: input.baseGradePercent,
          baseFen: premium.baseFen,
          monthlyPensionFen: premium.pensionFen,
          residenceRegionCode: input.residenceRegionCode,
          since: chinaToday(now),
          registeredAt: now,
        }),
      async () => {
        const twin = await models.PensionRegistration.findOne({ idNumber: input.idNumber }).lean();
        return twin ? alreadyRegistered(twin) : undefined;
      },
    );
    return {
      pensionRegistrationNo,
      personalRecordNo,
      insurance: 'flexiblePension',
      baseFen: premium.baseFen,
      monthlyPensionFen: premium.pensionFen,
      registeredAt: now.toISOString(),
    };
  },
};
