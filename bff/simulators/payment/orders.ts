// Orders at the host app's cashier: create (one per business order id, with
// its host payment parameters), take payment (the cashier page and the host's
// payment sheet alike), query, full refund (once), close (only unpaid). Each
// state change is one atomic update conditioned on the current state, so
// racing calls cannot pay, refund or close twice.
import {
  PAYMENT_ERRORS,
  type PaymentCloseOrderRequest,
  type PaymentCreateOrderReply,
  type PaymentCreateOrderRequest,
  type PaymentOrderQueryRequest,
  type PaymentOrderReply,
  type PaymentRefundReply,
  type PaymentRefundRequest,
} from '@flexins/shared';
import { commonError, errorFactory } from '../common/errors';
import { nextNumber } from '@flexins/shared/server';
import type { CallContext, SimDeps } from '../common/types';
import { paymentModels, type OrderRecord } from './models';
import { notifierFor } from './notifier';
import { issuePayParams } from './pay-params';
import { insertRecord } from '../common/records';

const fail = errorFactory(PAYMENT_ERRORS);

/** 580 → '5.80'. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export function cashierUrl(deps: SimDeps, paymentOrderNo: string): string {
  return `${deps.config.publicUrl.replace(/\/+$/, '')}/cashier/${paymentOrderNo}`;
}

export function toCreateReply(deps: SimDeps, order: OrderRecord): PaymentCreateOrderReply {
  return {
    paymentOrderNo: order.paymentOrderNo,
    orderId: order.orderId,
    status: order.status,
    amountFen: order.amountFen,
    cashierUrl: cashierUrl(deps, order.paymentOrderNo),
    payParams: {
      timeStamp: order.payParams.timeStamp,
      nonceStr: order.payParams.nonceStr,
      package: order.payParams.package,
      signType: order.payParams.signType,
      paySign: order.payParams.paySign,
    },
    createdAt: order.createdAt.toISOString(),
  };
}

export function toOrderReply(order: OrderRecord): PaymentOrderReply {
  return {
    orderId: order.orderId,
    paymentOrderNo: order.paymentOrderNo,
    status: order.status,
    amountFen: order.amountFen,
    subject: order.subject,
    createdAt: order.createdAt.toISOString(),
    ...(order.paidAt ? { paidAt: order.paidAt.toISOString() } : {}),
    ...(order.refundedAt ? { refundedAt: order.refundedAt.toISOString() } : {}),
    ...(order.closedAt ? { closedAt: order.closedAt.toISOString() } : {}),
    ...(order.refund
      ? {
          refund: {
            refundNo: order.refund.refundNo,
            refundId: order.refund.refundId,
            amountFen: order.refund.amountFen,
            reason: order.refund.reason,
            refundedAt: order.refund.refundedAt.toISOString(),
          },
        }
      : {}),
  };
}

function toRefundReply(order: OrderRecord): PaymentRefundReply {
  const refund = order.refund!;
  return {
    refundNo: refund.refundNo,
    orderId: order.orderId,
    status: 'refunded',
    amountFen: refund.amountFen,
    refundedAt: refund.refundedAt.toISOString(),
  };
}

function orderExists(deps: SimDeps, order: OrderRecord) {
  return fail('ORDER_EXISTS', {
    message: `业务订单号 ${order.orderId} 已经下过单（支付订单号 ${order.paymentOrderNo}），请使用已有的支付订单，不要重复下单`,
    details: { ...toCreateReply(deps, order) },
  });
}

/** `2026-11-29 14:35` in Beijing time. */
function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The schema checks the shape; this checks the URL really parses (e.g. not a bare `http://`). */
function checkUrls(input: PaymentCreateOrderRequest): void {
  const fields: Record<string, string> = {};
  const labels = { notifyUrl: '支付结果通知地址', returnUrl: '支付后返回地址' } as const;
  for (const name of ['notifyUrl', 'returnUrl'] as const) {
    try {
      if (!new URL(input[name]).hostname) throw new Error('no host');
    } catch {
      fields[name] = `${labels[name]}不是有效的网址`;
    }
  }
  if (Object.keys(fields).length) throw commonError('VALIDATION_FAILED', { fields });
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

async function findOrder(deps: SimDeps, orderId: string): Promise<OrderRecord> {
  const order = await paymentModels(deps.db).Orders.findOne({ orderId }).lean();
  if (!order) throw fail('ORDER_NOT_FOUND', { message: `没有业务订单号为 ${orderId} 的订单，请核对业务订单号` });
  return order;
}

export async function createOrder(
  input: PaymentCreateOrderRequest,
  ctx: CallContext,
): Promise<PaymentCreateOrderReply> {
  const { deps } = ctx;
  const { Orders } = paymentModels(deps.db);

  // 1. one order per business order id, recognisable on a retry with a new key
  checkUrls(input);
  const existing = await Orders.findOne({ orderId: input.orderId }).lean();
  if (existing) throw orderExists(deps, existing);

  // 2. the order, numbered by the day, with the signed parameters for the host's payment sheet
  const now = deps.now();
  const { prepayId, payParams } = await issuePayParams(deps, now);
  const order: OrderRecord = {
    paymentOrderNo: await nextNumber(deps.db, 'ZF', now),
    orderId: input.orderId,
    callerId: ctx.callerId,
    amountFen: input.amountFen,
    subject: input.subject,
    notifyUrl: input.notifyUrl,
    returnUrl: input.returnUrl,
    prepayId,
    payParams,
    status: 'created',
    createdAt: now,
    notifyState: 'none',
    notifications: [],
  };
  try {
    await insertRecord(Orders, order);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const raced = await Orders.findOne({ orderId: input.orderId }).lean();
    if (!raced) throw err;
    throw orderExists(deps, raced);
  }
  return toCreateReply(deps, order);
}

/**
 * The citizen pays (at the cashier page or in the host's sheet): created →
 * paid once, however many confirmations arrive together, and the signed
 * notification to the caller starts in the background. Returns the order as
 * it now stands (null when there is none) and whether this call paid it.
 */
export async function takePayment(
  deps: SimDeps,
  which: { paymentOrderNo: string } | { prepayId: string },
): Promise<{ order: OrderRecord | null; paidNow: boolean }> {
  const { Orders } = paymentModels(deps.db);
  const paid = await Orders.findOneAndUpdate(
    { ...which, status: 'created' },
    { $set: { status: 'paid', paidAt: deps.now(), notifyState: 'pending' } },
    { new: true },
  ).lean();
  if (paid) {
    notifierFor(deps).start(paid.paymentOrderNo);
    return { order: paid, paidNow: true };
  }
  return { order: await Orders.findOne(which).lean(), paidNow: false };
}

export async function queryOrder(input: PaymentOrderQueryRequest, ctx: CallContext): Promise<PaymentOrderReply> {
  return toOrderReply(await findOrder(ctx.deps, input.orderId));
}

export async function closeOrder(input: PaymentCloseOrderRequest, ctx: CallContext): Promise<PaymentOrderReply> {
  const { deps } = ctx;
  const { Orders } = paymentModels(deps.db);
  const now = deps.now();
  const closed = await Orders.findOneAndUpdate(
    { orderId: input.orderId, status: 'created' },
    { $set: { status: 'closed', closedAt: now } },
    { new: true },
  ).lean();
  if (closed) return toOrderReply(closed);

  const order = await findOrder(deps, input.orderId);
  if (order.status === 'closed') return toOrderReply(order); // closing twice is no harm
  throw fail('ORDER_ALREADY_PAID', {
    message:
      order.status === 'refunded'
        ? `订单 ${order.orderId} 已支付并已退款，不能关闭`
        : `订单 ${order.orderId} 已支付，不能关闭；如需退还费用请申请退款`,
    details: { ...toOrderReply(order) },
  });
}

export async function refundOrder(input: PaymentRefundRequest, ctx: CallContext): Promise<PaymentRefundReply> {
  const { deps } = ctx;
  const { Orders, Refunds } = paymentModels(deps.db);

  // 1. a refunded order answers with its refund, before any other rule
  const order = await findOrder(deps, input.orderId);
  const alreadyRefunded = (refunded: OrderRecord) =>
    fail('ALREADY_REFUNDED', {
      message: `订单 ${refunded.orderId} 已于 ${beijingMinute(refunded.refund!.refundedAt)} 退款（退款单号 ${refunded.refund!.refundNo}），不能重复退款`,
      details: { ...toRefundReply(refunded) },
    });
  if (order.refund) throw alreadyRefunded(order);

  // 2. only a paid order, only in full
  if (order.status !== 'paid') {
    throw fail('ORDER_NOT_PAID', {
      message:
        order.status === 'closed'
          ? `订单 ${order.orderId} 已关闭（未支付），无需退款`
          : `订单 ${order.orderId} 尚未支付，不能退款；如不再需要，请关闭订单`,
    });
  }
  if (input.amountFen !== order.amountFen) {
    throw fail('REFUND_AMOUNT_INVALID', {
      message: `只支持全额退款：退款金额必须等于实付金额 ${yuan(order.amountFen)} 元（${order.amountFen} 分）`,
      fields: { amountFen: `退款金额必须等于实付金额 ${order.amountFen} 分` },
    });
  }

  // 3. the refund, in one update conditioned on "paid"
  const now = deps.now();
  const refund = {
    refundNo: await nextNumber(deps.db, 'TK', now),
    refundId: input.refundId,
    amountFen: input.amountFen,
    reason: input.reason,
    refundedAt: now,
  };
  const refunded = await Orders.findOneAndUpdate(
    { orderId: input.orderId, status: 'paid' },
    { $set: { status: 'refunded', refundedAt: now, refund } },
    { new: true },
  ).lean();
  if (!refunded) {
    const raced = await findOrder(deps, input.orderId);
    if (raced.refund) throw alreadyRefunded(raced);
    throw fail('ORDER_NOT_PAID');
  }

  // 4. the ledger; the order is the record of truth, this is for the read-out
  await Refunds.updateOne(
    { orderId: refunded.orderId },
    {
      $setOnInsert: {
        ...refund,
        orderId: refunded.orderId,
        paymentOrderNo: refunded.paymentOrderNo,
        callerId: ctx.callerId,
      },
    },
    { upsert: true },
  );
  return toRefundReply(refunded);
}
