/**
 * The one form (一表申请): what the citizen types, as one JSON Schema the BFF
 * compiles with ajv and the mini-app checks with the same schema (standalone
 * code at build time). Everything the identity platform already knows — name,
 * ID number, sex, birth date, ethnicity, phone, household, residence permit,
 * the certified photo — is not on the form: it is prefilled from data sharing
 * and joined to the form as `ApplicationData` (what the departments receive,
 * see manifest.ts).
 *
 * Also here: the draft schema (a form kept half-filled), the eligibility
 * questions, and the window clerk's variant of the form.
 *
 * Imports no ajv: the mini-app bundles this file.
 */
import {
  HRSS_CARD_BANKS,
  HRSS_EMPLOYMENT_TYPE_NAMES,
  type HrssEmploymentType,
  type HrssIssuingBank,
} from './contracts/hrss';
import type { Sex } from './id-number';
import { CURRENT_POLICY } from './policy';
import { countyField } from './contracts/fields';

// ---- vocabulary ------------------------------------------------------------------

/** How the applicant works (就业形式). An employer with employees may not use this service (申报条件 5). */
export type EmploymentType = Exclude<HrssEmploymentType, 'employerWithEmployees'>;

/**
 * The official name first (as the departments use it), then what it means in
 * everyday words for the person choosing.
 */
export const EMPLOYMENT_TYPE_LABELS: Readonly<Record<HrssEmploymentType, string>> = {
  flexible: `${HRSS_EMPLOYMENT_TYPE_NAMES.flexible}（如摆摊、送外卖、开网约车、做家政）`,
  partTime: `${HRSS_EMPLOYMENT_TYPE_NAMES.partTime}（按小时计酬，在同一单位每天一般不超过4小时）`,
  selfEmployedNoEmployees: `${HRSS_EMPLOYMENT_TYPE_NAMES.selfEmployedNoEmployees}（自己开店，没有雇人）`,
  employerWithEmployees: `${HRSS_EMPLOYMENT_TYPE_NAMES.employerWithEmployees}（开店雇了人）`,
};

export const FORM_EMPLOYMENT_TYPES: readonly EmploymentType[] = ['flexible', 'partTime', 'selfEmployedNoEmployees'];

/** Where the personnel archive (人事档案) is now. */
export type ArchiveLocation = 'none' | 'previousEmployer' | 'talentCentre' | 'school' | 'other' | 'unknown';

export const ARCHIVE_LOCATION_LABELS: Readonly<Record<ArchiveLocation, string>> = {
  none: '没有档案',
  previousEmployer: '原工作单位',
  talentCentre: '人才交流中心（人才服务中心）',
  school: '毕业学校',
  other: '其他',
  unknown: '不清楚档案在哪里',
};

/**
 * Where the archive is held by a unit (档案保管单位) — a former employer, a
 * talent centre, a school, or another place: then the applicant names that
 * unit, so HRSS knows where to send the transfer letter (调档函).
 */
export const ARCHIVE_HELD_LOCATIONS: readonly ArchiveLocation[] = [
  'previousEmployer',
  'talentCentre',
  'school',
  'other',
];

export function archiveHeldSomewhere(location: ArchiveLocation | undefined): boolean {
  return location !== undefined && ARCHIVE_HELD_LOCATIONS.includes(location);
}

/** Months paid at once (缴费月数). */
export type PaymentMonths = 1 | 3 | 6 | 12;

export const PAYMENT_MONTH_LABELS: Readonly<Record<PaymentMonths, string>> = {
  1: '1个月（按月缴）',
  3: '3个月（按季缴）',
  6: '6个月（按半年缴）',
  12: '12个月（按年缴）',
};

const GRADES = CURRENT_POLICY.pension.value.grades;

function gradeLabel(grade: number): string {
  const edge = grade === GRADES[0] ? '，最低档' : grade === GRADES[GRADES.length - 1] ? '，最高档' : '';
  return `全区平均工资的${grade}%${edge}`;
}

// ---- the shapes -------------------------------------------------------------------

export interface MailingAddress {
  /** A current Ningxia county. */
  regionCode: string;
  detail: string;
  recipient: string;
  phone: string;
}

export interface CardChoice {
  issuingBank: HrssIssuingBank;
  mailingAddress: MailingAddress;
}

/** What the citizen submits. */
export interface ApplicationForm {
  employment: { type: EmploymentType; startDate: string };
  /** The current Ningxia county the applicant lives in (居住地). */
  residenceRegionCode: string;
  /** `detail`: the holding unit (档案保管单位), its name or address; asked when {@link archiveHeldSomewhere}. */
  archive: { location: ArchiveLocation; detail?: string };
  pension: { baseGradePercent: number };
  /** Absent when the applicant already holds a Ningxia card (申报条件 4). */
  card?: CardChoice;
  payment: { periodStart: string; months: PaymentMonths };
  consent: { noticeVersion: string; agreed: true };
  /** The passed face check at the identity platform (`RL…`). */
  faceCheckId: string;
  /** The paid postage order; required with `card`. */
  postageOrderId?: string;
}

/** A clerk's submission for a citizen who is present (一窗受理). */
export interface WindowApplication extends ApplicationForm {
  idNumber: string;
}

/** Every property optional, at every depth (optional ones included). */
export type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends object ? DeepPartial<NonNullable<T[K]>> : T[K];
};

/** A form kept half-filled on the server (草稿). */
export type ApplicationDraft = DeepPartial<Omit<ApplicationForm, 'consent'>> & {
  consent?: { noticeVersion?: string; agreed?: boolean };
};

/** The eligibility questions (a few plain questions before the automatic checks). */
export interface EligibilityAnswers {
  employmentType: HrssEmploymentType;
  wantsBackPayment: boolean;
  wantsSpecialPayment: boolean;
}

/** What the identity platform shares about the applicant (never typed by them). */
export interface Applicant {
  name: string;
  idNumber: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  phone: string;
  household: { regionCode: string; address: string };
  residencePermit?: { regionCode: string; validUntil: string };
  /** The certified ID photo, for the card. */
  photo?: { contentType: 'image/jpeg' | 'image/png'; base64: string };
}

/**
 * The applicant's data as a whole: the prefilled applicant plus the answers of
 * the form. Departments receive slices of it, never all of it (manifest.ts).
 */
export interface ApplicationData {
  applicant: Applicant;
  employment: ApplicationForm['employment'];
  residenceRegionCode: string;
  archive: ApplicationForm['archive'];
  pension: ApplicationForm['pension'];
  card?: CardChoice;
  payment: ApplicationForm['payment'];
}

/** Joins the prefilled applicant and the submitted form; consent and check ids stay with the case. */
export function toApplicationData(applicant: Applicant, form: ApplicationForm): ApplicationData {
  return {
    applicant,
    employment: form.employment,
    residenceRegionCode: form.residenceRegionCode,
    // a holding unit typed before the choice changed to 没有档案 / 不清楚 is not passed on
    archive: archiveHeldSomewhere(form.archive.location) ? form.archive : { location: form.archive.location },
    pension: form.pension,
    ...(form.card ? { card: form.card } : {}),
    payment: form.payment,
  };
}

// ---- schema pieces ----------------------------------------------------------------

const MOBILE = {
  type: 'string',
  pattern: '^1[3-9]\\d{9}$',
  'x-format-hint': '请填写 11 位手机号码',
} as const;

/**
 * Chinese characters (CJK basic block and extension A), with the middle dot of
 * minority names (买买提·艾力); `•` is accepted because phone keyboards type it.
 */
const CHINESE_NAME = '^[\\u3400-\\u4dbf\\u4e00-\\u9fff]+([·•][\\u3400-\\u4dbf\\u4e00-\\u9fff]+)*$';

export const APPLICATION_FORM_SCHEMA = {
  type: 'object',
  title: '灵活就业参保申请表',
  required: ['employment', 'residenceRegionCode', 'archive', 'pension', 'payment', 'consent', 'faceCheckId'],
  properties: {
    employment: {
      type: 'object',
      title: '就业情况',
      required: ['type', 'startDate'],
      properties: {
        type: {
          type: 'string',
          title: '就业形式',
          enum: [...FORM_EMPLOYMENT_TYPES],
          'x-enum-labels': Object.fromEntries(FORM_EMPLOYMENT_TYPES.map((t) => [t, EMPLOYMENT_TYPE_LABELS[t]])),
        },
        startDate: {
          type: 'string',
          title: '开始灵活就业的日期',
          format: 'date',
          'x-format-hint': '应为 年-月-日，如 2026-11-01',
        },
      },
      additionalProperties: false,
    },
    residenceRegionCode: countyField('现在居住的县（市、区）'),
    archive: {
      type: 'object',
      title: '人事档案',
      required: ['location'],
      properties: {
        location: {
          type: 'string',
          title: '人事档案现在在哪里',
          enum: Object.keys(ARCHIVE_LOCATION_LABELS),
          'x-enum-labels': { ...ARCHIVE_LOCATION_LABELS },
        },
        detail: {
          type: 'string',
          title: '档案保管单位',
          minLength: 1,
          maxLength: 60,
          'x-format-hint': '填写保管档案的单位名称，如 银川市人才交流服务中心；不知道名称的，写单位地址',
        },
      },
      // “原工作单位”“毕业学校”“其他” … say nothing of which unit: then the holding unit is written out.
      // (`properties` repeated inside if/then: ajv's strictRequired wants each required name defined there)
      if: { properties: { location: { enum: [...ARCHIVE_HELD_LOCATIONS] } }, required: ['location'] },
      then: { properties: { detail: true }, required: ['detail'] },
      additionalProperties: false,
    },
    pension: {
      type: 'object',
      title: '养老保险',
      required: ['baseGradePercent'],
      properties: {
        baseGradePercent: {
          type: 'integer',
          title: '养老保险缴费档次',
          enum: [...GRADES],
          'x-enum-labels': Object.fromEntries(GRADES.map((g) => [String(g), gradeLabel(g)])),
        },
      },
      additionalProperties: false,
    },
    card: {
      type: 'object',
      title: '社会保障卡',
      required: ['issuingBank', 'mailingAddress'],
      properties: {
        issuingBank: {
          type: 'string',
          title: '社保卡开户银行',
          enum: HRSS_CARD_BANKS.map((b) => b.code),
          'x-enum-labels': Object.fromEntries(HRSS_CARD_BANKS.map((b) => [b.code, b.name])),
        },
        mailingAddress: {
          type: 'object',
          title: '社保卡邮寄地址',
          required: ['regionCode', 'detail', 'recipient', 'phone'],
          properties: {
            regionCode: countyField('邮寄地址所在县（市、区）'),
            detail: { type: 'string', title: '详细地址', minLength: 5, maxLength: 100 },
            recipient: {
              type: 'string',
              title: '收件人姓名',
              minLength: 2,
              maxLength: 20,
              pattern: CHINESE_NAME,
              'x-format-hint': '请填写收件人的中文姓名，少数民族姓名中间的点用“·”',
            },
            phone: { ...MOBILE, title: '收件人手机号码' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    payment: {
      type: 'object',
      title: '缴费',
      required: ['periodStart', 'months'],
      properties: {
        periodStart: {
          type: 'string',
          title: '从哪个月开始缴费',
          pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
          'x-format-hint': '应为 年-月，如 2026-12',
        },
        months: {
          type: 'integer',
          title: '一次缴几个月',
          enum: [1, 3, 6, 12],
          'x-enum-labels': { ...PAYMENT_MONTH_LABELS },
        },
      },
      additionalProperties: false,
    },
    consent: {
      type: 'object',
      title: '告知与授权',
      required: ['noticeVersion', 'agreed'],
      properties: {
        noticeVersion: {
          type: 'string',
          title: '告知书版本',
          pattern: '^\\d{4}\\.\\d{1,3}$',
          'x-format-hint': '应为告知书的版本号，如 2026.1',
        },
        agreed: { type: 'boolean', title: '同意数据共享授权', const: true },
      },
      additionalProperties: false,
    },
    faceCheckId: {
      type: 'string',
      title: '人脸核验编号',
      pattern: '^RL\\d{14}$',
      'x-format-hint': '请先完成人脸核验',
    },
    postageOrderId: {
      type: 'string',
      title: '邮寄费订单号',
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      'x-format-hint': '请先支付社保卡邮寄费',
    },
  },
  // A card is posted only once its postage is paid (申报条件 4).
  if: { properties: { card: true }, required: ['card'] },
  then: { properties: { postageOrderId: true }, required: ['postageOrderId'] },
  additionalProperties: false,
} as const;

// ---- the draft ---------------------------------------------------------------------

/** Largest draft the BFF keeps, serialised as UTF-8 JSON. */
export const DRAFT_MAX_BYTES = 16 * 1024;

type JsonSchema = { [key: string]: unknown };

/**
 * The form's schema with every requirement removed (no `required`, no
 * if/then; the consent box may be unticked) but every type, length, pattern,
 * format and enum kept, so a draft holds nothing the form would not.
 */
function relaxed(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' || key === 'if' || key === 'then' || key === 'else') continue;
    if (key === 'const' && schema.type === 'boolean') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, sub]) => [name, relaxed(sub)]),
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * A draft: the form's shape with nothing required. Every string has a
 * maximum length and there are no arrays, so a valid draft stays well under
 * DRAFT_MAX_BYTES (the tests check the largest possible one).
 */
export const DRAFT_SCHEMA: JsonSchema = {
  ...relaxed(APPLICATION_FORM_SCHEMA),
  title: '灵活就业参保申请表（草稿）',
};

// ---- eligibility questions ---------------------------------------------------------

export const ELIGIBILITY_ANSWERS_SCHEMA = {
  type: 'object',
  title: '申请前的几个问题',
  required: ['employmentType', 'wantsBackPayment', 'wantsSpecialPayment'],
  properties: {
    // All four, so that 申报条件 5 can answer an employer with a reason.
    employmentType: {
      type: 'string',
      title: '您现在是怎么工作的',
      enum: Object.keys(EMPLOYMENT_TYPE_LABELS),
      'x-enum-labels': { ...EMPLOYMENT_TYPE_LABELS },
    },
    wantsBackPayment: { type: 'boolean', title: '是否要补缴以前没交的社保费（历史补缴）' },
    wantsSpecialPayment: { type: 'boolean', title: '是否要办理特殊缴费（不是每月正常缴费的情况）' },
  },
  additionalProperties: false,
} as const;

// ---- the window's variant ----------------------------------------------------------

export const WINDOW_APPLICATION_SCHEMA = {
  ...APPLICATION_FORM_SCHEMA,
  title: '灵活就业参保申请表（窗口代办）',
  required: [...APPLICATION_FORM_SCHEMA.required, 'idNumber'],
  properties: {
    idNumber: {
      type: 'string',
      title: '申请人身份证号码',
      pattern: '^\\d{17}[\\dX]$',
      'x-format-hint': '应为18位，最后一位可以是数字或大写X',
    },
    ...APPLICATION_FORM_SCHEMA.properties,
  },
} as const;
