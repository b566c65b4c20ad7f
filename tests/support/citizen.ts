// A citizen driving the BFF's API the way the mini-app does, for journeys
// that do not need the screens (the browser journeys live with the mini-app).
import { randomUUID } from 'node:crypto';
import {
  IDENTITY_PATHS,
  PAYMENT_PATHS,
  chinaToday,
  currentCountyCode,
  type ApplicationForm,
  type IdentityFaceVerifyResultReply,
} from '@flexins/shared';
import { GatewayClient } from '@flexins/shared/server';
import type { RosterPerson } from '../../bff/simulators/roster';

export interface Reply {
  status: number;
  body: any;
}

export class Citizen {
  token = '';

  constructor(
    readonly bffUrl: string,
    readonly identityUrl: string,
    readonly person: RosterPerson,
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(`${this.bffUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /**
   * Through the identity platform's sign-in page, as the H5 build does. A 503
   * (the identity platform missed the BFF's time-out on a loaded machine) is
   * met as a citizen meets it: signing in again, with a new one-time code.
   */
  async signIn(): Promise<void> {
    const session = await this.patiently(async () => {
      const state = randomUUID().replace(/-/g, '');
      const page = new URL('/sign-in/choose', this.identityUrl);
      page.searchParams.set('person', this.person.key);
      page.searchParams.set('redirect_uri', `${this.bffUrl}/pages/entry/index`);
      page.searchParams.set('state', state);
      const redirect = await fetch(page, { redirect: 'manual' });
      const location = new URL(redirect.headers.get('location') ?? '');
      if (location.searchParams.get('state') !== state) throw new Error('state did not come back');
      return this.call('POST', '/api/auth/sessions', { code: location.searchParams.get('code') });
    });
    if (session.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(session.body)}`);
    this.token = session.body.token;
  }

  async faceCheck(): Promise<Reply> {
    return this.call('POST', '/api/face-checks', undefined, { 'idempotency-key': randomUUID() });
  }

  /** The face check as the mini-program sends it: with the host face SDK's body (its verifyResult). */
  async faceCheckWith(body: unknown, attemptKey: string = randomUUID()): Promise<Reply> {
    return this.call('POST', '/api/face-checks', body, { 'idempotency-key': attemptKey });
  }

  /**
   * Orders the postage as the mini-program does and confirms it in the host's
   * payment sheet (the payment system's host endpoint stands in for the host).
   */
  async payPostageInHost(paymentUrl: string): Promise<{ order: Reply; paid: Reply }> {
    const order = await this.call('POST', '/api/postage-orders', { returnUrl: `${this.bffUrl}/pages/review/index` });
    if (order.status !== 201) throw new Error(`postage order failed: ${JSON.stringify(order.body)}`);
    return { order, paid: await payInHostSheet(paymentUrl, order.body.payParams) };
  }

  async eligibility(overrides: Record<string, unknown> = {}): Promise<Reply> {
    return this.call('POST', '/api/eligibility', {
      employmentType: this.person.employmentType,
      wantsBackPayment: Boolean(this.person.wantsBackPayment),
      wantsSpecialPayment: false,
      ...overrides,
    });
  }

  /** Orders the postage and pays it at the cashier, as the citizen's tap would. */
  async payPostage(): Promise<string> {
    const order = await this.call('POST', '/api/postage-orders', { returnUrl: `${this.bffUrl}/pages/review/index` });
    if (order.status !== 201) throw new Error(`postage order failed: ${JSON.stringify(order.body)}`);
    return this.payAtCashier(order.body);
  }

  /** Orders the first premium, pays it at the cashier page as the citizen's confirm would; not yet told to the BFF by the citizen. */
  async payPremiumAtCashier(caseNo: string): Promise<string> {
    const order = await this.call('POST', `/api/applications/${caseNo}/premium-order`, {
      returnUrl: `${this.bffUrl}/case/progress/index?caseNo=${caseNo}`,
    });
    if (order.status !== 201) throw new Error(`premium order failed: ${order.status} ${JSON.stringify(order.body)}`);
    return this.payAtCashier(order.body);
  }

  /** The first premium the whole way: ordered, paid at the cashier, and confirmed on coming back. */
  async payPremium(caseNo: string): Promise<Reply> {
    await this.payPremiumAtCashier(caseNo);
    return this.call('POST', `/api/applications/${caseNo}/premium-payment`, {});
  }

  private async payAtCashier(order: { cashierUrl: string; orderId: string }): Promise<string> {
    const paid = await fetch(`${order.cashierUrl}/pay`, { method: 'POST', redirect: 'manual' });
    if (paid.status !== 303) throw new Error(`cashier answered ${paid.status}`);
    return order.orderId;
  }

  /** The one form, filled as this person would. */
  form(parts: {
    faceCheckId: string;
    noticeVersion: string;
    postageOrderId?: string;
    withCard: boolean;
  }): ApplicationForm {
    const p = this.person;
    const county =
      currentCountyCode(p.household.regionCode) ??
      (p.residencePermit && currentCountyCode(p.residencePermit.regionCode)) ??
      '640104';
    return {
      employment: { type: p.employmentType as ApplicationForm['employment']['type'], startDate: chinaToday() },
      residenceRegionCode: county,
      archive: { location: 'previousEmployer', detail: '银川市某商贸有限公司' },
      pension: { baseGradePercent: 100 },
      ...(parts.withCard
        ? {
            card: {
              issuingBank: 'icbc',
              mailingAddress: {
                regionCode: county,
                detail: '解放西街 100 号 2 单元 301 室',
                recipient: p.name,
                phone: p.phone,
              },
            },
          }
        : {}),
      payment: { periodStart: chinaToday().slice(0, 7), months: 1 },
      consent: { noticeVersion: parts.noticeVersion, agreed: true },
      faceCheckId: parts.faceCheckId,
      ...(parts.postageOrderId ? { postageOrderId: parts.postageOrderId } : {}),
    } as ApplicationForm;
  }

  async submit(form: ApplicationForm, clientKey: string = randomUUID()): Promise<Reply> {
    return this.call('POST', '/api/applications', form, { 'idempotency-key': clientKey });
  }

  /**
   * A call the citizen repeats after "暂时不可用" (503), as the app's 再试一次
   * would: on a loaded machine a department may miss the BFF's time-out.
   * Anything else — a 500 above all — is returned at once for the test to judge.
   */
  async patiently(what: () => Promise<Reply>, timeoutMs = 120_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    let delay = 250;
    for (;;) {
      const reply = await what();
      if (reply.status !== 503 || Date.now() > deadline) return reply;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 4_000);
    }
  }

  /**
   * Everything up to the submission for an eligible person applying for the
   * card: sign-in, face check, eligibility, paid postage; returns the form.
   */
  async prepare(noticeVersion: string): Promise<ApplicationForm> {
    await this.signIn();
    const faceKey = randomUUID();
    const face = await this.patiently(() =>
      this.call('POST', '/api/face-checks', undefined, { 'idempotency-key': faceKey }),
    );
    if (face.status !== 201 && face.status !== 200) throw new Error(`face check: ${JSON.stringify(face.body)}`);
    const verdict = await this.patiently(() => this.eligibility());
    if (verdict.body?.eligible !== true)
      throw new Error(`${this.person.key} not eligible: ${verdict.status} ${JSON.stringify(verdict.body)}`);
    let postageOrderId = '';
    await this.patiently(async () => {
      const order = await this.call('POST', '/api/postage-orders', { returnUrl: `${this.bffUrl}/pages/review/index` });
      if (order.status === 201) postageOrderId = await this.payAtCashier(order.body);
      else if (order.status !== 503) throw new Error(`postage order failed: ${JSON.stringify(order.body)}`);
      return order;
    });
    const paid = await this.call('GET', `/api/postage-orders/${postageOrderId}`);
    if (paid.body?.status !== 'paid') throw new Error(`postage not paid: ${JSON.stringify(paid.body)}`);
    return this.form({ faceCheckId: face.body.checkId, noticeVersion, postageOrderId, withCard: true });
  }

  /** Everything up to a submitted case; returns the submission reply. */
  async apply(noticeVersion: string): Promise<Reply> {
    await this.signIn();
    const face = await this.faceCheck();
    const eligibility = await this.eligibility();
    const withCard = eligibility.body.matters?.socialSecurityCard === 'apply';
    const postageOrderId = withCard ? await this.payPostage() : undefined;
    return this.submit(this.form({ faceCheckId: face.body.checkId, noticeVersion, postageOrderId, withCard }));
  }

  /** Polls the case until `done` says so (or the deadline passes). */
  async waitForCase(caseNo: string, done: (view: any) => boolean, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let delay = 50;
    for (;;) {
      const view = await this.call('GET', `/api/applications/${caseNo}`);
      if (view.status === 200 && done(view.body)) return view.body;
      if (Date.now() > deadline)
        throw new Error(
          `case ${caseNo} did not get there: ${JSON.stringify(view.body?.matters?.map((m: any) => [m.id, m.state, m.cause]))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 500);
    }
  }
}

/** The host app's payment sheet, confirmed by the citizen: it sends the payment system the sheet's parameters. */
export async function payInHostSheet(paymentUrl: string, payParams: unknown): Promise<Reply> {
  const response = await fetch(`${paymentUrl}${PAYMENT_PATHS.hostPayments}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payParams),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * The host face SDK, done for this roster person: the result token it hands
 * the mini-program, from the identity platform's stand-in (a signed call, as
 * the platform's other stand-in for the host, the login code).
 */
export async function hostFaceVerifyResult(
  identity: { url: string; callerId: string; secret: string },
  personKey: string,
): Promise<string> {
  const client = new GatewayClient({ baseUrl: identity.url, callerId: identity.callerId, secret: identity.secret });
  const outcome = await client.post<IdentityFaceVerifyResultReply>(
    IDENTITY_PATHS.faceVerifyResults,
    { personKey },
    { idempotencyKey: randomUUID() },
  );
  if (outcome.kind !== 'ok') throw new Error(`no face verify result for ${personKey}: ${JSON.stringify(outcome)}`);
  return outcome.body.verifyResult;
}

/**
 * A case at rest: every matter is finished, waiting for the citizen (the
 * first premium), in manual handling, or held up with a stated cause.
 */
export const atRest = (view: any): boolean =>
  view.matters.every(
    (m: any) =>
      ['delivered', 'decided', 'notNeeded', 'rejected', 'manual'].includes(m.state) ||
      (m.state === 'waiting' && Boolean(m.cause)),
  );
