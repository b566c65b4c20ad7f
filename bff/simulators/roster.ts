/**
 * The roster (测试人员名册): every test person, in one place. Each department
 * simulator seeds its own database from it — identity from the person, HRSS
 * from enrollments and the card, medical from the medical enrollments, tax
 * from the person, market regulation from the businesses — so that all of
 * them tell the same story about a person.
 *
 * All data is fictional: ID numbers are built to be valid (check digit, real
 * birth date, Ningxia region code) but were made up; phones follow the
 * 199-0000-0xxx pattern. `expected` says what eligibility should conclude on
 * ROSTER_AS_OF; the roster tests check it against the data.
 */
import type { MarketBusiness, Sex } from '@flexins/shared';

/** The day `expected` is true on (ages, residence permit validity). */
export const ROSTER_AS_OF = '2026-11-29';

export type InsuranceKind =
  | 'employeePension' // 企业职工基本养老保险
  | 'employeeMedical' // 职工基本医疗保险
  | 'institutionPension' // 机关事业单位养老保险
  | 'institutionMedical' // 机关事业单位（公务员）医疗保险
  | 'residentPension' // 城乡居民基本养老保险
  | 'residentMedical' // 城乡居民基本医疗保险
  | 'flexiblePension' // 灵活就业人员参加企业职工基本养老保险
  | 'flexibleMedical'; // 灵活就业人员参加职工基本医疗保险

/** One enrollment (参保记录) as a department system holds it. */
export interface Enrollment {
  insurance: InsuranceKind;
  /** 2-digit province code where enrolled; `64` = Ningxia. */
  provinceCode: string;
  status: 'active' | 'ended'; // 参保缴费 | 暂停/终止缴费
  since: string;
  until?: string;
}

export type EmploymentType =
  | 'flexible' // 灵活就业人员
  | 'partTime' // 非全日制从业人员
  | 'selfEmployedNoEmployees' // 无雇工的个体工商户
  | 'employerWithEmployees'; // 有雇工的个体工商户（不适用本服务）

/**
 * What eligibility should say (§3 of PRODUCT.md). For the booleans, true
 * means the check passes.
 */
export interface ExpectedEligibility {
  /** Rule 1: no employee or institution pension/medical enrollment anywhere. */
  rule1: boolean;
  /** Rule 2: no ongoing enrollment of any kind. */
  rule2: boolean;
  /** Rule 4: a first Ningxia card, or not needed because one is held. */
  card: 'apply' | 'notNeeded';
  /** Rule 3: a back payment was asked for and goes to an HRSS window. */
  backPaymentOffline: boolean;
  /** 16 to statutory retirement age on ROSTER_AS_OF. */
  age: boolean;
  /** Ningxia household registration, or a valid Ningxia residence permit. */
  residence: boolean;
  /** Rule 5: not an employer with employees — neither by the answer nor by an active registered business with employees. */
  rule5: boolean;
  faceCheck: boolean;
}

export interface RosterPerson {
  /** Stable handle used by tests, e.g. `eligible-vendor`. */
  key: string;
  /** Chinese one-liner shown on the simulated sign-in page. */
  label: string;
  name: string;
  idNumber: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string; // 民族
  phone: string;
  household: { regionCode: string; address: string }; // 户籍
  residencePermit?: { regionCode: string; validUntil: string }; // 居住证
  faceCheck: 'pass' | 'fail'; // 人脸核验
  /** What the person will answer when asked how they work. */
  employmentType: EmploymentType;
  /** Where the personnel archive (人事档案) is now. */
  archiveLocation: string;
  enrollments: Enrollment[];
  ningxiaCard?: { cardNumber: string; issuedAt: string }; // 已持有的宁夏社会保障卡
  wantsBackPayment?: boolean; // 需要历史补缴
  /** What the market regulation registration system (市场监管 登记注册系统) holds: businesses in the person's name. */
  businesses?: MarketBusiness[];
  expected: ExpectedEligibility;
}

const ELIGIBLE: Readonly<ExpectedEligibility> = Object.freeze({
  rule1: true,
  rule2: true,
  card: 'apply',
  backPaymentOffline: false,
  age: true,
  residence: true,
  rule5: true,
  faceCheck: true,
});

export const ROSTER: readonly RosterPerson[] = [
  {
    key: 'eligible-vendor',
    label: '符合条件的流动摊贩',
    name: '马建军',
    idNumber: '640104198803150317',
    sex: 'male',
    birthDate: '1988-03-15',
    ethnicity: '回族',
    phone: '19900000001',
    household: { regionCode: '640104', address: '宁夏银川市兴庆区胜利街道丽景社区12号楼3单元402室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '银川市兴庆区人力资源和社会保障局（人才服务中心）',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'part-time-worker',
    label: '非全日制从业人员（超市理货员）',
    name: '李秀梅',
    idNumber: '640105199207080421',
    sex: 'female',
    birthDate: '1992-07-08',
    ethnicity: '汉族',
    phone: '19900000002',
    household: { regionCode: '640105', address: '宁夏银川市西夏区文昌路街道朔方社区7号楼1单元201室' },
    faceCheck: 'pass',
    employmentType: 'partTime',
    archiveLocation: '宁夏回族自治区人才资源开发服务中心（高校毕业生档案）',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'self-employed-no-employees',
    label: '无雇工的个体工商户（修鞋铺）',
    name: '王志刚',
    idNumber: '640302197911200530',
    sex: 'male',
    birthDate: '1979-11-20',
    ethnicity: '汉族',
    phone: '19900000003',
    household: { regionCode: '640302', address: '宁夏吴忠市利通区胜利镇新华村三组18号' },
    faceCheck: 'pass',
    employmentType: 'selfEmployedNoEmployees',
    archiveLocation: '吴忠市利通区人力资源和社会保障局',
    enrollments: [],
    businesses: [
      {
        name: '吴忠市利通区志刚修鞋铺',
        creditCode: '92640302MA75D8L128',
        kind: 'individualBusiness',
        role: 'operator',
        status: 'active',
        registeredOn: '2012-08-01',
        regionCode: '640302',
        employees: { count: 0, source: 'annualReport', year: 2025 },
      },
    ],
    expected: ELIGIBLE,
  },
  {
    key: 'employer-with-employees',
    label: '有雇工的个体工商户（不能办理）',
    name: '杨德福',
    idNumber: '640402197505020177',
    sex: 'male',
    birthDate: '1975-05-02',
    ethnicity: '回族',
    phone: '19900000004',
    household: { regionCode: '640402', address: '宁夏固原市原州区南关街道北塬社区5号楼2单元602室' },
    faceCheck: 'pass',
    employmentType: 'employerWithEmployees',
    archiveLocation: '固原市原州区人力资源和社会保障局',
    enrollments: [],
    businesses: [
      {
        name: '固原市原州区杨记清真牛肉面馆',
        creditCode: '92640402MA76XK3P5T',
        kind: 'individualBusiness',
        role: 'operator',
        status: 'active',
        registeredOn: '2015-04-10',
        regionCode: '640402',
        employees: { count: 4, source: 'annualReport', year: 2025 },
      },
    ],
    expected: { ...ELIGIBLE, rule5: false },
  },
  {
    key: 'employee-pension-other-province',
    label: '在广东省企业职工养老保险在缴',
    name: '张丽娟',
    idNumber: '640122199009120265',
    sex: 'female',
    birthDate: '1990-09-12',
    ethnicity: '汉族',
    phone: '19900000005',
    household: { regionCode: '640122', address: '宁夏银川市贺兰县习岗镇新平村四组22号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '广东省东莞市人才发展服务中心',
    enrollments: [
      { insurance: 'employeePension', provinceCode: '44', status: 'active', since: '2016-03-01' },
      { insurance: 'employeeMedical', provinceCode: '44', status: 'active', since: '2016-03-01' },
    ],
    expected: { ...ELIGIBLE, rule1: false, rule2: false },
  },
  {
    key: 'institution-medical-ningxia',
    label: '宁夏机关事业单位医疗保险在缴',
    name: '刘海燕',
    idNumber: '640181198601250646',
    sex: 'female',
    birthDate: '1986-01-25',
    ethnicity: '汉族',
    phone: '19900000006',
    household: { regionCode: '640181', address: '宁夏银川市灵武市城区街道东塔社区9号楼1单元301室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '灵武市某事业单位（单位保管）',
    enrollments: [{ insurance: 'institutionMedical', provinceCode: '64', status: 'active', since: '2012-07-01' }],
    expected: { ...ELIGIBLE, rule1: false, rule2: false },
  },
  {
    key: 'resident-medical-ningxia',
    label: '宁夏城乡居民医保在缴',
    name: '马小兰',
    idNumber: '640324199504180883',
    sex: 'female',
    birthDate: '1995-04-18',
    ethnicity: '回族',
    phone: '19900000007',
    household: { regionCode: '640324', address: '宁夏吴忠市同心县豫海镇南安村二组7号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '同心县人力资源和社会保障局',
    enrollments: [{ insurance: 'residentMedical', provinceCode: '64', status: 'active', since: '2020-01-01' }],
    expected: { ...ELIGIBLE, rule2: false },
  },
  {
    key: 'ended-ningxia-medical',
    label: '宁夏职工医保已停保（医保办变更登记）',
    name: '陈国庆',
    idNumber: '640202198310010757',
    sex: 'male',
    birthDate: '1983-10-01',
    ethnicity: '汉族',
    phone: '19900000008',
    household: { regionCode: '640202', address: '宁夏石嘴山市大武口区长胜街道康乐社区3号楼4单元102室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '石嘴山市大武口区人力资源和社会保障局',
    enrollments: [
      { insurance: 'employeePension', provinceCode: '64', status: 'ended', since: '2008-07-01', until: '2023-12-31' },
      { insurance: 'employeeMedical', provinceCode: '64', status: 'ended', since: '2008-07-01', until: '2023-12-31' },
    ],
    expected: ELIGIBLE,
  },
  {
    key: 'holds-ningxia-card',
    label: '已有宁夏社保卡（社保卡无需申领）',
    name: '赵文静',
    idNumber: '640381199112300206',
    sex: 'female',
    birthDate: '1991-12-30',
    ethnicity: '汉族',
    phone: '19900000009',
    household: { regionCode: '640381', address: '宁夏吴忠市青铜峡市裕民街道西苑社区6号楼2单元501室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '青铜峡市人力资源和社会保障局',
    enrollments: [
      { insurance: 'residentPension', provinceCode: '64', status: 'ended', since: '2014-01-01', until: '2021-12-31' },
    ],
    ningxiaCard: { cardNumber: 'NX0000009', issuedAt: '2015-06-18' },
    expected: { ...ELIGIBLE, card: 'notNeeded' },
  },
  {
    key: 'wants-back-payment',
    label: '需要历史补缴（补缴到人社窗口办理）',
    name: '田玉山',
    idNumber: '642126197806141390',
    sex: 'male',
    birthDate: '1978-06-14',
    ethnicity: '汉族',
    phone: '19900000010',
    household: { regionCode: '640323', address: '宁夏吴忠市盐池县花马池镇城西滩村一组15号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '盐池县人力资源和社会保障局',
    enrollments: [
      { insurance: 'employeePension', provinceCode: '64', status: 'ended', since: '2005-04-01', until: '2015-09-30' },
    ],
    wantsBackPayment: true,
    expected: { ...ELIGIBLE, backPaymentOffline: true },
  },
  {
    key: 'face-check-fails',
    label: '人脸核验不通过',
    name: '苏明轩',
    idNumber: '642123198602092115',
    sex: 'male',
    birthDate: '1986-02-09',
    ethnicity: '汉族',
    phone: '19900000011',
    household: { regionCode: '640502', address: '宁夏中卫市沙坡头区文昌镇黄河花园8号楼1单元302室' },
    faceCheck: 'fail',
    employmentType: 'flexible',
    archiveLocation: '中卫市沙坡头区人力资源和社会保障局',
    enrollments: [],
    expected: { ...ELIGIBLE, faceCheck: false },
  },
  {
    key: 'over-retirement-age',
    label: '已到法定退休年龄（男，1964年生）',
    name: '海宝林',
    idNumber: '642221196408200577',
    sex: 'male',
    birthDate: '1964-08-20',
    ethnicity: '回族',
    phone: '19900000012',
    household: { regionCode: '640402', address: '宁夏固原市原州区官厅镇后川村三组4号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '固原市原州区人力资源和社会保障局',
    enrollments: [],
    expected: { ...ELIGIBLE, age: false },
  },
  {
    key: 'under-16',
    label: '未满16周岁',
    name: '何雨萱',
    idNumber: '640106201112200028',
    sex: 'female',
    birthDate: '2011-12-20',
    ethnicity: '汉族',
    phone: '19900000013',
    household: { regionCode: '640106', address: '宁夏银川市金凤区满城北街街道宁安社区2号楼3单元1101室' },
    faceCheck: 'pass',
    employmentType: 'partTime',
    archiveLocation: '无（尚未建立人事档案）',
    enrollments: [],
    expected: { ...ELIGIBLE, age: false },
  },
  {
    key: 'no-ningxia-residence',
    label: '户籍在陕西且无宁夏居住证',
    name: '周晓东',
    idNumber: '640121198905270930',
    sex: 'male',
    birthDate: '1989-05-27',
    ethnicity: '汉族',
    phone: '19900000014',
    household: { regionCode: '610113', address: '陕西省西安市雁塔区小寨路街道长安社区11号楼2单元702室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '西安市雁塔区人力资源和社会保障局',
    enrollments: [],
    expected: { ...ELIGIBLE, residence: false },
  },
  {
    key: 'residence-permit-ningxia',
    label: '户籍在甘肃、持有效宁夏居住证',
    name: '郭佳琪',
    idNumber: '640221199308160485',
    sex: 'female',
    birthDate: '1993-08-16',
    ethnicity: '汉族',
    phone: '19900000015',
    household: { regionCode: '620102', address: '甘肃省兰州市城关区东岗西路街道东城社区4号楼1单元601室' },
    residencePermit: { regionCode: '640106', validUntil: '2028-03-31' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '兰州市城关区人力资源和社会保障局',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'ended-pension-other-province',
    label: '曾在北京企业职工养老保险参保，已停保',
    name: '孙立伟',
    idNumber: '640423198412031156',
    sex: 'male',
    birthDate: '1984-12-03',
    ethnicity: '汉族',
    phone: '19900000016',
    household: { regionCode: '640423', address: '宁夏固原市隆德县城关镇新民村五组9号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '北京市朝阳区人力资源公共服务中心',
    enrollments: [
      { insurance: 'employeePension', provinceCode: '11', status: 'ended', since: '2010-04-01', until: '2022-06-30' },
      { insurance: 'employeeMedical', provinceCode: '11', status: 'ended', since: '2010-04-01', until: '2022-06-30' },
    ],
    expected: ELIGIBLE,
  },
  {
    key: 'woman-55-before-retirement',
    label: '女，已满55周岁但未到延迟后的退休年龄',
    name: '白桂英',
    idNumber: '640425197111020363',
    sex: 'female',
    birthDate: '1971-11-02',
    ethnicity: '回族',
    phone: '19900000017',
    household: { regionCode: '640425', address: '宁夏固原市彭阳县白阳镇陡坡村二组11号' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '彭阳县人力资源和社会保障局',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'expired-residence-permit',
    label: '户籍在内蒙古，宁夏居住证已过期',
    name: '韩磊',
    idNumber: '640522198704110779',
    sex: 'male',
    birthDate: '1987-04-11',
    ethnicity: '汉族',
    phone: '19900000018',
    household: { regionCode: '150102', address: '内蒙古自治区呼和浩特市新城区海拉尔东路街道光华社区7号楼3单元202室' },
    residencePermit: { regionCode: '640105', validUntil: '2026-10-31' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '呼和浩特市新城区人力资源和社会保障局',
    enrollments: [],
    expected: { ...ELIGIBLE, residence: false },
  },
  {
    // Issue 13: answers 灵活就业人员, but the registration record shows a
    // business with employees; an earlier, cancelled company does not count.
    key: 'employer-says-flexible',
    label: '有雇工的个体工商户，答“灵活就业人员”（登记信息核对不通过）',
    name: '周建华',
    idNumber: '640381198306181511',
    sex: 'male',
    birthDate: '1983-06-18',
    ethnicity: '汉族',
    phone: '19900000019',
    household: { regionCode: '640381', address: '宁夏吴忠市青铜峡市小坝镇民生社区8号楼1单元301室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '青铜峡市人力资源和社会保障局',
    enrollments: [],
    businesses: [
      {
        name: '青铜峡市华兴建材有限公司',
        creditCode: '91640381MA7E5RY3XB',
        kind: 'enterprise',
        role: 'legalRepresentative',
        status: 'cancelled',
        registeredOn: '2016-09-01',
        cancelledOn: '2023-12-29',
        regionCode: '640381',
        employees: { count: 12, source: 'annualReport', year: 2022 },
      },
      {
        name: '青铜峡市建华农家乐',
        creditCode: '92640381MA77BQ2N81',
        kind: 'individualBusiness',
        role: 'operator',
        status: 'active',
        registeredOn: '2018-05-20',
        regionCode: '640381',
        employees: { count: 6, source: 'annualReport', year: 2025 },
      },
    ],
    expected: { ...ELIGIBLE, rule5: false },
  },
];

/** Four more eligible people for staff training mode (培训模式). */
export const TRAINING_ROSTER: readonly RosterPerson[] = [
  {
    key: 'training-delivery-rider',
    label: '培训：符合条件的外卖骑手',
    name: '丁浩然',
    idNumber: '640105199605211538',
    sex: 'male',
    birthDate: '1996-05-21',
    ethnicity: '回族',
    phone: '19900000101',
    household: { regionCode: '640105', address: '宁夏银川市西夏区北京西路街道同心路社区15号楼2单元302室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '银川市西夏区人力资源和社会保障局',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'training-part-time-cleaner',
    label: '培训：非全日制保洁员',
    name: '沙秀芳',
    idNumber: '640121198209090645',
    sex: 'female',
    birthDate: '1982-09-09',
    ethnicity: '回族',
    phone: '19900000102',
    household: { regionCode: '640121', address: '宁夏银川市永宁县杨和镇纳家户村六组3号' },
    faceCheck: 'pass',
    employmentType: 'partTime',
    archiveLocation: '永宁县人力资源和社会保障局',
    enrollments: [],
    expected: ELIGIBLE,
  },
  {
    key: 'training-breakfast-stall',
    label: '培训：无雇工的个体工商户（早餐店）',
    name: '金永强',
    idNumber: '640303199302141710',
    sex: 'male',
    birthDate: '1993-02-14',
    ethnicity: '汉族',
    phone: '19900000103',
    household: { regionCode: '640303', address: '宁夏吴忠市红寺堡区新庄集乡红崖村四组20号' },
    faceCheck: 'pass',
    employmentType: 'selfEmployedNoEmployees',
    archiveLocation: '吴忠市红寺堡区人力资源和社会保障局',
    enrollments: [],
    businesses: [
      {
        name: '吴忠市红寺堡区永强早餐店',
        creditCode: '92640303MA7A6H4W09',
        kind: 'individualBusiness',
        role: 'operator',
        status: 'active',
        registeredOn: '2021-03-15',
        regionCode: '640303',
        employees: { count: 0, source: 'annualReport', year: 2025 },
      },
    ],
    expected: ELIGIBLE,
  },
  {
    key: 'training-ended-medical',
    label: '培训：宁夏职工医保已停保（医保办变更登记）',
    name: '罗春燕',
    idNumber: '64050219800730082X',
    sex: 'female',
    birthDate: '1980-07-30',
    ethnicity: '汉族',
    phone: '19900000104',
    household: { regionCode: '640502', address: '宁夏中卫市沙坡头区滨河镇应理社区10号楼1单元401室' },
    faceCheck: 'pass',
    employmentType: 'flexible',
    archiveLocation: '中卫市沙坡头区人力资源和社会保障局',
    enrollments: [
      { insurance: 'employeePension', provinceCode: '64', status: 'ended', since: '2003-09-01', until: '2024-03-31' },
      { insurance: 'employeeMedical', provinceCode: '64', status: 'ended', since: '2003-09-01', until: '2024-03-31' },
    ],
    expected: ELIGIBLE,
  },
];

/** A person from either roster by key. */
export function findPerson(key: string): RosterPerson | undefined {
  return ROSTER.find((p) => p.key === key) ?? TRAINING_ROSTER.find((p) => p.key === key);
}

const MEDICAL_KINDS: readonly InsuranceKind[] = [
  'employeeMedical',
  'institutionMedical',
  'residentMedical',
  'flexibleMedical',
];

/**
 * Rule 2's second sentence: a previous, ended medical enrollment in Ningxia
 * makes the medical matter a change registration (变更登记) rather than a
 * first enrollment (参保登记).
 */
export function medicalRegistrationKind(person: RosterPerson): 'enrol' | 'change' {
  const endedInNingxia = person.enrollments.some(
    (e) => MEDICAL_KINDS.includes(e.insurance) && e.provinceCode === '64' && e.status === 'ended',
  );
  return endedInNingxia ? 'change' : 'enrol';
}
