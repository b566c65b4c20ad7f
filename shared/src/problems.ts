/**
 * The problem list's categories (问题清单, the work plan's feedback channel):
 * what a citizen may choose when reporting a problem, and the one kind only a
 * bad rating opens. Shown on the citizen's help page and to supervisors.
 */
export const PROBLEM_CATEGORIES = {
  progress: '办理进度慢或看不懂',
  result: '办理结果有疑问',
  payment: '缴费或退费',
  card: '社会保障卡',
  service: '服务态度',
  system: '系统使用',
  other: '其他',
  /** Only from a 1–2 rating, never chosen by the citizen. */
  badRating: '差评回访',
} as const;

export type ProblemCategory = keyof typeof PROBLEM_CATEGORIES;

export type ReportableCategory = Exclude<ProblemCategory, 'badRating'>;

/** What a citizen may choose when reporting. */
export const REPORTABLE_CATEGORIES = (Object.keys(PROBLEM_CATEGORIES) as ProblemCategory[]).filter(
  (c): c is ReportableCategory => c !== 'badRating',
);

/** The length a report's text must have (the BFF's schema and the help page's check). */
export const PROBLEM_TEXT_LENGTH = { min: 5, max: 1000 } as const;

/**
 * The one promise for a problem or a bad rating's follow-up (整改答复期限):
 * the deadline every item gets, and what the rating page, the help page and
 * the problem list say. The work plan (宁人社发〔2026〕54号) names no number of
 * days — it asks that problems found be fixed at once (发现问题立即整改) and
 * that 好差评 feedback be followed up (督查整改落实) — so 15 working days is
 * this service's outer limit, not a figure of the plan.
 */
export const PROBLEM_WORKING_DAYS = 15;

/** `15 个工作日内`, for sentences. */
export const PROBLEM_PROMISE = `${PROBLEM_WORKING_DAYS} 个工作日内`;
