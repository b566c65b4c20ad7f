/**
 * The one notice (一次告知): everything the applicant is told before applying
 * — the six matters, their conditions, time limits and fees, that no
 * materials are needed and what is filled in from where, what each
 * department receives (the manifest), what is done offline, where to get
 * help — and the consent they give. The mini-app shows it; the case records
 * which version was agreed to.
 *
 * Versioning: any change to the text, the conditions, the manifest or the
 * fees is a new version (`2026.1` → `2026.2`; a new year starts at `.1`).
 * The tests hold the fingerprint of each version, so a change without a new
 * version fails them.
 */
import { ELIGIBILITY_RULES } from './eligibility-rules';
import { MANIFEST, type ManifestEntry, type ManifestRecipient } from './manifest';
import { DEPARTMENT_NAMES, MATTERS, type MatterId } from './matters';
import { CURRENT_POLICY } from './policy';

export interface NoticeFee {
  amountFen: number;
  /** As shown: `邮寄费 5.80 元`, `不收费`, or what is paid afterwards (the premium). */
  text: string;
}

export interface NoticeMatter {
  id: MatterId;
  name: string;
  department: string;
  /** What it does, in one plain sentence. */
  whatItDoes: string;
  /** 四级四同 statutory limit, working days. */
  statutoryLimitDays: number;
  /** The one thing's limit (一件事办结时限): 即办件, done at once. */
  oneThingLimit: '即办件';
  /** The conditions of 申报条件 that speak of this matter, in plain words. */
  conditions: string[];
  fee: NoticeFee;
}

export interface Notice {
  version: string;
  /** `YYYY-MM-DD`: from this day this text is shown. */
  effectiveFrom: string;
  title: string;
  intro: string;
  /** Conditions that hold for every matter (age, residence, kind of work, face check). */
  generalConditions: string[];
  matters: NoticeMatter[];
  materials: { summary: string; explanation: string };
  prefill: { field: string; source: string }[];
  /** Who receives which of your fields (数据共享清单). */
  dataSharing: Readonly<Record<ManifestRecipient, ManifestEntry>>;
  offline: { what: string; where: string; note: string }[];
  help: { hotlines: { number: string; name: string; use: string }[]; windows: string };
  consentText: string;
}

/** 580 → `5.80`. */
export function formatYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

const POSTAGE_FEN = CURRENT_POLICY.cardPostageFen.value;
const POSTAGE = `${formatYuan(POSTAGE_FEN)} 元`;

const WHAT_IT_DOES: Record<MatterId, string> = {
  employmentRegistration: '登记您是灵活就业人员，后面几项都以它为前提。',
  archiveTransfer: '把您的人事档案转到居住地的人才服务机构保管；没有档案的，为您新建档案。',
  pensionRegistration: '为您办理企业职工基本养老保险参保登记，按您选的档次缴费，将来按规定领取养老金。',
  socialSecurityCard: '为您办理宁夏社会保障卡和电子社保卡；实体卡办好后邮寄到您填写的地址。',
  medicalRegistration: '为您办理职工基本医疗保险参保登记（以前在宁夏参过医保的，办理变更登记），看病可以按规定报销。',
  premiumDeclaration: '把您的养老、医疗保险费报给税务部门，算出每期要交多少，您在手机上直接交第一笔。',
};

/** Rules that apply to every matter are said once, not six times. */
const GENERAL_RULES = ELIGIBILITY_RULES.filter((r) => r.appliesTo.length === MATTERS.length);

function feeOf(id: MatterId): NoticeFee {
  if (id === 'socialSecurityCard') return { amountFen: POSTAGE_FEN, text: `邮寄费 ${POSTAGE}` };
  // Declaring costs nothing, but it ends in the citizen paying the first period: say so, never "free".
  if (id === 'premiumDeclaration') {
    return {
      amountFen: 0,
      text: '申报不收费；申报后按您选的缴费档次和月数缴纳社会保险费（养老 + 医疗），金额由税务部门核定，在应用里确认后支付',
    };
  }
  return { amountFen: 0, text: '不收费' };
}

export const NOTICE: Notice = {
  version: '2026.4',
  // The day after the work plan's deadline for the online service (二、（二）：2026年6月30日).
  effectiveFrom: '2026-07-01',
  title: '灵活就业参保“一件事”一次告知',
  intro:
    '以前办灵活就业参保，要分别跑人社、医保、税务几个部门，办六项业务。现在在手机上填一张表，就能一次办好：就业登记、档案、养老保险、社保卡、医保和缴费申报。' +
    '您不用交任何材料，姓名、身份证、户口和照片由系统自动带出来。提交以后马上办理，每一项办到哪一步，都可以在手机上看到。',
  generalConditions: GENERAL_RULES.map((r) => r.condition),
  matters: MATTERS.map((m) => ({
    id: m.id,
    name: m.name,
    department: DEPARTMENT_NAMES[m.department],
    whatItDoes: WHAT_IT_DOES[m.id],
    statutoryLimitDays: m.statutoryLimitDays,
    oneThingLimit: '即办件',
    conditions: ELIGIBILITY_RULES.filter((r) => !GENERAL_RULES.includes(r) && r.appliesTo.includes(m.id)).map(
      (r) => r.condition,
    ),
    fee: feeOf(m.id),
  })),
  materials: {
    summary: '无需提交材料',
    explanation:
      '六项业务都不用您提交或上传任何材料。您的身份信息、户籍信息和制作社保卡用的证件照片，由统一身份认证平台从公安部门的数据共享过来；参保情况由人社、医保部门在系统里查询；您名下登记的个体工商户、企业和雇工人数由市场监管部门在系统里查询。',
  },
  prefill: [
    { field: '姓名、身份证号码、性别、出生日期、民族', source: '统一身份认证平台（公安人口库）' },
    { field: '户籍地址', source: '统一身份认证平台（公安人口库）' },
    { field: '居住证', source: '统一身份认证平台（公安居住证信息）' },
    { field: '手机号码', source: '统一身份认证平台（“我的宁夏”实名注册信息）' },
    { field: '证件照片（印在社保卡上）', source: '统一身份认证平台（公安部门认证的证件照）' },
    { field: '在全国的参保情况', source: '人社部门全国社会保险参保信息查询、医保部门参保信息查询' },
    { field: '是否已有宁夏社会保障卡', source: '宁夏人社一体化系统（社保卡持卡信息）' },
    { field: '名下登记的个体工商户、企业和雇工人数', source: '市场监管部门登记注册系统（登记和年度报告信息）' },
  ],
  dataSharing: MANIFEST,
  offline: [
    {
      what: '特殊缴费和历史补缴',
      where: '户籍或居住地所在县（区）人社窗口',
      note: '网上只办理正常缴费。需要特殊缴费或历史补缴的，请带上身份证在工作日到窗口办理，其他事项照常在网上办理；咨询电话 12333。',
    },
    {
      what: '社保卡领取',
      where: '只邮寄，不设现场领取',
      note: `社保卡办好后只邮寄到您填写的地址，不能到网点自己领取；邮寄费 ${POSTAGE}，在提交申请前在线支付。`,
    },
  ],
  help: {
    hotlines: [
      { number: '12345', name: '政务服务便民热线', use: '办事指引、咨询和投诉' },
      { number: '12333', name: '人力资源社会保障服务热线', use: '就业、社保政策和办理进度咨询' },
    ],
    windows:
      '不方便在手机上办的，可以带上身份证到各市、县（区）政务服务中心的“一件事”窗口，工作人员帮您填同一张表，一次办好。',
  },
  consentText:
    '我已阅读以上告知。为办理灵活就业参保“一件事”，我同意：从统一身份认证平台调取我的实名信息、户籍信息和证件照片，查询我在全国的社会保险参保情况和我在市场监管部门登记的个体工商户、企业及雇工人数；' +
    '并按“数据共享清单”把办理所需的信息分别提供给人力资源社会保障部门、医疗保障部门和税务部门，把我的手机号码提供给政务短信平台用于发送办理进度消息。这些信息只用于办理本次申请的各项业务，不用于其他用途。',
};

// ---- fingerprint ---------------------------------------------------------------

/** JSON with object keys sorted, so the same content always gives the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short fingerprint of the notice's whole content (FNV-1a, 32 bits, over
 * its canonical JSON): not a security measure, a tripwire — it changes when
 * any word, manifest field or fee changes. Stored beside a consent, it says
 * exactly which text was agreed to.
 */
export function noticeFingerprint(notice: Notice = NOTICE): string {
  const text = canonical(notice);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
