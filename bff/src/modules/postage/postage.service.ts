// Paying at the host app's cashier (its page on H5, its payment sheet in the
// mini-program): the card's postage and the first premium, each an order
// there, its signed notification back to us, and a query when the
// notification is late.
import { randomBytes } from 'node:crypto';
import {
  CURRENT_POLICY,
  PAYMENT_HOST_PAY_PARAMS,
  PAYMENT_NOTIFICATION,
  PAYMENT_NOTIFY_CALLER,
  type PaymentHostPayParams,
  type PaymentNotification,
  type PostageView,
} from '@flexins/shared';
import { GATEWAY_HEADERS, MAX_CLOCK_SKEW_MS, check, signatureMatches } from '@flexins/shared/server';
import type { Departments } from '../../departments';
import { AppError } from '../../platform/errors';
import type { PostageModel, PostageOrder } from './postage.model';

/**
 * Who is looking: the applicant on their own phone gets the host payment
 * parameters; anyone else (a window clerk's screen) pays by the cashier page.
 */
export interface ViewOptions {
  forApplicant?: boolean;
}

function view(order: PostageOrder, { forApplicant = false }: ViewOptions = {}): PostageView {
  const payParams = forApplicant && order.status === 'created' ? order.payParams : undefined;
  return {
    orderId: order.orderId,
    amountFen: order.amountFen,
    status: order.status,
    cashierUrl: order.cashierUrl,
    ...(order.paidAt ? { paidAt: new Date(order.paidAt).toISOString() } : {}),
    ...(payParams
      ? {
          payParams: {
            timeStamp: payParams.timeStamp,
            nonceStr: payParams.nonceStr,
            package: payParams.package,
            signType: payParams.signType,
            paySign: payParams.paySign,
          },
        }
      : {}),
  };
}

/** The premium order of a case: one per case, so a second tap finds the first. */
export function premiumOrderId(caseNo: string): string {
  return `SF${caseNo}`;
}

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export class PostageService {
  constructor(
    private readonly orders: PostageModel,
    private readonly departments: Departments,
    private readonly publicUrl: string,
    private readonly notifySecret: string,
  ) {}

  /** One open order per applicant: tapping "pay" twice does not make two. */
  async create(
    applicantId: string,
    returnUrl: string,
    requestId: string,
    options: ViewOptions = {},
  ): Promise<PostageView> {
    this.checkReturnUrl(returnUrl);
    const open = await this.orders
      .findOne({
        applicantId,
        purpose: { $ne: 'premium' },
        status: { $in: ['created', 'paid'] },
        caseNo: { $exists: false },
      })
      .sort({ createdAt: -1 })
      .lean<PostageOrder>();
    if (open) return view(open, options);
    const orderId = `YF${randomBytes(10).toString('hex')}`;
    const order = await this.place(
      { orderId, applicantId, purpose: 'postage', amountFen: CURRENT_POLICY.cardPostageFen.value },
      { subject: '社会保障卡邮寄费', returnUrl },
      requestId,
    );
    return view(order, options);
  }

  /**
   * The first premium of a case at the same cashier: one order per case (its id
   * is made from the case number), for the amount the tax system assessed.
   */
  async createPremium(
    premium: { applicantId: string; caseNo: string; amountFen: number; subject: string },
    returnUrl: string,
    requestId: string,
  ): Promise<PostageView> {
    this.checkReturnUrl(returnUrl);
    const orderId = premiumOrderId(premium.caseNo);
    const known = await this.orders.findById(orderId).lean<PostageOrder>();
    if (known) return view(known, { forApplicant: true });
    const order = await this.place(
      {
        orderId,
        applicantId: premium.applicantId,
        purpose: 'premium',
        amountFen: premium.amountFen,
        caseNo: premium.caseNo,
      },
      { subject: premium.subject, returnUrl },
      requestId,
    );
    return view(order, { forApplicant: true });
  }

  /** The premium order of a case, as it stands (asking the payment system while we have not heard); null before one. */
  async premiumStatus(caseNo: string, requestId: string): Promise<PostageOrder | null> {
    const order = await this.orders.findById(premiumOrderId(caseNo)).lean<PostageOrder>();
    if (!order || order.status !== 'created') return order;
    return this.learnPaid(order, requestId);
  }

  /** Told of each premium order found paid (by notification or by asking), to settle it with the tax system. */
  onPremiumPaid(listener: (order: PostageOrder, requestId: string) => Promise<void>): void {
    this.premiumPaid = listener;
  }

  private premiumPaid?: (order: PostageOrder, requestId: string) => Promise<void>;

  /** The cashier sends the browser back here: only to our own pages, never elsewhere. */
  private checkReturnUrl(returnUrl: string): void {
    let origin = '';
    try {
      origin = new URL(returnUrl).origin;
    } catch {
      // not a URL at all: refused below
    }
    if (origin !== new URL(this.publicUrl).origin) {
      throw new AppError('VALIDATION_FAILED', undefined, { returnUrl: '支付后返回的页面必须是本服务的页面' });
    }
  }

  /** 1. the order at the payment system (the same key again is the same order)  2. our record of it. */
  private async place(
    fields: Pick<PostageOrder, 'orderId' | 'applicantId' | 'purpose' | 'amountFen' | 'caseNo'>,
    at: { subject: string; returnUrl: string },
    requestId: string,
  ): Promise<PostageOrder> {
    const created = await this.departments.payment.createOrder(
      {
        orderId: fields.orderId,
        amountFen: fields.amountFen,
        subject: at.subject,
        notifyUrl: `${this.publicUrl}/api/payment-notifications`,
        returnUrl: at.returnUrl,
      },
      { requestId, idempotencyKey: `${fields.purpose}-${fields.orderId}` },
    );
    if (created.kind !== 'done') {
      throw new AppError('DEPARTMENT_UNAVAILABLE', '收银台暂时不可用，请稍后再试');
    }
    // Parameters that do not fit the contract are not passed on: the sheet would refuse them, the cashier page still works.
    const payParams = check<PaymentHostPayParams>(PAYMENT_HOST_PAY_PARAMS, created.value.payParams);
    const record = {
      _id: fields.orderId,
      ...fields,
      status: 'created' as const,
      paymentOrderNo: created.value.paymentOrderNo,
      cashierUrl: created.value.cashierUrl,
      ...(payParams.ok ? { payParams: payParams.value } : {}),
    };
    try {
      return (await this.orders.create(record)).toObject();
    } catch (err) {
      // Two taps on a premium order at once: the other one stored it first.
      if ((err as { code?: number }).code !== 11000) throw err;
      const first = await this.orders.findById(fields.orderId).lean<PostageOrder>();
      if (!first) throw err;
      return first;
    }
  }

  /** The payment system's signed notification: verified, then the order is marked paid (once). */
  async notified(request: SignedRequest, requestId: string): Promise<void> {
    const header = (name: string) => request.headers[name] ?? '';
    const timestamp = header(GATEWAY_HEADERS.timestamp);
    const valid =
      header(GATEWAY_HEADERS.caller) === PAYMENT_NOTIFY_CALLER &&
      Math.abs(Date.now() - Number(timestamp)) <= MAX_CLOCK_SKEW_MS &&
      /^[0-9a-f]{64}$/.test(header(GATEWAY_HEADERS.signature)) &&
      signatureMatches(
        this.notifySecret,
        {
          method: request.method,
          path: request.path,
          timestamp,
          nonce: header(GATEWAY_HEADERS.nonce),
          body: request.rawBody,
        },
        header(GATEWAY_HEADERS.signature),
      );
    if (!valid) throw new AppError('UNAUTHENTICATED', '支付通知签名无效');
    let body: unknown;
    try {
      body = JSON.parse(request.rawBody);
    } catch {
      throw new AppError('MALFORMED_JSON');
    }
    const checked = check<PaymentNotification>(PAYMENT_NOTIFICATION, body);
    if (!checked.ok) throw new AppError('VALIDATION_FAILED', undefined, checked.fields);
    const notice = checked.value;
    await this.markPaid(notice.orderId, notice.amountFen, new Date(notice.paidAt), notice.paymentOrderNo);
    // A premium is settled with the tax system before the notification is answered: if the tax system
    // does not answer, the payment system repeats the notification, so a paid premium is never left unsettled.
    const order = await this.orders.findById(String(notice.orderId)).lean<PostageOrder>();
    if (order?.purpose === 'premium' && order.status === 'paid') await this.premiumPaid?.(order, requestId);
  }

  private async markPaid(
    orderId: string,
    amountFen: number,
    paidAt: Date,
    paymentOrderNo?: string,
  ): Promise<PostageOrder | null> {
    if (Number.isNaN(paidAt.getTime())) paidAt = new Date();
    return this.orders
      .findOneAndUpdate(
        {
          _id: String(orderId),
          status: 'created',
          amountFen,
          ...(paymentOrderNo ? { paymentOrderNo: String(paymentOrderNo) } : {}),
        },
        { $set: { status: 'paid', paidAt } },
        { new: true },
      )
      .lean<PostageOrder>();
  }

  /** The order as it stands; asks the payment system when we have not heard of a payment yet. */
  async status(
    applicantId: string,
    orderId: string,
    requestId: string,
    options: ViewOptions = {},
  ): Promise<PostageView> {
    const order = await this.own(applicantId, orderId);
    if (!order) throw new AppError('NOT_FOUND', '没有找到这笔邮寄费订单');
    if (order.status !== 'created') return view(order, options);
    return view(await this.learnPaid(order, requestId), options);
  }

  /** An order we have not heard of as paid: the payment system says whether it is. */
  private async learnPaid(order: PostageOrder, requestId: string): Promise<PostageOrder> {
    const asked = await this.departments.payment.order(order.orderId, { requestId });
    if (asked.kind === 'done' && asked.value.status === 'paid') {
      const paid = await this.markPaid(
        order.orderId,
        asked.value.amountFen,
        new Date(asked.value.paidAt ?? Date.now()),
      );
      if (paid) return paid;
    }
    return (await this.orders.findById(order.orderId).lean<PostageOrder>()) ?? order;
  }

  /** For a submission: the order must be this applicant's, paid, and not used by another case. */
  async requirePaid(applicantId: string, orderId: string | undefined, requestId: string): Promise<PostageOrder> {
    if (!orderId) throw new AppError('POSTAGE_REQUIRED');
    // Someone else's order, or none at all, is not a payment of this applicant's (and not a 404 of the submission).
    const mine = await this.own(applicantId, orderId);
    if (!mine || mine.purpose === 'premium') {
      throw new AppError('POSTAGE_NOT_PAID', '没有找到您的这笔邮寄费订单，请重新支付邮寄费后再提交');
    }
    // Known as paid here already (its notification came): no need to ask again.
    if (mine.status === 'paid') return mine;
    const current = await this.status(applicantId, orderId, requestId);
    if (current.status !== 'paid') throw new AppError('POSTAGE_NOT_PAID');
    const order = await this.own(applicantId, orderId);
    if (!order) throw new AppError('POSTAGE_NOT_PAID');
    return order;
  }

  /**
   * For a submission: ties this applicant's paid postage order to the case
   * number it will pay for, checking and tying in one write, before the case
   * is stored; `claimedBy` names the submission, so a repeat of it (a double
   * tap, a retry after a crash) finds the number it was tied to. Returns the
   * order: tied to `claim.caseNo`, or already tied to another number (the
   * caller sees whose). Not this applicant's, not a postage order, not paid:
   * refused.
   */
  async claim(
    applicantId: string,
    orderId: string | undefined,
    claim: { caseNo: string; submissionKey: string },
    requestId: string,
  ): Promise<PostageOrder> {
    if (!orderId) throw new AppError('POSTAGE_REQUIRED');
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.orders
        .findOneAndUpdate(
          {
            _id: String(orderId),
            applicantId,
            purpose: { $ne: 'premium' },
            status: 'paid',
            caseNo: { $exists: false },
          },
          { $set: { caseNo: claim.caseNo, claimedBy: claim.submissionKey, claimedAt: new Date() } },
          { new: true },
        )
        .lean<PostageOrder>();
      if (claimed) return claimed;
      // Why not: someone else's or no order, tied already, or not known here as paid yet.
      const mine = await this.own(applicantId, String(orderId));
      if (!mine || mine.purpose === 'premium') {
        throw new AppError('POSTAGE_NOT_PAID', '没有找到您的这笔邮寄费订单，请重新支付邮寄费后再提交');
      }
      if (mine.caseNo) return mine;
      if (mine.status !== 'paid' && (await this.learnPaid(mine, requestId)).status !== 'paid') {
        throw new AppError('POSTAGE_NOT_PAID');
      }
    }
    throw new AppError('POSTAGE_NOT_PAID');
  }

  /** A claim whose case was not stored (refused, or abandoned long ago): the order is free again. */
  async unclaim(orderId: string, caseNo: string): Promise<void> {
    await this.orders.updateOne({ _id: orderId, caseNo }, { $unset: { caseNo: 1, claimedBy: 1, claimedAt: 1 } });
  }

  /** Ties a paid order to the case it paid for (a case stored before claims were made first). */
  async attach(orderId: string, caseNo: string): Promise<void> {
    await this.orders.updateOne({ _id: orderId, caseNo: { $exists: false } }, { $set: { caseNo } });
  }

  /** The applicant's own order; another person's is as good as none. */
  private async own(applicantId: string, orderId: string): Promise<PostageOrder | null> {
    const order = await this.orders.findById(String(orderId)).lean<PostageOrder>();
    return order?.applicantId === applicantId ? order : null;
  }
}
