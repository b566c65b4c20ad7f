/**
 * The contract of the host app's cashier (“我的宁夏”统一支付), as the simulator
 * serves it and the BFF's payment adapter calls it: create an order, send the
 * citizen's browser to the cashier page (H5) or open the host's payment sheet
 * with the order's signed payment parameters (mini-program), receive a signed
 * notification when it is paid, query, refund in full, close.
 * Orders are not about a person here, so they carry no ID number.
 * Imports nothing: the mini-app bundles this file.
 */

export const PAYMENT_PATHS = {
  orders: '/payment/v1/orders',
  orderQueries: '/payment/v1/order-queries',
  refunds: '/payment/v1/refunds',
  closeOrder: '/payment/v1/orders/close',
  /** Unsigned browser page: `GET /cashier/:paymentOrderNo`. */
  cashierPage: '/cashier',
  /**
   * Unsigned: what the host app's payment sheet calls when the citizen
   * confirms (`POST`, body PaymentHostPayParams). The paySign is what makes
   * it genuine; tests and developers call it to stand in for the host.
   */
  hostPayments: '/host/v1/payments',
} as const;

export type PaymentOrderStatus = 'created' | 'paid' | 'refunded' | 'closed';

export const PAYMENT_STATUS_LABELS: Readonly<Record<PaymentOrderStatus, string>> = {
  created: '待支付',
  paid: '已支付',
  refunded: '已退款',
  closed: '已关闭',
};

const ORDER_ID = {
  type: 'string',
  title: '业务订单号',
  pattern: '^[A-Za-z0-9_-]{8,64}$',
  'x-format-hint': '应为 8 到 64 位字母、数字、下划线或短横线',
} as const;
const PAYMENT_ORDER_NO = { type: 'string', title: '支付订单号', pattern: '^ZF\\d{14}$' } as const;
const REFUND_NO = { type: 'string', title: '退款单号', pattern: '^TK\\d{14}$' } as const;
const AMOUNT_FEN = { type: 'integer', title: '金额（分）', minimum: 1, maximum: 10_000_000 } as const;
const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
const HTTP_URL = {
  type: 'string',
  format: 'uri',
  pattern: '^https?://',
  maxLength: 500,
  'x-format-hint': '应为以 http:// 或 https:// 开头的完整网址',
} as const;
const STATUS = {
  type: 'string',
  title: '订单状态',
  enum: ['created', 'paid', 'refunded', 'closed'],
  'x-enum-labels': PAYMENT_STATUS_LABELS,
} as const;

// ----------------------------------------------- host payment parameters

/**
 * What the host's payment sheet needs (the shape `Taro.requestPayment` takes),
 * issued with each order. paySign is HMAC-SHA256 under the payment system's
 * own key over `nonceStr=…&package=…&signType=…&timeStamp=…`, upper-case hex:
 * nobody but the payment system can make or change a set that it will take.
 */
export const PAYMENT_HOST_PAY_PARAMS = {
  type: 'object',
  title: '支付参数',
  required: ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'],
  properties: {
    timeStamp: {
      type: 'string',
      title: '时间戳',
      pattern: '^\\d{10}$',
      'x-format-hint': '应为 10 位数字（秒）',
    },
    nonceStr: {
      type: 'string',
      title: '随机串',
      pattern: '^[A-Za-z0-9]{32}$',
      'x-format-hint': '应为 32 位字母或数字',
    },
    package: {
      type: 'string',
      title: '预支付交易标识',
      pattern: '^prepay_id=wx[0-9a-f]{32}$',
      'x-format-hint': '应为 prepay_id=wx 加 32 位十六进制数',
    },
    signType: { type: 'string', title: '签名方式', enum: ['HMAC-SHA256'] },
    paySign: {
      type: 'string',
      title: '支付签名',
      pattern: '^[0-9A-F]{64}$',
      'x-format-hint': '应为 64 位大写十六进制数',
    },
  },
  additionalProperties: false,
} as const;

export interface PaymentHostPayParams {
  /** Seconds since 1970, as a string. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=wx…`: names the order at the payment system. */
  package: string;
  signType: 'HMAC-SHA256';
  paySign: string;
}

/** The host pays: the very parameters the sheet was opened with. */
export const PAYMENT_HOST_PAY_REQUEST = PAYMENT_HOST_PAY_PARAMS;
export type PaymentHostPayRequest = PaymentHostPayParams;

export const PAYMENT_HOST_PAY_REPLY = {
  type: 'object',
  required: ['orderId', 'paymentOrderNo', 'status', 'amountFen', 'paidAt', 'alreadyPaid'],
  properties: {
    orderId: ORDER_ID,
    paymentOrderNo: PAYMENT_ORDER_NO,
    status: { type: 'string', title: '订单状态', enum: ['paid'] },
    amountFen: AMOUNT_FEN,
    paidAt: { ...TIMESTAMP, title: '支付时间' },
    alreadyPaid: { type: 'boolean', title: '此前已支付（本次未扣款）' },
  },
  additionalProperties: false,
} as const;

/**
 * Paying a paid order again answers like the first time, with alreadyPaid
 * true and nothing charged: the sheet may repeat a confirmation whose reply
 * was lost. A closed or refunded order is refused (ORDER_NOT_PAYABLE).
 */
export interface PaymentHostPayReply {
  orderId: string;
  paymentOrderNo: string;
  status: 'paid';
  amountFen: number;
  paidAt: string;
  alreadyPaid: boolean;
}

// ------------------------------------------------------------------ orders

export const PAYMENT_CREATE_ORDER_REQUEST = {
  type: 'object',
  required: ['orderId', 'amountFen', 'subject', 'notifyUrl', 'returnUrl'],
  properties: {
    orderId: ORDER_ID,
    amountFen: AMOUNT_FEN,
    subject: { type: 'string', title: '商品说明', minLength: 1, maxLength: 64 },
    notifyUrl: { ...HTTP_URL, title: '支付结果通知地址' },
    returnUrl: { ...HTTP_URL, title: '支付后返回地址' },
  },
  additionalProperties: false,
} as const;

export interface PaymentCreateOrderRequest {
  /** Ours (the BFF's), unique. */
  orderId: string;
  amountFen: number;
  /** Chinese, shown on the cashier page, e.g. 社会保障卡邮寄费. */
  subject: string;
  /** The payment system POSTs a signed PaymentNotification here. */
  notifyUrl: string;
  /** The cashier sends the browser back here with ?orderId=…&status=…. */
  returnUrl: string;
}

export const PAYMENT_CREATE_ORDER_REPLY = {
  type: 'object',
  required: ['paymentOrderNo', 'orderId', 'status', 'amountFen', 'cashierUrl', 'payParams', 'createdAt'],
  properties: {
    paymentOrderNo: PAYMENT_ORDER_NO,
    orderId: ORDER_ID,
    status: STATUS,
    amountFen: AMOUNT_FEN,
    cashierUrl: { type: 'string', title: '收银台地址', format: 'uri' },
    payParams: PAYMENT_HOST_PAY_PARAMS,
    createdAt: { ...TIMESTAMP, title: '下单时间' },
  },
  additionalProperties: false,
} as const;

/** Also the `details` of ORDER_EXISTS, so a retry after a lost reply finds the order. */
export interface PaymentCreateOrderReply {
  paymentOrderNo: string;
  orderId: string;
  status: PaymentOrderStatus;
  amountFen: number;
  /** H5: the browser goes here. */
  cashierUrl: string;
  /** Mini-program: the host's payment sheet opens with these. The same on every reply for the order. */
  payParams: PaymentHostPayParams;
  createdAt: string;
}

export const PAYMENT_ORDER_QUERY_REQUEST = {
  type: 'object',
  required: ['orderId'],
  properties: { orderId: ORDER_ID },
  additionalProperties: false,
} as const;

export interface PaymentOrderQueryRequest {
  orderId: string;
}

export const PAYMENT_CLOSE_ORDER_REQUEST = PAYMENT_ORDER_QUERY_REQUEST;
export type PaymentCloseOrderRequest = PaymentOrderQueryRequest;

// ----------------------------------------------------------------- refunds

export const PAYMENT_REFUND_REQUEST = {
  type: 'object',
  required: ['orderId', 'refundId', 'amountFen', 'reason'],
  properties: {
    orderId: ORDER_ID,
    refundId: { ...ORDER_ID, title: '业务退款单号' },
    amountFen: { ...AMOUNT_FEN, title: '退款金额（分）' },
    reason: { type: 'string', title: '退款原因', minLength: 1, maxLength: 100 },
  },
  additionalProperties: false,
} as const;

export interface PaymentRefundRequest {
  orderId: string;
  /** Ours (the BFF's). */
  refundId: string;
  /** Full refunds only: must equal the paid amount. */
  amountFen: number;
  reason: string;
}

export const PAYMENT_REFUND_REPLY = {
  type: 'object',
  required: ['refundNo', 'orderId', 'status', 'amountFen', 'refundedAt'],
  properties: {
    refundNo: REFUND_NO,
    orderId: ORDER_ID,
    status: { type: 'string', title: '订单状态', enum: ['refunded'] },
    amountFen: { ...AMOUNT_FEN, title: '退款金额（分）' },
    refundedAt: { ...TIMESTAMP, title: '退款时间' },
  },
  additionalProperties: false,
} as const;

/** Also the `details` of ALREADY_REFUNDED. */
export interface PaymentRefundReply {
  refundNo: string;
  orderId: string;
  status: 'refunded';
  amountFen: number;
  refundedAt: string;
}

// --------------------------------------------------------- the order view

export const PAYMENT_ORDER_REPLY = {
  type: 'object',
  required: ['orderId', 'paymentOrderNo', 'status', 'amountFen', 'subject', 'createdAt'],
  properties: {
    orderId: ORDER_ID,
    paymentOrderNo: PAYMENT_ORDER_NO,
    status: STATUS,
    amountFen: AMOUNT_FEN,
    subject: { type: 'string', title: '商品说明' },
    createdAt: { ...TIMESTAMP, title: '下单时间' },
    paidAt: { ...TIMESTAMP, title: '支付时间' },
    refundedAt: { ...TIMESTAMP, title: '退款时间' },
    closedAt: { ...TIMESTAMP, title: '关闭时间' },
    refund: {
      type: 'object',
      title: '退款',
      required: ['refundNo', 'refundId', 'amountFen', 'reason', 'refundedAt'],
      properties: {
        refundNo: REFUND_NO,
        refundId: { ...ORDER_ID, title: '业务退款单号' },
        amountFen: { ...AMOUNT_FEN, title: '退款金额（分）' },
        reason: { type: 'string', title: '退款原因' },
        refundedAt: { ...TIMESTAMP, title: '退款时间' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** The reply of an order query and of closing an order. */
export interface PaymentOrderReply {
  orderId: string;
  paymentOrderNo: string;
  status: PaymentOrderStatus;
  amountFen: number;
  subject: string;
  createdAt: string;
  paidAt?: string;
  refundedAt?: string;
  closedAt?: string;
  refund?: { refundNo: string; refundId: string; amountFen: number; reason: string; refundedAt: string };
}

// ---------------------------------------------------- paid notification

/**
 * What the payment system POSTs to `notifyUrl` once an order is paid, signed
 * with the gateway signature as caller `payment`, with Idempotency-Key
 * `<paymentOrderNo>:paid`. Any 2xx answer ends the retries.
 */
export const PAYMENT_NOTIFICATION = {
  type: 'object',
  required: ['orderId', 'paymentOrderNo', 'status', 'amountFen', 'paidAt'],
  properties: {
    orderId: ORDER_ID,
    paymentOrderNo: PAYMENT_ORDER_NO,
    status: { type: 'string', title: '订单状态', enum: ['paid'] },
    amountFen: AMOUNT_FEN,
    paidAt: { ...TIMESTAMP, title: '支付时间' },
  },
  additionalProperties: false,
} as const;

export interface PaymentNotification {
  orderId: string;
  paymentOrderNo: string;
  status: 'paid';
  amountFen: number;
  paidAt: string;
}

export const PAYMENT_NOTIFY_CALLER = 'payment';

// ------------------------------------------------------------------ errors

export const PAYMENT_ERRORS = {
  ORDER_EXISTS: { status: 409, message: '该业务订单号已经下过单，请使用已有的支付订单，不要重复下单' },
  ORDER_NOT_FOUND: { status: 404, message: '没有这个订单，请核对业务订单号' },
  ORDER_NOT_PAID: { status: 409, message: '订单尚未支付（或已关闭），不能退款' },
  ORDER_ALREADY_PAID: { status: 409, message: '订单已支付，不能关闭；如需退还费用请申请退款' },
  REFUND_AMOUNT_INVALID: { status: 422, message: '只支持全额退款：退款金额必须等于实付金额' },
  ALREADY_REFUNDED: { status: 409, message: '该订单已经退款，不能重复退款' },
  PAY_SIGN_INVALID: { status: 401, message: '支付参数无效（签名不符），请回到办事页面重新发起支付' },
  ORDER_NOT_PAYABLE: { status: 409, message: '这笔订单已关闭或已退款，不能支付；请回到办事页面重新发起支付' },
} as const;

export type PaymentErrorCode = keyof typeof PAYMENT_ERRORS;
