// The eligibility verdict as it is kept with the applicant: what the check
// found, without what the rules say anyway. Each rule's effect, policy
// sentence and pass text are the rule set's (shared/src/eligibility-rules.ts),
// so a passed rule is stored as its id, and one that failed or waits as its
// id, status and filled sentences; the texts are put back when it is read. A
// verdict stands an hour (ELIGIBILITY_VALID_MS), so it is read back with the
// rule set it was made with, bar a release within that hour (then the newer
// wording of the same rule, which is what the applicant should read).
// Stored whole, the verdict was 4 KB of the applicant's 5.6 KB document, and
// every submission rewrites that document.
import {
  ELIGIBILITY_RULES,
  type EligibilityRuleId,
  type EligibilityVerdict,
  type RuleResult,
  type RuleStatus,
} from '@flexins/shared';

/** One rule's result as stored: the texts only where the check filled them in. */
export interface StoredRuleResult {
  id: EligibilityRuleId;
  status: RuleStatus;
  /** Failed or pending: the sentence the check made (a passed rule reads its rule's pass text). */
  reason?: string;
  whatToDo?: string;
}

export interface StoredVerdict extends Omit<EligibilityVerdict, 'rules'> {
  /**
   * In the rule set's order: a passed rule's id, or the result of one that failed or waits. Whole
   * `RuleResult`s in documents stored before the compact shape (they read as they are).
   */
  rules: (EligibilityRuleId | StoredRuleResult | RuleResult)[];
}

const RULES = new Map(ELIGIBILITY_RULES.map((rule) => [rule.id, rule]));

export function storedVerdict(verdict: EligibilityVerdict): StoredVerdict {
  return {
    ...verdict,
    rules: verdict.rules.map(({ id, status, reason, whatToDo }) =>
      status === 'passed' && whatToDo === undefined
        ? id
        : { id, status, ...(status !== 'passed' ? { reason } : {}), ...(whatToDo !== undefined ? { whatToDo } : {}) },
    ),
  };
}

export function verdictOf(stored: StoredVerdict): EligibilityVerdict {
  return {
    ...stored,
    rules: stored.rules.flatMap((entry): RuleResult[] => {
      if (typeof entry !== 'string' && 'policy' in entry) return [entry];
      const result: StoredRuleResult = typeof entry === 'string' ? { id: entry, status: 'passed' } : entry;
      const rule = RULES.get(result.id);
      // A rule dropped from the rule set since: nothing to say about it any more.
      if (!rule) return [];
      return [
        {
          id: result.id,
          status: result.status,
          passed: result.status !== 'failed',
          effect: rule.effect,
          reason: result.reason ?? rule.pass,
          policy: rule.policy,
          ...(result.whatToDo !== undefined ? { whatToDo: result.whatToDo } : {}),
        },
      ];
    }),
  };
}
