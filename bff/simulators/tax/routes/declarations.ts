// 灵活就业人员社会保险费申报: the declaration of a normal payment (正常缴费)
// for the current month or later, assessed (核定) at once; and the query.
import {
  TAX_DECLARATION_QUERY_REPLY,
  TAX_DECLARATION_QUERY_REQUEST,
  TAX_DECLARATION_REPLY,
  TAX_DECLARATION_REQUEST,
  type TaxDeclarationQueryReply,
  type TaxDeclarationQueryRequest,
  type TaxDeclarationReply,
  type TaxDeclarationRequest,
} from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { assess } from '../assessment';
import { isDuplicateKey, taxModels, type DeclarationRecord, type TaxModels } from '../models';
import { addMonths, currentMonth, lastDayOf, monthsBetween, monthsOf } from '../periods';
import {
  alreadyDeclared,
  backPaymentOffline,
  checkIdNumber,
  declarationNotFound,
  notRegistered,
  periodInvalid,
  specialPaymentOffline,
} from '../rules';
import { insertRecord } from '../../common/records';

/** How far ahead a normal payment may be declared (预缴). */
const MAX_MONTHS_AHEAD = 12;

function toDeclarationView(record: DeclarationRecord): TaxDeclarationQueryReply {
  const { assessment } = record;
  return {
    declarationNo: record.declarationNo,
    paymentType: record.paymentType,
    periodStart: record.periodStart,
    periodEnd: record.periodEnd,
    months: record.months,
    assessment: {
      ...(assessment.baseGradePercent !== undefined && assessment.baseGradePercent !== null
        ? { baseGradePercent: assessment.baseGradePercent }
        : {}),
      baseFen: assessment.baseFen,
      medicalBaseFen: assessment.medicalBaseFen,
      pensionFen: assessment.pensionFen,
      medicalFen: assessment.medicalFen,
      monthlyTotalFen: assessment.monthlyTotalFen,
      totalFen: assessment.totalFen,
    },
    paymentDeadline: record.paymentDeadline,
    status: record.status,
    declaredAt: record.declaredAt.toISOString(),
    ...(record.receipt ? { receipt: record.receipt } : {}),
  };
}

/**
 * The declaration holding any of these months on the payer's ledger. The
 * ledger, not the declarations collection, is the truth: a declaration that
 * lost a race is in the collection for a moment before it removes itself.
 */
async function declaredAlready(models: TaxModels, idNumber: string, months: string[]) {
  const payer = await models.Payer.findOne({ idNumber }).lean();
  const holder = months.map((m) => payer?.declaredMonths[m]).find((no) => no !== undefined);
  return holder === undefined ? null : models.Declaration.findOne({ declarationNo: holder }).lean();
}

/**
 * Claims the months on the payer's ledger in one conditional update: it
 * succeeds only if none of them is taken. Returns the declaration that holds
 * a month when the claim fails.
 */
async function claimMonths(
  models: TaxModels,
  idNumber: string,
  months: string[],
  declarationNo: string,
): Promise<string | undefined> {
  try {
    await models.Payer.updateOne({ idNumber }, { $setOnInsert: { idNumber, declaredMonths: {} } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // created meanwhile by a parallel call
  }
  const free = Object.fromEntries(months.map((m) => [`declaredMonths.${m}`, { $exists: false }]));
  const taken = Object.fromEntries(months.map((m) => [`declaredMonths.${m}`, declarationNo]));
  const claimed = await models.Payer.updateOne({ idNumber, ...free }, { $set: taken });
  if (claimed.modifiedCount === 1) return undefined;
  const payer = await models.Payer.findOne({ idNumber }).lean();
  return months.map((m) => payer?.declaredMonths[m]).find((holder) => holder !== undefined);
}

export const declaration: SimRoute<TaxDeclarationRequest, TaxDeclarationReply> = {
  method: 'POST',
  path: '/tax/v1/declarations',
  operationId: 'declarePremium',
  summary: '灵活就业人员社会保险费申报（正常缴费）并核定',
  write: true,
  request: TAX_DECLARATION_REQUEST,
  reply: TAX_DECLARATION_REPLY,
  errors: ['ALREADY_DECLARED', 'SPECIAL_PAYMENT_OFFLINE', 'BACK_PAYMENT_OFFLINE', 'PERIOD_INVALID', 'NOT_REGISTERED'],
  personOf: (input) => input.idNumber,
  async handle(input, { deps }) {
    const now = deps.now();
    const models = taxModels(deps.db);
    checkIdNumber(input.idNumber, now);
    const months = monthsOf(input.periodStart, input.months);

    // 1. a month declared already is recognised before any rule (a retry may
    //    arrive after the month has turned)
    if (input.paymentType === 'normal') {
      const existing = await declaredAlready(models, input.idNumber, months);
      if (existing) throw alreadyDeclared(existing);
    }

    // 2. rule 3: only normal payments, from this month on
    if (input.paymentType === 'special') throw specialPaymentOffline();
    if (input.paymentType === 'backPayment') throw backPaymentOffline();
    const current = currentMonth(now);
    if (input.periodStart < current) throw backPaymentOffline(input.periodStart, current);
    if (monthsBetween(current, input.periodStart) > MAX_MONTHS_AHEAD) {
      throw periodInvalid(addMonths(current, MAX_MONTHS_AHEAD));
    }

    // 3. the registrations this assessment rests on
    const registrations = await models.InsuranceRegistration.find({ idNumber: input.idNumber }).lean();
    const pension = registrations.find((r) => r.insurance === 'pension');
    const medical = registrations.find((r) => r.insurance === 'medical');
    if (!pension && !medical) throw notRegistered();

    // 4. assess and record, then claim the months; the loser of a race removes
    //    its own. (A crash between the two leaves an unclaimed declaration whose
    //    number nobody was told; the retry declares afresh.)
    const record: DeclarationRecord = {
      declarationNo: await nextNumber(deps.db, 'SBF', now),
      idNumber: input.idNumber,
      name: input.name,
      paymentType: 'normal',
      periodStart: input.periodStart,
      periodEnd: months[months.length - 1]!,
      months: input.months,
      assessment: assess({ pension, medical }, input.months),
      paymentDeadline: lastDayOf(input.periodStart),
      status: 'assessed',
      declaredAt: now,
    };
    await insertRecord(models.Declaration, record);
    const holder = await claimMonths(models, input.idNumber, months, record.declarationNo);
    if (holder !== undefined) {
      await models.Declaration.deleteOne({ declarationNo: record.declarationNo });
      const winner = await models.Declaration.findOne({ declarationNo: holder }).lean();
      if (winner) throw alreadyDeclared(winner);
      throw new Error(`month ledger names ${holder}, which does not exist`);
    }
    return { ...toDeclarationView(record), status: 'assessed' };
  },
};

export const declarationQuery: SimRoute<TaxDeclarationQueryRequest, TaxDeclarationQueryReply> = {
  method: 'POST',
  path: '/tax/v1/declaration-queries',
  operationId: 'queryDeclaration',
  summary: '查询申报、核定和缴费结果',
  write: false,
  request: TAX_DECLARATION_QUERY_REQUEST,
  reply: TAX_DECLARATION_QUERY_REPLY,
  errors: ['DECLARATION_NOT_FOUND'],
  async handle(input, { deps }) {
    const record = await taxModels(deps.db).Declaration.findOne({ declarationNo: input.declarationNo }).lean();
    if (!record) throw declarationNotFound(input.declarationNo);
    return toDeclarationView(record);
  },
};
