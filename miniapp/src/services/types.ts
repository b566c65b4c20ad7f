// What the BFF answers (bff/src/modules/*: presenters and services), as the mini-app reads it.
import type { MatterId, MatterState, PaymentHostPayParams } from '@flexins/shared';

export interface Me {
  name: string;
  /** Partly hidden (110105********123X). */
  idNumber: string;
  /** Partly hidden. */
  phone: string;
  sex: string;
  birthDate: string;
  ethnicity: string;
  household: { regionCode: string; address: string };
  residencePermit?: { regionCode: string; validUntil: string };
  hasPhoto: boolean;
  faceCheck?: { passed: boolean; reason?: string; checkedAt: string; checkId: string };
}

export interface FaceCheckResult {
  checkId: string;
  passed: boolean;
  reason?: string;
}

export interface PostageOrder {
  orderId: string;
  amountFen: number;
  status: 'created' | 'paid' | 'refunded' | 'closed';
  cashierUrl: string;
  paidAt?: string;
  /** For the host app's payment sheet (Taro.requestPayment): only on our own unpaid order. */
  payParams?: PaymentHostPayParams;
}

export interface MatterView {
  id: MatterId;
  name: string;
  department: string;
  state: MatterState;
  stateLabel: string;
  explanation: string;
  stage: string | null;
  cause?: string;
  refs: Record<string, string>;
  result?: Record<string, unknown>;
  attempts: number;
  updatedAt: string;
}

export interface CaseView {
  caseNo: string;
  status: 'processing' | 'awaitingPayment' | 'completed';
  statusLabel: string;
  applicantName: string;
  createdAt: string;
  completedAt?: string;
  offlineNotes: string[];
  postage?: { amountFen: number; paid: boolean; refunded: boolean; refundNo?: string };
  matters: MatterView[];
  timeline: { at: string; matter?: string; text: string }[];
  certificate?: { code: string; issuedAt: string };
  rating?: { score: number; comment?: string };
}

export interface Message {
  id: string;
  caseNo: string;
  text: string;
  createdAt: string;
  read: boolean;
}

export interface Verification {
  valid: true;
  caseNo: string;
  applicant: { name: string; idNumber: string };
  completedAt: string;
  matters: { name: string; outcome: string }[];
}
