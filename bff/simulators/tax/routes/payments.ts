// 缴费: paying an assessed declaration in full, once, for an electronic
// receipt (电子缴款凭证).
import { randomBytes } from 'node:crypto';
import { maskName } from '@flexins/shared';
import {
  TAX_PAYMENT_REPLY,
  TAX_PAYMENT_REQUEST,
  TAX_RECEIPT_ISSUER,
  type TaxPaymentReply,
  type TaxPaymentRequest,
} from '@flexins/shared';
import { nextNumber } from '@flexins/shared/server';
import type { SimRoute } from '../../common/types';
import { receiptItems } from '../assessment';
import { isDuplicateKey, taxModels, type DeclarationRecord, type TaxModels } from '../models';
import { alreadyPaid, amountMismatch, declarationNotFound } from '../rules';

const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The code printed on the receipt for checking it online (查验码). */
function verificationCode(): string {
  return Array.from(randomBytes(12), (byte) => CODE_CHARS[byte % CODE_CHARS.length]).join('');
}

/**
 * The payments ledger row for a paid declaration. Also run when a payment is
 * found again, so a crash between the two writes heals on the retry.
 */
async function recordPayment(models: TaxModels, declaration: DeclarationRecord, receipt: TaxPaymentReply) {
  const write = () =>
    models.Payment.updateOne(
      { declarationNo: receipt.declarationNo },
      { $setOnInsert: { ...receipt, idNumber: declaration.idNumber } },
      { upsert: true },
    );
  try {
    await write();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await write();
  }
}

async function refuseAsPaid(models: TaxModels, declaration: DeclarationRecord): Promise<never> {
  const receipt = declaration.receipt!;
  await recordPayment(models, declaration, receipt);
  throw alreadyPaid(receipt);
}

export const payment: SimRoute<TaxPaymentRequest, TaxPaymentReply> = {
  method: 'POST',
  path: '/tax/v1/payments',
  operationId: 'payPremium',
  summary: '缴纳已核定的社会保险费并开具电子缴款凭证',
  write: true,
  request: TAX_PAYMENT_REQUEST,
  reply: TAX_PAYMENT_REPLY,
  errors: ['DECLARATION_NOT_FOUND', 'ALREADY_PAID', 'AMOUNT_MISMATCH'],
  // No personOf: the call names a declaration, not a person.
  async handle(input, { deps }) {
    const now = deps.now();
    const models = taxModels(deps.db);

    // 1. the declaration, and whether it is paid already (recognised before any rule)
    const declaration = await models.Declaration.findOne({ declarationNo: input.declarationNo }).lean();
    if (!declaration) throw declarationNotFound(input.declarationNo);
    if (declaration.status === 'paid') return refuseAsPaid(models, declaration);

    // 2. exactly the assessed total
    const totalFen = declaration.assessment.totalFen;
    if (input.amountFen !== totalFen) throw amountMismatch(totalFen, input.amountFen);

    // 3. mark it paid with its receipt in one conditional update: of two
    //    payments racing, one wins and the other finds it paid
    const receiptNo = await nextNumber(deps.db, 'PJ', now);
    const receipt: TaxPaymentReply = {
      receiptNo,
      declarationNo: declaration.declarationNo,
      paidFen: totalFen,
      paidAt: now.toISOString(),
      channel: input.channel,
      electronicReceipt: {
        receiptNo,
        payerNameMasked: maskName(declaration.name),
        items: receiptItems(declaration.assessment, declaration.months),
        totalFen,
        issuedBy: TAX_RECEIPT_ISSUER,
        verificationCode: verificationCode(),
      },
    };
    const paid = await models.Declaration.updateOne(
      { declarationNo: declaration.declarationNo, status: 'assessed' },
      { $set: { status: 'paid', receipt } },
    );
    if (paid.modifiedCount !== 1) {
      const winner = await models.Declaration.findOne({ declarationNo: declaration.declarationNo }).lean();
      if (winner?.status === 'paid') return refuseAsPaid(models, winner);
      throw new Error(`declaration ${declaration.declarationNo} could not be marked paid`);
    }

    // 4. the ledger
    await recordPayment(models, declaration, receipt);
    return receipt;
  },
};
