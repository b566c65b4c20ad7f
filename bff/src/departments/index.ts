// The department systems as the BFF sees them: one adapter per department
// behind one small interface each, all built on the signed gateway client
// and the resilience wrapper. Swapping a simulator for the real system means
// changing the URL and secret, not this code — as long as the contract
// (shared/src/contracts) holds.
import {
  IDENTITY_PATHS,
  MARKET_PATHS,
  PAYMENT_PATHS,
  SMS_PATHS,
  type HrssArchiveTransferQueryReply,
  type HrssArchiveTransferReply,
  type HrssArchiveTransferRequest,
  type HrssCardApplicationQueryReply,
  type HrssCardApplicationReply,
  type HrssCardApplicationRequest,
  type HrssCardQueryReply,
  type HrssEmploymentRegistrationReply,
  type HrssEmploymentRegistrationRequest,
  type HrssEnrollmentQueryReply,
  type HrssPensionRegistrationReply,
  type HrssPensionRegistrationRequest,
  type IdentityFaceCheckReply,
  type IdentityPersonReply,
  type IdentityStaffSignInReply,
  type MarketRegistrationQueryReply,
  type MedicalEnrollmentQueryReply,
  type MedicalFlexibleRegistrationReply,
  type MedicalFlexibleRegistrationRequest,
  type PaymentCreateOrderReply,
  type PaymentCreateOrderRequest,
  type PaymentOrderReply,
  type PaymentRefundReply,
  type PaymentRefundRequest,
  type SmsSendReply,
  type SmsSendRequest,
  type TaxDeclarationQueryReply,
  type TaxDeclarationReply,
  type TaxDeclarationRequest,
  type TaxInsuranceRegistrationReply,
  type TaxInsuranceRegistrationRequest,
  type TaxPaymentReply,
  type TaxPaymentRequest,
} from '@flexins/shared';
import { GatewayClient } from '@flexins/shared/server';
import { breakerState, departmentCall } from '../platform/metrics';
import { outgoingTraceparent } from '../platform/trace';
import {
  DEFAULT_BREAKER,
  DepartmentBreaker,
  guarded,
  type BreakerOptions,
  type DepartmentId,
  type DeptResult,
} from './resilience';

export * from './resilience';

export interface DepartmentEndpoint {
  url: string;
  secret: string;
}

export interface DepartmentsConfig {
  callerId: string;
  endpoints: Record<DepartmentId, DepartmentEndpoint>;
  /** Per-call time-out; a hung department costs at most this. */
  timeoutMs: number;
  breaker?: BreakerOptions;
}

/** Passed on every call: the request id to follow, and the key that makes a write safe to repeat. */
export interface CallMeta {
  requestId?: string;
  idempotencyKey?: string;
}

export interface Departments {
  identity: {
    exchangeCode(code: string, meta: CallMeta): Promise<DeptResult<IdentityPersonReply>>;
    /** With the host face SDK's verifyResult, the platform confirms that token instead of comparing on its own. */
    faceCheck(idNumber: string, meta: CallMeta, verifyResult?: string): Promise<DeptResult<IdentityFaceCheckReply>>;
    faceCheckResult(checkId: string, meta: CallMeta): Promise<DeptResult<IdentityFaceCheckReply>>;
    person(idNumber: string, meta: CallMeta): Promise<DeptResult<IdentityPersonReply>>;
    staffSignIn(username: string, password: string, meta: CallMeta): Promise<DeptResult<IdentityStaffSignInReply>>;
    /** Where the H5 build sends a citizen to sign in (the host app stands in here). */
    signInPageUrl(redirectUri: string, state: string): string;
  };
  hrss: {
    enrollments(idNumber: string, meta: CallMeta): Promise<DeptResult<HrssEnrollmentQueryReply>>;
    card(idNumber: string, meta: CallMeta): Promise<DeptResult<HrssCardQueryReply>>;
    registerEmployment(
      body: HrssEmploymentRegistrationRequest,
      meta: CallMeta,
    ): Promise<DeptResult<HrssEmploymentRegistrationReply>>;
    transferArchive(body: HrssArchiveTransferRequest, meta: CallMeta): Promise<DeptResult<HrssArchiveTransferReply>>;
    archiveProgress(transferLetterNo: string, meta: CallMeta): Promise<DeptResult<HrssArchiveTransferQueryReply>>;
    registerPension(
      body: HrssPensionRegistrationRequest,
      meta: CallMeta,
    ): Promise<DeptResult<HrssPensionRegistrationReply>>;
    applyForCard(body: HrssCardApplicationRequest, meta: CallMeta): Promise<DeptResult<HrssCardApplicationReply>>;
    cardProgress(cardApplicationNo: string, meta: CallMeta): Promise<DeptResult<HrssCardApplicationQueryReply>>;
  };
  medical: {
    enrollments(idNumber: string, meta: CallMeta): Promise<DeptResult<MedicalEnrollmentQueryReply>>;
    register(
      body: MedicalFlexibleRegistrationRequest,
      meta: CallMeta,
    ): Promise<DeptResult<MedicalFlexibleRegistrationReply>>;
  };
  tax: {
    receiveRegistration(
      body: TaxInsuranceRegistrationRequest,
      meta: CallMeta,
    ): Promise<DeptResult<TaxInsuranceRegistrationReply>>;
    declare(body: TaxDeclarationRequest, meta: CallMeta): Promise<DeptResult<TaxDeclarationReply>>;
    declaration(declarationNo: string, meta: CallMeta): Promise<DeptResult<TaxDeclarationQueryReply>>;
    pay(body: TaxPaymentRequest, meta: CallMeta): Promise<DeptResult<TaxPaymentReply>>;
  };
  payment: {
    createOrder(body: PaymentCreateOrderRequest, meta: CallMeta): Promise<DeptResult<PaymentCreateOrderReply>>;
    order(orderId: string, meta: CallMeta): Promise<DeptResult<PaymentOrderReply>>;
    refund(body: PaymentRefundRequest, meta: CallMeta): Promise<DeptResult<PaymentRefundReply>>;
  };
  market: {
    /** The businesses registered in the person's name (个体工商户, 企业), with employees on record (rule 5). */
    registrations(idNumber: string, meta: CallMeta): Promise<DeptResult<MarketRegistrationQueryReply>>;
  };
  sms: {
    /** A text message or a host-app subscription message; the key makes a repeat send nothing more. */
    send(body: SmsSendRequest, meta: CallMeta): Promise<DeptResult<SmsSendReply>>;
  };
  breakers: Record<DepartmentId, DepartmentBreaker>;
}

export function createDepartments(config: DepartmentsConfig): Departments {
  const ids: DepartmentId[] = ['identity', 'hrss', 'medical', 'tax', 'payment', 'market', 'sms'];
  const breakers = Object.fromEntries(
    ids.map((id) => [id, new DepartmentBreaker(config.breaker ?? DEFAULT_BREAKER, config.timeoutMs)]),
  ) as Record<DepartmentId, DepartmentBreaker>;
  const clients = Object.fromEntries(
    ids.map((id) => [
      id,
      new GatewayClient({
        baseUrl: config.endpoints[id].url,
        callerId: config.callerId,
        secret: config.endpoints[id].secret,
        timeoutMs: config.timeoutMs,
      }),
    ]),
  ) as Record<DepartmentId, GatewayClient>;

  // The breakers' states for the metrics: closed from the start, then every change as it happens.
  for (const id of ids) {
    breakerState(id, breakers[id].state);
    breakers[id].breaker.onStateChange(() => breakerState(id, breakers[id].state));
  }

  // Each call sends a child of the current trace, and is measured where its
  // outcome is known; never sent means its breaker held it back.
  const post =
    (id: DepartmentId, path: string) =>
    async <T>(body: unknown, meta: CallMeta): Promise<DeptResult<T>> => {
      const started = performance.now();
      let sent = false;
      const result = await guarded(id, breakers[id], (signal) => {
        sent = true;
        return clients[id].post<T>(path, body, { ...meta, signal, traceparent: outgoingTraceparent() });
      });
      const operation = path.slice(path.lastIndexOf('/') + 1);
      departmentCall(id, operation, sent ? result.kind : 'breakerOpen', (performance.now() - started) / 1000);
      return result;
    };

  return {
    identity: {
      exchangeCode: (code, meta) => post('identity', IDENTITY_PATHS.codeExchanges)({ code }, meta),
      faceCheck: (idNumber, meta, verifyResult) =>
        post('identity', IDENTITY_PATHS.faceChecks)({ idNumber, ...(verifyResult ? { verifyResult } : {}) }, meta),
      faceCheckResult: (checkId, meta) => post('identity', IDENTITY_PATHS.faceCheckQueries)({ checkId }, meta),
      person: (idNumber, meta) => post('identity', IDENTITY_PATHS.peopleQueries)({ idNumber }, meta),
      staffSignIn: (username, password, meta) =>
        post('identity', IDENTITY_PATHS.staffSignIns)({ username, password }, meta),
      signInPageUrl: (redirectUri, state) => {
        const url = new URL(IDENTITY_PATHS.signInPage, config.endpoints.identity.url);
        url.searchParams.set('redirect_uri', redirectUri);
        url.searchParams.set('state', state);
        return url.toString();
      },
    },
    hrss: {
      enrollments: (idNumber, meta) => post('hrss', '/hrss/v1/enrollment-queries')({ idNumber }, meta),
      card: (idNumber, meta) => post('hrss', '/hrss/v1/card-queries')({ idNumber }, meta),
      registerEmployment: (body, meta) => post('hrss', '/hrss/v1/employment-registrations')(body, meta),
      transferArchive: (body, meta) => post('hrss', '/hrss/v1/archive-transfers')(body, meta),
      archiveProgress: (transferLetterNo, meta) =>
        post('hrss', '/hrss/v1/archive-transfer-queries')({ transferLetterNo }, meta),
      registerPension: (body, meta) => post('hrss', '/hrss/v1/pension-registrations')(body, meta),
      applyForCard: (body, meta) => post('hrss', '/hrss/v1/card-applications')(body, meta),
      cardProgress: (cardApplicationNo, meta) =>
        post('hrss', '/hrss/v1/card-application-queries')({ cardApplicationNo }, meta),
    },
    medical: {
      enrollments: (idNumber, meta) => post('medical', '/medical/v1/enrollment-queries')({ idNumber }, meta),
      register: (body, meta) => post('medical', '/medical/v1/flexible-registrations')(body, meta),
    },
    tax: {
      receiveRegistration: (body, meta) => post('tax', '/tax/v1/insurance-registrations')(body, meta),
      declare: (body, meta) => post('tax', '/tax/v1/declarations')(body, meta),
      declaration: (declarationNo, meta) => post('tax', '/tax/v1/declaration-queries')({ declarationNo }, meta),
      pay: (body, meta) => post('tax', '/tax/v1/payments')(body, meta),
    },
    payment: {
      createOrder: (body, meta) => post('payment', PAYMENT_PATHS.orders)(body, meta),
      order: (orderId, meta) => post('payment', PAYMENT_PATHS.orderQueries)({ orderId }, meta),
      refund: (body, meta) => post('payment', PAYMENT_PATHS.refunds)(body, meta),
    },
    market: {
      registrations: (idNumber, meta) => post('market', MARKET_PATHS.registrationQueries)({ idNumber }, meta),
    },
    sms: {
      send: (body, meta) => post('sms', SMS_PATHS.messages)(body, meta),
    },
    breakers,
  };
}
