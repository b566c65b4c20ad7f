// One function per BFF call the citizen's pages make, typed with the shared types.
import type {
  ApplicationDraft,
  ApplicationForm,
  CaseTracking,
  EligibilityAnswers,
  EligibilityVerdict,
  LastEligibility,
  Notice,
} from '@flexins/shared';
import { request } from './http';
import type { CaseView, FaceCheckResult, Me, Message, PostageOrder, Verification } from './types';

export const api = {
  signInUrl: (redirectUri: string, state: string) =>
    request<{ url: string }>(
      'GET',
      `/api/auth/sign-in-url?redirectUri=${encodeURIComponent(redirectUri)}&state=${encodeURIComponent(state)}`,
      { anonymous: true },
    ),
  signIn: (code: string) =>
    request<{ token: string; expiresAt: string }>('POST', '/api/auth/sessions', {
      body: { code },
      anonymous: true,
      retries: 0,
    }),
  notice: () => request<{ notice: Notice }>('GET', '/api/notice', { anonymous: true }),
  me: () => request<Me>('GET', '/api/me'),
  /** The registered phone, whole, for the card's recipient phone (the identity page shows it masked). */
  ownPhone: () => request<{ phone: string }>('GET', '/api/me/phone'),
  /** `verifyResult`: the host face SDK's result token (mini-program); without it the platform compares alone. */
  faceCheck: (attemptKey: string, verifyResult?: string) =>
    request<FaceCheckResult>('POST', '/api/face-checks', {
      headers: { 'idempotency-key': attemptKey },
      ...(verifyResult ? { body: { verifyResult } } : {}),
    }),
  /** The last check while it stands (an hour): another device shows it instead of asking again. */
  lastEligibility: () => request<{ eligibility: LastEligibility | null }>('GET', '/api/eligibility'),
  eligibility: (answers: EligibilityAnswers) =>
    // Read-only at the departments: safe to repeat.
    request<EligibilityVerdict>('POST', '/api/eligibility', { body: answers, retries: 1 }),
  loadDraft: () => request<{ draft: ApplicationDraft | null; savedAt: string | null }>('GET', '/api/drafts/current'),
  saveDraft: (draft: ApplicationDraft) =>
    request<{ draft: ApplicationDraft; savedAt: string }>('PUT', '/api/drafts/current', { body: draft, retries: 0 }),
  orderPostage: (returnUrl: string) =>
    // One open order per applicant at the BFF: a repeat returns the same order.
    request<PostageOrder>('POST', '/api/postage-orders', { body: { returnUrl }, retries: 2 }),
  postageOrder: (orderId: string) => request<PostageOrder>('GET', `/api/postage-orders/${encodeURIComponent(orderId)}`),
  submit: (form: ApplicationForm, key: string) =>
    request<CaseView>('POST', '/api/applications', {
      body: form,
      headers: { 'idempotency-key': key },
      timeoutMs: 30_000,
    }),
  currentCase: () => request<{ application: CaseView | null }>('GET', '/api/applications/current'),
  case: (caseNo: string) => request<CaseView>('GET', `/api/applications/${encodeURIComponent(caseNo)}`),
  /** Asks HRSS live (card post, archive transfer): a few seconds at worst; one quiet repeat. */
  tracking: (caseNo: string) =>
    request<CaseTracking>('GET', `/api/applications/${encodeURIComponent(caseNo)}/tracking`, { retries: 1 }),
  payPremium: (caseNo: string, amountFen: number) =>
    // The BFF pays a declaration once whatever the repeats.
    request<CaseView>('POST', `/api/applications/${encodeURIComponent(caseNo)}/premium-payment`, {
      body: { amountFen },
      retries: 1,
      timeoutMs: 30_000,
    }),
  rate: (caseNo: string, score: number, comment?: string) =>
    request<CaseView>('POST', `/api/applications/${encodeURIComponent(caseNo)}/rating`, {
      body: comment ? { score, comment } : { score },
    }),
  messages: () => request<{ messages: Message[] }>('GET', '/api/messages'),
  reportProblem: (category: string, text: string) =>
    request<{ problemId: string; deadline: string; message: string }>('POST', '/api/problems', {
      body: { category, text },
      retries: 0,
    }),
  markMessagesRead: () => request<{ marked: number }>('POST', '/api/messages/read', { retries: 1 }),
  verifyCertificate: (code: string) =>
    request<Verification>('GET', `/api/certificates/${encodeURIComponent(code)}`, { anonymous: true }),
};
