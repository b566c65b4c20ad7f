// One function per BFF call the citizen's pages make, typed with the shared types.
import type {
  ApplicationDraft,
  ApplicationForm,
  CaseTracking,
  CaseView,
  CitizenSessionReply,
  CurrentCaseReply,
  DraftView,
  EligibilityAnswers,
  EligibilityVerdict,
  FaceCheckView,
  LastEligibilityReply,
  MessageList,
  MessagesMarkedRead,
  MeView,
  NoticeReply,
  NotificationSettingsView,
  OwnPhoneReply,
  PostageView,
  ReportReceipt,
  SavedDraftView,
  SignInUrlReply,
  SubmissionCheckView,
  VerificationView,
} from '@flexins/shared';
import { request } from './http';

export const api = {
  signInUrl: (redirectUri: string, state: string) =>
    request<SignInUrlReply>(
      'GET',
      `/api/auth/sign-in-url?redirectUri=${encodeURIComponent(redirectUri)}&state=${encodeURIComponent(state)}`,
      { anonymous: true },
    ),
  signIn: (code: string) =>
    request<CitizenSessionReply>('POST', '/api/auth/sessions', {
      body: { code },
      anonymous: true,
      retries: 0,
    }),
  notice: () => request<NoticeReply>('GET', '/api/notice', { anonymous: true }),
  me: () => request<MeView>('GET', '/api/me'),
  /** The registered phone, whole, for the card's recipient phone (the identity page shows it masked). */
  ownPhone: () => request<OwnPhoneReply>('GET', '/api/me/phone'),
  /** `verifyResult`: the host face SDK's result token (mini-program); without it the platform compares alone. */
  faceCheck: (attemptKey: string, verifyResult?: string) =>
    request<FaceCheckView>('POST', '/api/face-checks', {
      headers: { 'idempotency-key': attemptKey },
      ...(verifyResult ? { body: { verifyResult } } : {}),
    }),
  /** The last check while it stands (an hour): another device shows it instead of asking again. */
  lastEligibility: () => request<LastEligibilityReply>('GET', '/api/eligibility'),
  eligibility: (answers: EligibilityAnswers) =>
    // Read-only at the departments: safe to repeat.
    request<EligibilityVerdict>('POST', '/api/eligibility', { body: answers, retries: 1 }),
  loadDraft: () => request<DraftView>('GET', '/api/drafts/current'),
  saveDraft: (draft: ApplicationDraft) =>
    request<SavedDraftView>('PUT', '/api/drafts/current', { body: draft, retries: 0 }),
  orderPostage: (returnUrl: string) =>
    // One open order per applicant at the BFF: a repeat returns the same order.
    request<PostageView>('POST', '/api/postage-orders', { body: { returnUrl }, retries: 2 }),
  postageOrder: (orderId: string) => request<PostageView>('GET', `/api/postage-orders/${encodeURIComponent(orderId)}`),
  /** Whether the eligibility and face checks still stand, by the server's clock. */
  submissionCheck: () => request<SubmissionCheckView>('GET', '/api/submission-check'),
  submit: (form: ApplicationForm, key: string) =>
    request<CaseView>('POST', '/api/applications', {
      body: form,
      headers: { 'idempotency-key': key },
      timeoutMs: 30_000,
    }),
  currentCase: () => request<CurrentCaseReply>('GET', '/api/applications/current'),
  case: (caseNo: string) => request<CaseView>('GET', `/api/applications/${encodeURIComponent(caseNo)}`),
  /** Asks HRSS live (card post, archive transfer): a few seconds at worst; one quiet repeat. */
  tracking: (caseNo: string) =>
    request<CaseTracking>('GET', `/api/applications/${encodeURIComponent(caseNo)}/tracking`, { retries: 1 }),
  /** The first premium's order at the cashier: one per case, so a repeat returns the same order. */
  orderPremium: (caseNo: string, returnUrl: string) =>
    request<PostageView>('POST', `/api/applications/${encodeURIComponent(caseNo)}/premium-order`, {
      body: { returnUrl },
      retries: 2,
    }),
  /** After the cashier: the BFF enters the paid premium with the tax system once, whatever the repeats. */
  confirmPremium: (caseNo: string) =>
    request<CaseView>('POST', `/api/applications/${encodeURIComponent(caseNo)}/premium-payment`, {
      body: {},
      retries: 1,
      timeoutMs: 30_000,
    }),
  rate: (caseNo: string, score: number, comment?: string) =>
    request<CaseView>('POST', `/api/applications/${encodeURIComponent(caseNo)}/rating`, {
      body: comment ? { score, comment } : { score },
    }),
  messages: () => request<MessageList>('GET', '/api/messages'),
  reportProblem: (category: string, text: string) =>
    request<ReportReceipt>('POST', '/api/problems', {
      body: { category, text },
      retries: 0,
    }),
  markMessagesRead: () => request<MessagesMarkedRead>('POST', '/api/messages/read', { retries: 1 }),
  notificationSettings: () => request<NotificationSettingsView>('GET', '/api/me/notification-settings'),
  changeNotificationSettings: (change: Partial<NotificationSettingsView>) =>
    request<NotificationSettingsView>('PUT', '/api/me/notification-settings', { body: change, retries: 1 }),
  verifyCertificate: (code: string) =>
    request<VerificationView>('GET', `/api/certificates/${encodeURIComponent(code)}`, { anonymous: true }),
};
