/**
 * What the BFF's replies about a case have in common, whoever asks: the
 * case's status and channel, its timeline, postage and certificate, and the
 * replies the citizen's app and the window clerk's screen both get (the face
 * check, the postage order). Types only: the BFF builds these, the mini-app
 * reads them (see ./citizen.ts and ./staff.ts).
 */
import type { PaymentHostPayParams, PaymentOrderStatus } from '../contracts/payment';

/** Where a case stands as a whole. */
export type CaseStatus = 'processing' | 'awaitingPayment' | 'completed';

/** How a case came in: the citizen's own app, or a clerk at a window. */
export type Channel = 'app' | 'window';

/** One entry of a case's timeline; `matter` is the matter's name, not its id. */
export interface CaseTimelineEntry {
  at: string;
  matter?: string;
  text: string;
}

/** The card's postage as a case shows it (no order number: it is the payment system's). */
export interface CasePostage {
  amountFen: number;
  paid: boolean;
  refunded: boolean;
  refundNo?: string;
}

/** The completion certificate's verification code, once the case is completed. */
export interface CaseCertificate {
  code: string;
  issuedAt: string;
}

/** POST /api/face-checks, POST /api/staff/window/face-checks. */
export interface FaceCheckView {
  checkId: string;
  passed: boolean;
  reason?: string;
}

/**
 * POST /api/postage-orders, GET /api/postage-orders/:orderId and the window's
 * twins (POST /api/staff/window/postage-orders, GET …/:orderId).
 */
export interface PostageView {
  orderId: string;
  amountFen: number;
  status: PaymentOrderStatus;
  cashierUrl: string;
  paidAt?: string;
  /** For the host app's payment sheet (Taro.requestPayment): to the applicant only, and only while the order can be paid; never on the window's. */
  payParams?: PaymentHostPayParams;
}
