// 灵活就业人员就业登记: the first matter; everything else depends on it.
import {
  HRSS_EMPLOYMENT_REGISTRATION_REPLY,
  HRSS_EMPLOYMENT_REGISTRATION_REQUEST,
  HRSS_START_DATE_MAX_DAYS_AHEAD,
  type HrssEmploymentRegistrationReply,
  type HrssEmploymentRegistrationRequest,
} from '@flexins/shared';
import { chinaToday } from '@flexins/shared';
import type { Connection } from 'mongoose';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { addDays, checkIdNumber, createOnce, fail, invalid } from '../checks';
import { hrssModels, type EmploymentRegistrationRecord } from '../models';
import { activeEmployeeInsurance, blockingDetails, describeActive, enrollmentsOf } from '../people';
import { insertRecord } from '../../common/records';

function alreadyRegistered(existing: Pick<EmploymentRegistrationRecord, 'registrationNo'>) {
  return fail('ALREADY_REGISTERED', {
    message: `您已办理灵活就业人员就业登记（登记编号 ${existing.registrationNo}），无需重复办理`,
    details: { registrationNo: existing.registrationNo },
  });
}

/**
 * The person's employment registration, if `registrationNo` is theirs;
 * otherwise the refusal the later matters give (EMPLOYMENT_NOT_REGISTERED).
 */
export async function requireEmploymentRegistration(
  db: Connection,
  idNumber: string,
  registrationNo: string,
): Promise<EmploymentRegistrationRecord> {
  const registration = await hrssModels(db).EmploymentRegistration.findOne({ registrationNo }).lean();
  if (!registration) {
    throw fail('EMPLOYMENT_NOT_REGISTERED', {
      message: `没有找到就业登记编号 ${registrationNo}，请先办理灵活就业人员就业登记`,
    });
  }
  if (registration.idNumber !== idNumber) {
    throw fail('EMPLOYMENT_NOT_REGISTERED', {
      message: `就业登记编号 ${registrationNo} 不是申请人本人的登记，请核对后重新提交`,
    });
  }
  return registration;
}

export const employmentRegistration: SimRoute<HrssEmploymentRegistrationRequest, HrssEmploymentRegistrationReply> = {
  method: 'POST',
  path: '/hrss/v1/employment-registrations',
  operationId: 'registerEmployment',
  summary: '灵活就业人员就业登记',
  write: true,
  request: HRSS_EMPLOYMENT_REGISTRATION_REQUEST,
  reply: HRSS_EMPLOYMENT_REGISTRATION_REPLY,
  errors: ['ALREADY_REGISTERED', 'ACTIVE_EMPLOYEE_INSURANCE', 'EMPLOYER_NOT_ALLOWED'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps, callerId }) {
    const now = deps.now();
    const models = hrssModels(deps.db);

    // 1. what the schema cannot check
    checkIdNumber(input.idNumber, now);
    const latest = addDays(chinaToday(now), HRSS_START_DATE_MAX_DAYS_AHEAD);
    if (input.startDate > latest) {
      throw invalid({
        startDate: `就业开始日期不能晚于 ${latest}（最多为今天之后 ${HRSS_START_DATE_MAX_DAYS_AHEAD} 天）`,
      });
    }

    // 2. a second registration is recognised before any rule, so a retry finds the first
    const existing = await models.EmploymentRegistration.findOne({ idNumber: input.idNumber }).lean();
    if (existing) throw alreadyRegistered(existing);

    // 3. rule 1: no employee or institution pension/medical anywhere
    const blocking = activeEmployeeInsurance(await enrollmentsOf(models, input.idNumber));
    if (blocking.length) {
      throw fail('ACTIVE_EMPLOYEE_INSURANCE', {
        message: `您${describeActive(blocking)}，不能办理灵活就业登记；请先办理停保，或到人社窗口咨询 12333`,
        details: blockingDetails(blocking),
      });
    }

    // 4. rule 5: an employer with employees insures them as an employer
    if (input.employmentType === 'employerWithEmployees') throw fail('EMPLOYER_NOT_ALLOWED');

    // 5. register
    const registrationNo = await nextNumber(deps.db, 'JY', now);
    await createOnce(
      () =>
        insertRecord(models.EmploymentRegistration, {
          registrationNo,
          idNumber: input.idNumber,
          name: input.name,
          employmentType: input.employmentType,
          startDate: input.startDate,
          residenceRegionCode: input.residenceRegionCode,
          registeredAt: now,
          callerId,
        }),
      async () => {
        const twin = await models.EmploymentRegistration.findOne({ idNumber: input.idNumber }).lean();
        return twin ? alreadyRegistered(twin) : undefined;
      },
    );
    return { registrationNo, registeredAt: now.toISOString() };
  },
};
