// Where a citizen who comes back picks up (继续填写): the step they left, worked out from
// what is kept — the draft on the server, the eligibility check of the last hour, the face check.
import type { ApplicationDraft } from '@flexins/shared';
import { api } from '../services/api';
import { ROUTES, type Route } from '../services/nav';
import { keepVerdict } from '../services/session';

export interface ResumeTarget {
  route: Route;
  params?: Record<string, string>;
}

/** Undefined when there is nothing to pick up: the notice (of this version) was never agreed to. */
export async function resumeTarget(draft: ApplicationDraft, noticeVersion: string): Promise<ResumeTarget | undefined> {
  if (draft.consent?.agreed !== true || draft.consent.noticeVersion !== noticeVersion) return undefined;
  const { eligibility } = await api.lastEligibility().catch(() => ({ eligibility: null }));
  // An hour old or more, or not passed: the three questions again (the answers are kept while they stand).
  if (!eligibility?.verdict.eligible) return { route: ROUTES.eligibility };
  keepVerdict(eligibility.verdict);
  if (!draft.faceCheckId) return { route: ROUTES.identity };
  const withCard = eligibility.verdict.matters.socialSecurityCard === 'apply';
  // The form's checks (its validator is 36 KB) are loaded here, not with the notice page.
  const { checkForm, inSection, sectionsFor } = await import('../services/form');
  const problems = checkForm(draft, withCard);
  const unfinished = sectionsFor(withCard).find((s) => Object.keys(inSection(problems, s)).length > 0);
  return unfinished ? { route: ROUTES.form, params: { section: unfinished.id } } : { route: ROUTES.review };
}
