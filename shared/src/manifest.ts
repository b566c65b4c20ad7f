/**
 * The data manifest (数据共享清单): which of the applicant's fields each
 * receiving system gets, and why. The notice shows it before the applicant
 * consents (notice.ts embeds it, so changing it means a new notice version),
 * and the BFF's department adapters send only what `pickForDepartment`
 * returns — the manifest is the rule, not a description of it.
 *
 * Process identifiers that are not about the person (the employment
 * registration number a later matter quotes, the postage order id, the
 * idempotency key) travel beside these fields and are not listed.
 */
import type { ApplicationData, DeepPartial } from './application';

/**
 * The systems that receive data: the three departments, the cashier, the
 * identity platform, market regulation (asked, not sent anything to keep),
 * and the government SMS platform that sends the messages outside the app.
 */
export type ManifestRecipient = 'hrss' | 'medical' | 'tax' | 'payment' | 'identity' | 'market' | 'sms';

/** Every dotted path into `T`, objects included (`card`, `card.mailingAddress`, `card.mailingAddress.phone`). */
type PathsOf<T> = T extends readonly unknown[]
  ? never
  : T extends object
    ? { [K in keyof T & string]-?: K | `${K}.${PathsOf<NonNullable<T[K]>>}` }[keyof T & string]
    : never;

export type ApplicationDataPath = PathsOf<ApplicationData>;

export interface ManifestField {
  field: ApplicationDataPath;
  label: string;
  purpose: string;
}

export interface ManifestEntry {
  recipient: ManifestRecipient;
  /** Who receives it, as the notice names them. */
  name: string;
  fields: readonly ManifestField[];
  /** What else it gets that is not the applicant's data, said plainly. */
  note?: string;
}

const NAME: ManifestField = { field: 'applicant.name', label: '姓名', purpose: '' };
const ID_NUMBER: ManifestField = { field: 'applicant.idNumber', label: '身份证号码', purpose: '' };

export const MANIFEST: Readonly<Record<ManifestRecipient, ManifestEntry>> = {
  hrss: {
    recipient: 'hrss',
    name: '人力资源社会保障部门（宁夏人社一体化系统）',
    fields: [
      { ...NAME, purpose: '办理就业登记、档案转递、养老保险登记和社保卡时确认申请人' },
      { ...ID_NUMBER, purpose: '办理就业登记、档案转递、养老保险登记和社保卡时确认申请人' },
      { field: 'employment.type', label: '就业形式', purpose: '灵活就业人员就业登记' },
      { field: 'employment.startDate', label: '开始灵活就业的日期', purpose: '灵活就业人员就业登记' },
      {
        field: 'residenceRegionCode',
        label: '居住的县（市、区）',
        purpose: '确定就业登记、养老保险登记的经办地和档案接收地',
      },
      { field: 'archive.location', label: '人事档案现在在哪里', purpose: '人事档案接收和转递' },
      { field: 'archive.detail', label: '档案所在单位名称或地址', purpose: '人事档案接收和转递' },
      { field: 'pension.baseGradePercent', label: '养老保险缴费档次', purpose: '养老保险登记，确定缴费基数' },
      { field: 'card.issuingBank', label: '社保卡开户银行', purpose: '社保卡制卡和开通金融功能' },
      { field: 'card.mailingAddress.regionCode', label: '邮寄地址所在县（市、区）', purpose: '把社保卡邮寄给您' },
      { field: 'card.mailingAddress.detail', label: '邮寄详细地址', purpose: '把社保卡邮寄给您' },
      { field: 'card.mailingAddress.recipient', label: '收件人姓名', purpose: '把社保卡邮寄给您' },
      { field: 'card.mailingAddress.phone', label: '收件人手机号码', purpose: '邮寄社保卡时联系收件人' },
      { field: 'applicant.photo', label: '证件照片（公安部门认证）', purpose: '印在社保卡和电子社保卡上' },
    ],
  },
  medical: {
    recipient: 'medical',
    name: '医疗保障部门（宁夏医疗保障信息系统）',
    fields: [
      { ...NAME, purpose: '办理医疗保险参保或变更登记时确认申请人' },
      { ...ID_NUMBER, purpose: '办理医疗保险参保或变更登记时确认申请人' },
      { field: 'employment.type', label: '就业形式', purpose: '确认可以灵活就业人员身份参加职工医保' },
      { field: 'residenceRegionCode', label: '居住的县（市、区）', purpose: '确定医疗保险参保地' },
    ],
  },
  tax: {
    recipient: 'tax',
    name: '税务部门（社会保险费征收系统）',
    fields: [
      { ...NAME, purpose: '社会保险费申报、核定和缴费时确认缴费人' },
      { ...ID_NUMBER, purpose: '社会保险费申报、核定和缴费时确认缴费人' },
      { field: 'residenceRegionCode', label: '居住的县（市、区）', purpose: '确定主管税务机关' },
      { field: 'pension.baseGradePercent', label: '养老保险缴费档次', purpose: '核定每月应缴的养老保险费' },
      { field: 'payment.periodStart', label: '从哪个月开始缴费', purpose: '申报缴费所属期' },
      { field: 'payment.months', label: '一次缴几个月', purpose: '申报缴费所属期，核定应缴金额' },
    ],
  },
  payment: {
    recipient: 'payment',
    name: '“我的宁夏”统一支付平台',
    fields: [],
    note: '只收到社保卡邮寄费的金额和“社会保障卡邮寄费”这几个字，不收到您的姓名、身份证号码、地址等个人信息',
  },
  identity: {
    recipient: 'identity',
    name: '自治区统一身份认证平台',
    fields: [{ ...ID_NUMBER, purpose: '人脸核验时确认是您本人在办理' }],
  },
  market: {
    recipient: 'market',
    name: '市场监督管理部门（登记注册系统）',
    fields: [
      {
        ...ID_NUMBER,
        purpose: '查询您名下登记的个体工商户和企业及其雇工人数，核对能否按灵活就业人员办理（申报条件第5条）',
      },
    ],
    note: '只用身份证号码查询登记信息，不收到您的姓名、电话、地址等其他信息，也不为您办理任何事项',
  },
  sms: {
    recipient: 'sms',
    name: '政务短信平台（短信和“我的宁夏”消息提醒）',
    fields: [
      {
        field: 'applicant.phone',
        label: '手机号码',
        purpose: '把受理、办结、不予办理、社保卡寄出、缴费提醒和评价邀请发到您的手机',
      },
    ],
    note: '消息里只有您姓名的第一个字和办件编号，没有身份证号码和地址；不想收的，可以在“我的消息”里关掉',
  },
};

/**
 * The first notice version that names each recipient added after the first
 * version. A case agreed to an older notice never sends that recipient
 * anything: its applicant did not consent to it.
 */
const NAMED_FROM: Partial<Record<ManifestRecipient, string>> = { sms: '2026.4' };

/** Whether the notice version a case agreed to names this recipient (`2026.10` is after `2026.9`). */
export function consentCovers(noticeVersion: string, recipient: ManifestRecipient): boolean {
  const from = NAMED_FROM[recipient];
  if (!from) return true;
  const [year, release] = noticeVersion.split('.').map(Number);
  const [fromYear, fromRelease] = from.split('.').map(Number);
  if (year === undefined || release === undefined || Number.isNaN(year) || Number.isNaN(release)) return false;
  return year > fromYear! || (year === fromYear && release >= fromRelease!);
}

// ---- the pick ---------------------------------------------------------------

type Plain = { [key: string]: unknown };

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy that shares nothing with the source, so a caller cannot change the case's data through it. */
function copyOf<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyOf(v)])) as T;
  }
  return value;
}

function pickPath(source: Plain, target: Plain, segments: readonly string[]): void {
  const [head, ...rest] = segments;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(source, head)) return;
  const value = source[head];
  if (value === undefined) return;
  if (rest.length === 0) {
    target[head] = copyOf(value);
    return;
  }
  if (!isPlainObject(value)) return;
  const existing = target[head];
  const child: Plain = isPlainObject(existing) ? existing : {};
  pickPath(value, child, rest);
  if (Object.keys(child).length > 0) target[head] = child;
}

/**
 * Only the fields the manifest lists for `recipient`, in the same nesting as
 * `ApplicationData`, copied. A listed field the data does not have (no card
 * for a card holder, no archive detail) is simply absent. Pure.
 */
export function pickForDepartment(recipient: ManifestRecipient, data: ApplicationData): DeepPartial<ApplicationData> {
  const picked: Plain = {};
  for (const { field } of MANIFEST[recipient].fields) pickPath(data as unknown as Plain, picked, field.split('.'));
  return picked as DeepPartial<ApplicationData>;
}
