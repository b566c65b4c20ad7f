// Orders at the host app's cashier (收银台订单) as we know them: the card's
// postage (邮寄费, 5.8 yuan) and the first premium (首期社会保险费). The
// payment system is the truth, this is what we learnt from it.
import type { PaymentHostPayParams, PaymentOrderStatus } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

/** As the payment system says it (the postage view shows it as it is). */
export type PostageStatus = PaymentOrderStatus;

/** What an order pays for; orders written before premiums went through the cashier have none and are postage. */
export type OrderPurpose = 'postage' | 'premium';

export interface PostageOrder {
  /** The order id again: FerretDB finds documents without a scan only by `_id`. */
  _id: string;
  orderId: string;
  applicantId: string;
  purpose?: OrderPurpose;
  amountFen: number;
  status: PostageStatus;
  paymentOrderNo: string;
  cashierUrl: string;
  /** What the host app's payment sheet opens with (mini-program); only ever shown to the applicant. */
  payParams?: PaymentHostPayParams;
  /** The case that used it (postage: a paid order pays for one card only) or that it pays for (premium: from the start). */
  caseNo?: string;
  /** The submission (`applicantId:client key`) that tied a postage order to `caseNo`, before its case was stored. */
  claimedBy?: string;
  claimedAt?: Date;
  paidAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const postageSchema = new Schema<PostageOrder>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    applicantId: { type: String, required: true },
    purpose: { type: String, enum: ['postage', 'premium'] },
    amountFen: { type: Number, required: true },
    status: { type: String, required: true, enum: ['created', 'paid', 'refunded', 'closed'] },
    paymentOrderNo: { type: String, required: true },
    cashierUrl: { type: String, required: true },
    payParams: {
      type: new Schema<PaymentHostPayParams>(
        {
          timeStamp: { type: String, required: true },
          nonceStr: { type: String, required: true },
          package: { type: String, required: true },
          signType: { type: String, required: true },
          paySign: { type: String, required: true },
        },
        { _id: false },
      ),
      default: undefined,
    },
    caseNo: String,
    claimedBy: String,
    claimedAt: Date,
    paidAt: Date,
  },
  { collection: 'postage_orders', timestamps: true, versionKey: false },
);
postageSchema.index({ orderId: 1 }, { unique: true });
postageSchema.index({ applicantId: 1, createdAt: -1 });

export type PostageModel = Model<PostageOrder>;

export function postageModel(db: Connection): PostageModel {
  return (db.models.PostageOrder as PostageModel | undefined) ?? db.model<PostageOrder>('PostageOrder', postageSchema);
}
