/**
 * Who may use the one thing (申报条件), as data in one place: each rule with
 * the sentence of the document it comes from, what failing it does, and what
 * the applicant reads — why, and what to do instead. The notice lists the
 * same rules as conditions; the BFF runs `evaluateEligibility` on the
 * answers, the real-name record, the departments' enrollment queries and the
 * market regulation department's business registrations (rule 5).
 *
 * Source of rules 1–5: 宁人社发〔2026〕54号 附件2 三、申报条件及注意事项.
 * Age, residence and the face check are not in that list; each says where it
 * comes from (`basis`).
 */
import type { EligibilityAnswers } from './application';
import { HRSS_EMPLOYEE_INSURANCES, HRSS_INSURANCE_NAMES, type HrssEnrollment } from './contracts/hrss';
import { MARKET_BUSINESS_KIND_LABELS, MARKET_ROLE_LABELS, type MarketBusiness } from './contracts/market';
import { MEDICAL_INSURANCE_LABELS, type MedicalEnrollment } from './contracts/medical';
import type { Sex } from './id-number';
import { MATTERS, type MatterId } from './matters';
import { CURRENT_POLICY, checkAge, type PolicyConfig } from './policy';
import { describeRegion, isNingxiaRegion, NINGXIA_PROVINCE_CODE, provinceName } from './regions';

const WORK_PLAN = '宁人社发〔2026〕54号';

export type EligibilityRuleId =
  | 'noEmployeeInsurance' // 申报条件 1
  | 'noOngoingInsurance' // 申报条件 2
  | 'normalPaymentOnly' // 申报条件 3
  | 'firstNingxiaCard' // 申报条件 4
  | 'flexibleWorkerType' // 申报条件 5
  | 'age'
  | 'residence'
  | 'faceCheck';

/**
 * What failing a rule does:
 * - `blocksAll`: nothing can be applied for;
 * - `blocksMatters`: the matters in `appliesTo` and every matter that depends on them are blocked;
 * - `matterNotNeeded`: the matters in `appliesTo` are not needed, the rest goes on;
 * - `partOffline`: part of a matter is done at a window, the rest goes on.
 */
export type RuleEffect = 'blocksAll' | 'blocksMatters' | 'matterNotNeeded' | 'partOffline';

export interface RulePolicy {
  /** Where the text comes from, precise enough to look up. */
  document: string;
  /** The sentence itself, verbatim. */
  text: string;
  /**
   * `workPlan`: the provincial work plan; `law`: a national law or decision;
   * `serviceScope`: the scope this service is configured with, not a cited
   * document (to be replaced by the published 办事指南 wording).
   */
  basis: 'workPlan' | 'law' | 'serviceScope';
}

export interface EligibilityRule {
  id: EligibilityRuleId;
  /** The matters the policy sentence speaks of. */
  appliesTo: readonly MatterId[];
  effect: RuleEffect;
  policy: RulePolicy;
  /** The condition in plain words, as the notice lists it. */
  condition: string;
  /** What the applicant reads when the check passes. */
  pass: string;
  /** What they read when it fails; `{placeholders}` are filled by the evaluator. */
  failReason: string;
  /** Where to go or whom to call instead (also a template). */
  whatToDo: string;
  /**
   * When a department's record, not the applicant's answer, fails the check
   * (rule 5: the business registration shows employees), this is read instead.
   */
  fromRecord?: { failReason: string; whatToDo: string };
}

const ALL_MATTERS: readonly MatterId[] = MATTERS.map((m) => m.id);

/** Where offline work is done (申报条件 3). */
export const HRSS_WINDOW = '户籍或居住地所在县（区）人社窗口';
export const WINDOW_HOURS = '工作日办公时间（法定节假日除外，具体时间以当地窗口公布为准）';

export const ELIGIBILITY_RULES: readonly EligibilityRule[] = [
  {
    id: 'noEmployeeInsurance',
    appliesTo: ['employmentRegistration'],
    // Every other matter depends on employment registration.
    effect: 'blocksAll',
    policy: {
      document: `${WORK_PLAN} 附件2 三、1`,
      text: '灵活就业人员就业登记事项中，申请人不允许在外省或本省进行企业职工养老保险、企业职工医疗保险、机关事业单位养老保险、机关事业单位医疗保险参保。',
      basis: 'workPlan',
    },
    condition:
      '在宁夏和外省都没有正在参加企业职工或机关事业单位的养老保险、医疗保险（比如单位还在给您交社保，就不能办）。',
    pass: '没有正在参加的企业职工或机关事业单位养老保险、医疗保险。',
    failReason: '您在{province}有正在参保缴费的{insurance}，不能以灵活就业人员身份办理就业登记。',
    whatToDo:
      '请先让原单位办理停保（减员），或到参保地社保经办机构办理暂停缴费，停保后再来申请。不清楚的可拨打 12333 咨询，或到' +
      HRSS_WINDOW +
      '询问。',
  },
  {
    id: 'noOngoingInsurance',
    appliesTo: ['pensionRegistration', 'medicalRegistration'],
    effect: 'blocksMatters',
    policy: {
      document: `${WORK_PLAN} 附件2 三、2`,
      text: '灵活就业人员社保登记和医保登记事项中，申请人不允许有任何正在进行的社会保险和医疗保险的参保行为（不包括商业保险）。',
      basis: 'workPlan',
    },
    condition:
      '办理养老保险和医疗保险登记时，不能有任何正在参保缴费的社会保险或医疗保险（商业保险不算）。以前在宁夏参过医保、现在已经停保的，医保办理变更登记。',
    pass: '没有正在参保缴费的社会保险或医疗保险。',
    failReason: '您在{province}有正在参保缴费的{insurance}，不能再以灵活就业人员身份办理养老保险和医疗保险参保登记。',
    whatToDo:
      '请先到参保地的社保或医保经办机构办理停保（暂停缴费），停保后再来申请。可拨打 12333 咨询，或到' +
      HRSS_WINDOW +
      '询问。',
  },
  {
    id: 'normalPaymentOnly',
    appliesTo: ['premiumDeclaration'],
    effect: 'partOffline',
    policy: {
      document: `${WORK_PLAN} 附件2 三、3`,
      text: '灵活就业人员社会保险费申报事项中，申请人只能通过此事项办理正常缴费，特殊缴费和历史补缴不包括在内，特殊缴费和历史补缴需前往人社窗口线下办理。',
      basis: 'workPlan',
    },
    condition: '网上只能办理正常缴费。特殊缴费和历史补缴要到人社窗口办理。',
    pass: '办理正常缴费。',
    failReason: '网上只能办理正常缴费，您要办的{payment}需要到人社窗口办理；其他事项照常在网上办理。',
    whatToDo: `请带上身份证，在${WINDOW_HOURS}到${HRSS_WINDOW}办理{payment}；可先拨打 12333 咨询。`,
  },
  {
    id: 'firstNingxiaCard',
    appliesTo: ['socialSecurityCard'],
    effect: 'matterNotNeeded',
    policy: {
      document: `${WORK_PLAN} 附件2 三、4`,
      text: '社会保障卡申领事项中，申请人必须为首次申领宁夏社会保障卡，且社保卡申领成功后只支持邮寄服务，不支持线下领取，邮递费固定收取5.8元。',
      basis: 'workPlan',
    },
    condition: '社保卡只给第一次申领宁夏社保卡的人办理；办好后只能邮寄到家，不能自己去领，邮寄费 5.80 元。',
    pass: '您还没有宁夏社会保障卡，这次一起申领。',
    failReason: '您已经有宁夏社会保障卡，不用再申领；其他事项照常办理。',
    whatToDo: '社保卡丢了或坏了要补办、换卡的，请到社保卡合作银行网点办理，或拨打 12333 咨询。',
  },
  {
    id: 'flexibleWorkerType',
    appliesTo: ALL_MATTERS,
    effect: 'blocksAll',
    policy: {
      document: `${WORK_PLAN} 附件2 三、5`,
      text: '无雇工的个体工商户、非全日制从业人员和灵活就业人员可以以灵活就业身份参加基本医疗保险。',
      basis: 'workPlan',
    },
    condition:
      '灵活就业人员、非全日制从业人员和没有雇人的个体工商户可以办理；雇了人的个体工商户不能办理。是否雇人，以市场监管部门登记的雇工人数为准。',
    pass: '您的就业形式可以按灵活就业人员办理。',
    failReason: '您是有雇工的个体工商户，要以单位身份为雇工和自己办理职工参保，不能按灵活就业人员办理。',
    whatToDo: `请到${HRSS_WINDOW}办理单位参保登记，医疗保险到当地医保经办窗口办理；可拨打 12333 咨询。`,
    fromRecord: {
      failReason:
        '市场监管部门的登记信息显示，您是{businesses}。雇了人的个体工商户和企业属于用人单位，要以单位身份为雇工和自己办理职工参保，不能按灵活就业人员办理；这一条按登记信息核对，不论就业形式选的是哪一种。',
      whatToDo:
        `请到${HRSS_WINDOW}为单位和雇工办理社会保险登记，医疗保险到当地医保经办窗口办理；可拨打 12333 咨询。` +
        '如果登记信息已经和实际不符（比如店已经不开了、已经不雇人），请先到登记地的市场监管部门办理注销或更正年度报告，再来申请。',
    },
  },
  {
    id: 'age',
    appliesTo: ALL_MATTERS,
    effect: 'blocksAll',
    policy: {
      document:
        '《中华人民共和国劳动法》第十五条；《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日）',
      text: '禁止用人单位招用未满十六周岁的未成年人。同步启动延迟男、女职工的法定退休年龄，用十五年时间，逐步将男职工的法定退休年龄从原六十周岁延迟至六十三周岁，将女职工的法定退休年龄从原五十周岁、五十五周岁分别延迟至五十五周岁、五十八周岁。',
      basis: 'law',
    },
    condition: '年满16周岁，还没有到法定退休年龄。',
    pass: '年龄符合要求。',
    // policy.ts words the age message (it knows the delayed retirement age).
    failReason: '{detail}',
    whatToDo: `有疑问请拨打 12333 咨询，或到${HRSS_WINDOW}询问。`,
  },
  {
    id: 'residence',
    appliesTo: ALL_MATTERS,
    effect: 'blocksAll',
    policy: {
      document: '本服务办理范围',
      text: '本服务为宁夏户籍人员和持有效宁夏居住证的人员办理灵活就业参保。',
      basis: 'serviceScope',
    },
    condition: '户口在宁夏，或者有在有效期内的宁夏居住证。',
    pass: '户籍或居住证符合要求。',
    failReason: '您的户口在{household}，{permit}，暂时不能在这里办理。',
    whatToDo:
      '请先到居住地派出所办理或续签宁夏居住证，再来申请；也可以在户籍所在地办理灵活就业参保。可拨打 12345 咨询。',
  },
  {
    id: 'faceCheck',
    appliesTo: ALL_MATTERS,
    effect: 'blocksAll',
    policy: {
      document: `${WORK_PLAN} 三、（二）`,
      text: '负责协同做好自治区统一身份认证平台、宁夏政务服务网、宁夏政务信息共享平台及“我的宁夏”手机APP等平台对接，提供身份认证、数据交互、系统对接、场景建设、操作培训、宣传推广等支撑工作。',
      basis: 'workPlan',
    },
    condition: '通过人脸核验，确认是本人办理。',
    pass: '人脸核验通过。',
    failReason: '人脸核验没有通过，无法确认是您本人在办理。',
    whatToDo:
      '请到光线充足的地方，摘下帽子和眼镜，再核验一次；多次不通过的，请带上身份证到当地政务服务中心“一件事”窗口办理，或拨打 12345 咨询。',
  },
];

export function ruleById(id: EligibilityRuleId): EligibilityRule {
  const rule = ELIGIBILITY_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown eligibility rule ${id}`);
  return rule;
}

/** `{name}` → values[name]; a placeholder without a value is left as it is (the tests look for any). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The matters a failure of `roots` blocks: the roots and everything that
 * depends on them, directly or not (the linked processing of matters.ts).
 */
export function blockedWith(roots: readonly MatterId[]): MatterId[] {
  const blocked = new Set<MatterId>(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const matter of MATTERS) {
      if (!blocked.has(matter.id) && matter.dependsOn.some((d) => blocked.has(d))) {
        blocked.add(matter.id);
        grew = true;
      }
    }
  }
  return MATTERS.map((m) => m.id).filter((id) => blocked.has(id));
}

// ---- the facts ------------------------------------------------------------------------

/** One enrollment from either department's enrollment query (the medical kinds are a subset of HRSS's). */
export type EnrollmentRecord = HrssEnrollment | MedicalEnrollment;

export interface EligibilityFacts {
  answers: EligibilityAnswers;
  /** From the identity platform's real-name record. */
  person: {
    birthDate: string;
    sex: Sex;
    household: { regionCode: string };
    residencePermit?: { regionCode: string; validUntil: string };
  };
  /** The HRSS enrollment query's `enrollments` and the medical one's, together (duplicates are fine). */
  enrollments: readonly EnrollmentRecord[];
  /** From the HRSS card query. */
  holdsNingxiaCard: boolean;
  /** From the market regulation registration query: businesses in the applicant's name, cancelled ones too. */
  businesses: readonly MarketBusiness[];
  /** Undefined while the face check has not been done: not a failure at the eligibility step. */
  faceCheckPassed?: boolean;
}

// ---- the verdict ------------------------------------------------------------------------

export type RuleStatus = 'passed' | 'failed' | 'pending';

export interface RuleResult {
  id: EligibilityRuleId;
  status: RuleStatus;
  /** False only when failed; a pending check (face check not yet done) is not a failure. */
  passed: boolean;
  effect: RuleEffect;
  /** Plain Chinese: the pass text, or the filled fail reason. */
  reason: string;
  policy: RulePolicy;
  /** Present when failed. */
  whatToDo?: string;
}

/**
 * How a rule's result reads on screen (核验结果的显示): a failed rule whose
 * effect is only that its matter is not needed (already holds a Ningxia card:
 * 已有社保卡，不用再申领) is not a failure to the applicant — no ✗, no red.
 * The one place this is decided; the verdict pages follow it.
 */
export type RuleTone = 'passed' | 'failed' | 'pending' | 'notNeeded';

export function ruleTone(rule: Pick<RuleResult, 'status' | 'effect'>): RuleTone {
  return rule.status === 'failed' && rule.effect === 'matterNotNeeded' ? 'notNeeded' : rule.status;
}

export const RULE_TONE_SIGNS: Readonly<Record<RuleTone, string>> = {
  passed: '✓ 符合',
  failed: '✗ 不符合',
  pending: '… 待核验',
  notNeeded: '－ 不用再办',
};

/**
 * The rules as a verdict is read: what stops the applicant first (the reason they came to
 * see), then the rest in the plan's order; a check still to come (the face check) only when
 * there is a next step to take it in.
 */
export function rulesInOrder(verdict: Pick<EligibilityVerdict, 'eligible' | 'rules'>): RuleResult[] {
  const shown = verdict.eligible ? verdict.rules : verdict.rules.filter((r) => r.status !== 'pending');
  return [...shown.filter((r) => ruleTone(r) === 'failed'), ...shown.filter((r) => ruleTone(r) !== 'failed')];
}

export type MatterVerdict = 'apply' | 'notNeeded' | 'blocked';

export interface OfflineNote {
  /** What is done offline, e.g. 历史补缴. */
  what: string;
  where: string;
  hours: string;
  phone: string;
}

export interface EligibilityVerdict {
  /** No blocking rule failed: the one form may be submitted (a pending face check must still pass). */
  eligible: boolean;
  rules: RuleResult[];
  matters: Record<MatterId, MatterVerdict>;
  offline: OfflineNote[];
  /**
   * Rule 2's second sentence: an ended medical enrollment in Ningxia makes the
   * medical matter a change registration (变更登记), else a new one.
   */
  medicalRegistrationKind: 'new' | 'change';
  /** Checks not made yet (the face check before it is done). */
  pending: EligibilityRuleId[];
}

/** GET /api/eligibility: the citizen's last check while it stands (an hour), for another device. */
export interface LastEligibility {
  answers: EligibilityAnswers;
  verdict: EligibilityVerdict;
  checkedAt: string;
  validUntil: string;
}

type Check =
  | { status: 'passed' }
  | { status: 'pending' }
  /**
   * One value set per sentence (per province); `offline` names what goes to a
   * window; `fromRecord` reads the rule's `fromRecord` texts instead.
   */
  | { status: 'failed'; values: Record<string, string>[]; offline?: string[]; fromRecord?: true };

const PASSED: Check = { status: 'passed' };

/** `2026-10-31` → `2026年10月31日`. */
function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * Active enrollments matching `kinds` (all kinds when undefined), one value
 * set per province: `{ province: '广东省', insurance: '企业职工基本养老保险、职工基本医疗保险' }`.
 */
function activeByProvince(
  enrollments: readonly EnrollmentRecord[],
  kinds?: readonly string[],
): Record<string, string>[] {
  const byProvince = new Map<string, string[]>();
  for (const e of enrollments) {
    if (e.status !== 'active' || (kinds && !kinds.includes(e.insurance))) continue;
    const province = e.provinceName || provinceName(e.provinceCode) || `省份代码 ${e.provinceCode}`;
    const names = byProvince.get(province) ?? [];
    const name = HRSS_INSURANCE_NAMES[e.insurance];
    if (!names.includes(name)) names.push(name);
    byProvince.set(province, names);
  }
  return [...byProvince].map(([province, names]) => ({ province, insurance: names.join('、') }));
}

/** `个体工商户“青铜峡市建华农家乐”（统一社会信用代码 …）的经营者，2025年度报告的雇工人数为 6 人`. */
function describeBusiness(b: MarketBusiness): string {
  const asOf = b.employees.source === 'annualReport' ? `${b.employees.year}年度报告` : `${b.employees.year}年登记`;
  return (
    `${MARKET_BUSINESS_KIND_LABELS[b.kind]}“${b.name}”（统一社会信用代码 ${b.creditCode}）的${MARKET_ROLE_LABELS[b.role]}，` +
    `${asOf}的雇工人数为 ${b.employees.count} 人`
  );
}

function failedIfAny(values: Record<string, string>[]): Check {
  return values.length > 0 ? { status: 'failed', values } : PASSED;
}

const CHECKS: Record<EligibilityRuleId, (facts: EligibilityFacts, today: string, policy: PolicyConfig) => Check> = {
  noEmployeeInsurance: (facts) => failedIfAny(activeByProvince(facts.enrollments, HRSS_EMPLOYEE_INSURANCES)),
  noOngoingInsurance: (facts) => failedIfAny(activeByProvince(facts.enrollments)),
  normalPaymentOnly: ({ answers }) => {
    const wanted = [answers.wantsSpecialPayment && '特殊缴费', answers.wantsBackPayment && '历史补缴'].filter(
      (w): w is string => typeof w === 'string',
    );
    return wanted.length > 0 ? { status: 'failed', values: [{ payment: wanted.join('和') }], offline: wanted } : PASSED;
  },
  firstNingxiaCard: (facts) => (facts.holdsNingxiaCard ? { status: 'failed', values: [{}] } : PASSED),
  // The registration record decides whatever was answered; the answer alone can still say so.
  flexibleWorkerType: ({ answers, businesses }) => {
    const employing = businesses.filter((b) => b.status === 'active' && b.employees.count > 0);
    if (employing.length > 0)
      return {
        status: 'failed',
        values: [{ businesses: employing.map(describeBusiness).join('；也是') }],
        fromRecord: true,
      };
    return answers.employmentType === 'employerWithEmployees' ? { status: 'failed', values: [{}] } : PASSED;
  },
  age: ({ person }, today, policy) => {
    const age = checkAge(person.birthDate, person.sex, today, policy);
    return age.ok ? PASSED : { status: 'failed', values: [{ detail: age.message }] };
  },
  residence: ({ person }, today) => {
    if (isNingxiaRegion(person.household.regionCode)) return PASSED;
    const permit = person.residencePermit;
    const ningxiaPermit = permit && isNingxiaRegion(permit.regionCode);
    if (ningxiaPermit && permit.validUntil >= today) return PASSED;
    return {
      status: 'failed',
      values: [
        {
          household: describeRegion(person.household.regionCode) ?? '外省',
          permit: ningxiaPermit ? `宁夏居住证已于${chineseDate(permit.validUntil)}到期` : '也没有宁夏居住证',
        },
      ],
    };
  },
  faceCheck: ({ faceCheckPassed }) =>
    faceCheckPassed === undefined
      ? { status: 'pending' }
      : faceCheckPassed
        ? PASSED
        : { status: 'failed', values: [{}] },
};

const FACE_CHECK_PENDING = '下一步进行人脸核验。';

const MEDICAL_KINDS: readonly string[] = Object.keys(MEDICAL_INSURANCE_LABELS);

/** An ended medical enrollment in Ningxia (any medical kind). */
function hasEndedNingxiaMedical(enrollments: readonly EnrollmentRecord[]): boolean {
  return enrollments.some(
    (e) => e.status === 'ended' && e.provinceCode === NINGXIA_PROVINCE_CODE && MEDICAL_KINDS.includes(e.insurance),
  );
}

/**
 * Runs every rule on `facts` as of `today` (`YYYY-MM-DD`, China time). Pure:
 * the same facts and day give the same verdict.
 */
export function evaluateEligibility(
  facts: EligibilityFacts,
  today: string,
  policy: PolicyConfig = CURRENT_POLICY,
): EligibilityVerdict {
  const matters = Object.fromEntries(ALL_MATTERS.map((id) => [id, 'apply'])) as Record<MatterId, MatterVerdict>;
  const notNeeded = new Set<MatterId>();
  const offline: OfflineNote[] = [];
  const pending: EligibilityRuleId[] = [];
  let eligible = true;

  const rules = ELIGIBILITY_RULES.map((rule): RuleResult => {
    const check = CHECKS[rule.id](facts, today, policy);
    const base = { id: rule.id, effect: rule.effect, policy: rule.policy };
    if (check.status === 'pending') {
      pending.push(rule.id);
      return { ...base, status: 'pending', passed: true, reason: FACE_CHECK_PENDING };
    }
    if (check.status === 'passed') return { ...base, status: 'passed', passed: true, reason: rule.pass };

    switch (rule.effect) {
      case 'blocksAll':
        eligible = false;
        for (const id of ALL_MATTERS) matters[id] = 'blocked';
        break;
      case 'blocksMatters':
        eligible = false;
        for (const id of blockedWith(rule.appliesTo)) matters[id] = 'blocked';
        break;
      case 'matterNotNeeded':
        for (const id of rule.appliesTo) notNeeded.add(id);
        break;
      case 'partOffline':
        for (const what of check.offline ?? [])
          offline.push({ what, where: HRSS_WINDOW, hours: WINDOW_HOURS, phone: '12333' });
        break;
    }
    // One sentence per province; the advice once.
    const texts = check.fromRecord && rule.fromRecord ? rule.fromRecord : rule;
    return {
      ...base,
      status: 'failed',
      passed: false,
      reason: check.values.map((values) => fillTemplate(texts.failReason, values)).join(''),
      whatToDo: fillTemplate(texts.whatToDo, check.values[0] ?? {}),
    };
  });

  // Not needed is true whatever else happens: it says the applicant need not come back for it.
  for (const id of notNeeded) matters[id] = 'notNeeded';

  return {
    eligible,
    rules,
    matters,
    offline,
    medicalRegistrationKind: hasEndedNingxiaMedical(facts.enrollments) ? 'change' : 'new',
    pending,
  };
}
