// The cashier's own records: orders (with their refund, their host payment
// parameters and every attempt to notify the caller), a refund ledger, and
// the key the host payment parameters are signed with. Orders are not about
// a person in a payment system, so no collection holds an ID number.
import type { PaymentHostPayParams, PaymentOrderStatus } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = { orders: 'orders', refunds: 'refunds' } as const;

export interface NotificationAttempt {
  at: Date;
  ok: boolean;
  /** The receiver's HTTP status; absent when there was no answer. */
  status?: number;
  error?: string;
}

export interface OrderRefund {
  refundNo: string;
  refundId: string;
  amountFen: number;
  reason: string;
  refundedAt: Date;
}

export interface OrderRecord {
  paymentOrderNo: string;
  orderId: string;
  callerId: string;
  amountFen: number;
  subject: string;
  notifyUrl: string;
  returnUrl: string;
  /** The host payment sheet's name for the order (`package` is `prepay_id=<this>`). */
  prepayId: string;
  /** Issued once with the order and answered unchanged on every reply. */
  payParams: PaymentHostPayParams;
  status: PaymentOrderStatus;
  createdAt: Date;
  paidAt?: Date;
  refundedAt?: Date;
  closedAt?: Date;
  refund?: OrderRefund;
  /** none (unpaid) → pending → delivered, or failed after the last try. */
  notifyState: 'none' | 'pending' | 'delivered' | 'failed';
  notifications: NotificationAttempt[];
}

export interface RefundRecord extends OrderRefund {
  orderId: string;
  paymentOrderNo: string;
  callerId: string;
}

const attemptSchema = new Schema<NotificationAttempt>(
  { at: { type: Date, required: true }, ok: { type: Boolean, required: true }, status: Number, error: String },
  { _id: false },
);

const payParamsSchema = new Schema<PaymentHostPayParams>(
  {
    timeStamp: { type: String, required: true },
    nonceStr: { type: String, required: true },
    package: { type: String, required: true },
    signType: { type: String, required: true, enum: ['HMAC-SHA256'] },
    paySign: { type: String, required: true },
  },
  { _id: false },
);

const refundFields = {
  refundNo: { type: String, required: true },
  refundId: { type: String, required: true },
  amountFen: { type: Number, required: true },
  reason: { type: String, required: true },
  refundedAt: { type: Date, required: true },
};

const orderSchema = new Schema<OrderRecord>(
  {
    paymentOrderNo: { type: String, required: true, unique: true },
    orderId: { type: String, required: true, unique: true },
    callerId: { type: String, required: true },
    amountFen: { type: Number, required: true },
    subject: { type: String, required: true },
    notifyUrl: { type: String, required: true },
    returnUrl: { type: String, required: true },
    // Not unique: orders made before host payment have none; 128 random bits keep it apart.
    prepayId: { type: String, required: true, index: true },
    payParams: { type: payParamsSchema, required: true },
    status: { type: String, required: true, enum: ['created', 'paid', 'refunded', 'closed'] },
    createdAt: { type: Date, required: true },
    paidAt: Date,
    refundedAt: Date,
    closedAt: Date,
    refund: { type: new Schema<OrderRefund>(refundFields, { _id: false }), default: undefined },
    notifyState: { type: String, required: true, enum: ['none', 'pending', 'delivered', 'failed'], index: true },
    notifications: { type: [attemptSchema], default: [] },
  },
  { versionKey: false, collection: COLLECTIONS.orders },
);

const refundSchema = new Schema<RefundRecord>(
  {
    ...refundFields,
    refundNo: { type: String, required: true, unique: true },
    // Full refunds only: one refund per order.
    orderId: { type: String, required: true, unique: true },
    paymentOrderNo: { type: String, required: true },
    callerId: { type: String, required: true },
  },
  { versionKey: false, collection: COLLECTIONS.refunds },
);

/** The payment system's own secrets; never listed by the admin read-out. */
export interface SettingRecord {
  _id: string;
  value: string;
}

const settingSchema = new Schema<SettingRecord>(
  { _id: { type: String, required: true }, value: { type: String, required: true } },
  { versionKey: false, collection: 'settings' },
);

export interface PaymentModels {
  Orders: Model<OrderRecord>;
  Refunds: Model<RefundRecord>;
  Settings: Model<SettingRecord>;
}

function model<T>(db: Connection, name: string, schema: Schema<T>): Model<T> {
  return (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
}

export function paymentModels(db: Connection): PaymentModels {
  return {
    Orders: model(db, 'PaymentOrder', orderSchema),
    Refunds: model(db, 'PaymentRefund', refundSchema),
    Settings: model(db, 'PaymentSetting', settingSchema),
  };
}
