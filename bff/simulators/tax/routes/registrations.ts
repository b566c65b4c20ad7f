// 参保登记信息接收: the BFF distributes HRSS's pension registration and the
// medical system's registration to the tax system, which keeps them as the
// basis of the later assessment.
import {
  TAX_INSURANCE_REGISTRATION_REPLY,
  TAX_INSURANCE_REGISTRATION_REQUEST,
  type TaxInsuranceRegistrationReply,
  type TaxInsuranceRegistrationRequest,
} from '@flexins/shared';
import { commonError } from '../../common/errors';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { isDuplicateKey, taxModels, type InsuranceRegistrationRecord } from '../models';
import { alreadyRegistered, checkIdNumber } from '../rules';
import { insertRecord } from '../../common/records';

/** What the schema cannot say: the grade belongs to pension, and each insurance has its own number. */
function checkConsistency(input: TaxInsuranceRegistrationRequest): void {
  const fields: Record<string, string> = {};
  if (input.insurance === 'pension') {
    if (input.baseGradePercent === undefined) fields.baseGradePercent = '养老保险登记请填写养老保险缴费档次（%）';
    if (!input.registrationNo.startsWith('YL')) {
      fields.registrationNo = '养老保险的参保登记编号应为人社部门的 YL 开头编号';
    }
  } else {
    if (input.baseGradePercent !== undefined) {
      fields.baseGradePercent = '医疗保险登记不需要养老保险缴费档次，请删除这一项';
    }
    if (!input.registrationNo.startsWith('YB')) {
      fields.registrationNo = '医疗保险的参保登记编号应为医保部门的 YB 开头编号';
    }
  }
  if (Object.keys(fields).length) throw commonError('VALIDATION_FAILED', { fields });
}

export const insuranceRegistration: SimRoute<TaxInsuranceRegistrationRequest, TaxInsuranceRegistrationReply> = {
  method: 'POST',
  path: '/tax/v1/insurance-registrations',
  operationId: 'receiveInsuranceRegistration',
  summary: '接收灵活就业人员养老保险、医疗保险参保登记信息',
  write: true,
  request: TAX_INSURANCE_REGISTRATION_REQUEST,
  reply: TAX_INSURANCE_REGISTRATION_REPLY,
  errors: ['ALREADY_REGISTERED'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps, callerId }) {
    const now = deps.now();
    const { InsuranceRegistration } = taxModels(deps.db);
    checkIdNumber(input.idNumber, now);
    checkConsistency(input);

    // 1. a second registration of the same insurance is recognised as such
    const registrationKey = `${input.idNumber}:${input.insurance}`;
    const existing = await InsuranceRegistration.findOne({ registrationKey }).lean();
    if (existing) throw alreadyRegistered(existing);

    // 2. keep it
    const record: InsuranceRegistrationRecord = {
      taxRecordNo: await nextNumber(deps.db, 'SS', now),
      registrationKey,
      idNumber: input.idNumber,
      name: input.name,
      insurance: input.insurance,
      registrationNo: input.registrationNo,
      residenceRegionCode: input.residenceRegionCode,
      ...(input.insurance === 'pension' ? { baseGradePercent: input.baseGradePercent } : {}),
      receivedAt: now,
      callerId,
    };
    try {
      await insertRecord(InsuranceRegistration, record);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const twin = await InsuranceRegistration.findOne({ registrationKey }).lean();
      if (!twin) throw err;
      throw alreadyRegistered(twin);
    }
    return { taxRecordNo: record.taxRecordNo, insurance: record.insurance, receivedAt: now.toISOString() };
  },
};
