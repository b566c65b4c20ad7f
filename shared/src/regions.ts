/**
 * Administrative divisions (行政区划) of Ningxia, for the city/county picker,
 * for reading the region code of a resident ID number and for telling a
 * Ningxia household registration (户籍) from another province's.
 *
 * Codes and names: GB/T 2260 as published by the Ministry of Civil Affairs
 * (民政部 县级以上行政区划代码). Ningxia has had the same 5 cities and
 * 22 county-level divisions since 红寺堡区 was set up in 2009.
 */

/** A county-level division (县级行政区: 市辖区, 县, 县级市). */
export interface County {
  /** 6-digit code, e.g. `640104`. */
  code: string;
  name: string;
}

/** A prefecture-level city (地级市). */
export interface City {
  /** 4-digit code, e.g. `6401`. */
  code: string;
  name: string;
  counties: readonly County[];
}

export const NINGXIA_PROVINCE_CODE = '64';
export const NINGXIA_PROVINCE_NAME = '宁夏回族自治区';

/** Today's cities and counties, in the official order (the picker shows them this way). */
export const NINGXIA_CITIES: readonly City[] = [
  {
    code: '6401',
    name: '银川市',
    counties: [
      { code: '640104', name: '兴庆区' },
      { code: '640105', name: '西夏区' },
      { code: '640106', name: '金凤区' },
      { code: '640121', name: '永宁县' },
      { code: '640122', name: '贺兰县' },
      { code: '640181', name: '灵武市' },
    ],
  },
  {
    code: '6402',
    name: '石嘴山市',
    counties: [
      { code: '640202', name: '大武口区' },
      { code: '640205', name: '惠农区' },
      { code: '640221', name: '平罗县' },
    ],
  },
  {
    code: '6403',
    name: '吴忠市',
    counties: [
      { code: '640302', name: '利通区' },
      { code: '640303', name: '红寺堡区' },
      { code: '640323', name: '盐池县' },
      { code: '640324', name: '同心县' },
      { code: '640381', name: '青铜峡市' },
    ],
  },
  {
    code: '6404',
    name: '固原市',
    counties: [
      { code: '640402', name: '原州区' },
      { code: '640422', name: '西吉县' },
      { code: '640423', name: '隆德县' },
      { code: '640424', name: '泾源县' },
      { code: '640425', name: '彭阳县' },
    ],
  },
  {
    code: '6405',
    name: '中卫市',
    counties: [
      { code: '640502', name: '沙坡头区' },
      { code: '640521', name: '中宁县' },
      { code: '640522', name: '海原县' },
    ],
  },
];

/**
 * A code that no longer exists but is still the first six digits of older ID
 * numbers (an ID number keeps the code it was first issued under).
 */
export interface LegacyRegion {
  code: string;
  name: string;
  /** The prefecture it belonged to then, e.g. `银南地区`. */
  formerParent: string;
  /**
   * The year the code was retired. An ID number gets its code when first
   * issued, so nobody born after this year carries it.
   */
  inUseUntil: number;
  /** Today's county that took over (most of) its territory. */
  successorCode: string;
}

/**
 * Former prefectures (地区): 银南地区 became 吴忠市 in 1998 and 固原地区 became
 * 固原市 in 2001; 中卫市 (2004) then took 中卫县 and 中宁县 from 吴忠 and 海原县
 * from 固原.
 */
export const LEGACY_PREFECTURES: readonly {
  code: string;
  name: string;
  inUseUntil: number;
  successorCityCode: string;
}[] = [
  { code: '642100', name: '银南地区', inUseUntil: 1998, successorCityCode: '6403' },
  { code: '642200', name: '固原地区', inUseUntil: 2001, successorCityCode: '6404' },
];

/**
 * Retired county-level codes, from the MCA lists 1980–2004 (each year's December list). Two codes were
 * reused rather than retired and so are current: 640104 (郊区 → 兴庆区, 2002)
 * and 640205 (石嘴山区 → 惠农区, 2004).
 */
export const LEGACY_REGIONS: readonly LegacyRegion[] = [
  // 银川市 before the 2002 redistricting
  { code: '640102', name: '城区', formerParent: '银川市', inUseUntil: 2002, successorCode: '640104' },
  { code: '640103', name: '新城区', formerParent: '银川市', inUseUntil: 2002, successorCode: '640105' },
  // 石嘴山市 before the 2003 redistricting
  { code: '640204', name: '石炭井区', formerParent: '石嘴山市', inUseUntil: 2002, successorCode: '640202' },
  { code: '640211', name: '郊区', formerParent: '石嘴山市', inUseUntil: 1987, successorCode: '640205' },
  // 陶乐县 was split in 2004: most to 平罗县, 月牙湖乡 to 兴庆区.
  { code: '640222', name: '陶乐县', formerParent: '石嘴山市', inUseUntil: 2003, successorCode: '640221' },
  { code: '640223', name: '惠农县', formerParent: '石嘴山市', inUseUntil: 2003, successorCode: '640205' },
  // 吴忠市 1998–2003, before 中卫市 was set up (end of 2003)
  { code: '640321', name: '中卫县', formerParent: '吴忠市', inUseUntil: 2003, successorCode: '640502' },
  { code: '640322', name: '中宁县', formerParent: '吴忠市', inUseUntil: 2003, successorCode: '640521' },
  { code: '640382', name: '灵武市', formerParent: '吴忠市', inUseUntil: 2002, successorCode: '640181' },
  // 固原市 2001–2003
  { code: '640421', name: '海原县', formerParent: '固原市', inUseUntil: 2003, successorCode: '640522' },
  // 银南地区 (6421xx), until it became 吴忠市 in 1998
  { code: '642101', name: '吴忠市', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640302' },
  { code: '642102', name: '青铜峡市', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640381' },
  { code: '642103', name: '灵武市', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640181' },
  { code: '642121', name: '吴忠县', formerParent: '银南地区', inUseUntil: 1983, successorCode: '640302' },
  { code: '642122', name: '青铜峡县', formerParent: '银南地区', inUseUntil: 1984, successorCode: '640381' },
  { code: '642123', name: '中卫县', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640502' },
  { code: '642124', name: '中宁县', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640521' },
  { code: '642125', name: '灵武县', formerParent: '银南地区', inUseUntil: 1996, successorCode: '640181' },
  { code: '642126', name: '盐池县', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640323' },
  { code: '642127', name: '同心县', formerParent: '银南地区', inUseUntil: 1998, successorCode: '640324' },
  // 固原地区 (6422xx), until it became 固原市 in 2001
  { code: '642221', name: '固原县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640402' },
  { code: '642222', name: '海原县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640522' },
  { code: '642223', name: '西吉县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640422' },
  { code: '642224', name: '隆德县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640423' },
  { code: '642225', name: '泾源县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640424' },
  { code: '642226', name: '彭阳县', formerParent: '固原地区', inUseUntil: 2001, successorCode: '640425' },
];

/**
 * Provinces (省级行政区) by the first two digits of a region code, for messages
 * such as "您在广东省有正在缴费的企业职工养老保险".
 */
export const PROVINCE_NAMES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
  // Residence permits for Taiwan residents (台湾居民居住证) use 830000.
  '83': '台湾地区',
};

/** `'44'` or `'440106'` → `'广东省'`; undefined for an unknown prefix. */
export function provinceName(codeOrPrefix: string): string | undefined {
  return /^\d{2}/.test(codeOrPrefix) ? PROVINCE_NAMES[codeOrPrefix.slice(0, 2)] : undefined;
}

const CURRENT_COUNTIES = new Map<string, { county: County; city: City }>(
  NINGXIA_CITIES.flatMap((city) => city.counties.map((county) => [county.code, { county, city }] as const)),
);
const LEGACY_BY_CODE = new Map<string, LegacyRegion>(LEGACY_REGIONS.map((r) => [r.code, r]));
const CITY_LEVEL_CODES = new Set<string>([
  `${NINGXIA_PROVINCE_CODE}0000`,
  ...NINGXIA_CITIES.map((c) => `${c.code}00`),
  ...LEGACY_PREFECTURES.map((p) => p.code),
]);

/** True for one of today's 22 counties (the picker accepts only these). */
export function isCurrentNingxiaCounty(code: string): boolean {
  return CURRENT_COUNTIES.has(code);
}

/** The legacy entry for a retired code, if it is one. */
export function legacyRegion(code: string): LegacyRegion | undefined {
  return LEGACY_BY_CODE.get(code);
}

/**
 * Today's county for a code: itself when current, its successor when legacy,
 * undefined otherwise.
 */
export function currentCountyCode(code: string): string | undefined {
  if (CURRENT_COUNTIES.has(code)) return code;
  return LEGACY_BY_CODE.get(code)?.successorCode;
}

/**
 * The city a county belongs to today. Legacy codes resolve through their
 * successor (`642221` 固原县 → 固原市).
 */
export function cityOf(countyCode: string): City | undefined {
  const current = currentCountyCode(countyCode);
  return current === undefined ? undefined : CURRENT_COUNTIES.get(current)?.city;
}

/** The county's own name (`640104` → `兴庆区`, legacy `642221` → `固原县`). */
export function countyName(code: string): string | undefined {
  return CURRENT_COUNTIES.get(code)?.county.name ?? LEGACY_BY_CODE.get(code)?.name;
}

/**
 * True for any Ningxia code we know, current or legacy, county or city level
 * (`640000`, `640100`, `642100`, `640104`, `642221` …). Unknown `64xxxx`
 * codes are false: they are typing mistakes, not places.
 */
export function isNingxiaRegion(code: string): boolean {
  return CURRENT_COUNTIES.has(code) || LEGACY_BY_CODE.has(code) || CITY_LEVEL_CODES.has(code);
}

/**
 * A place name for messages: `640104` → `银川市兴庆区`,
 * `642221` → `原固原地区固原县（今固原市原州区）`, `440106` → `广东省`.
 */
export function describeRegion(code: string): string | undefined {
  const current = CURRENT_COUNTIES.get(code);
  if (current) return `${current.city.name}${current.county.name}`;
  const legacy = LEGACY_BY_CODE.get(code);
  if (legacy) {
    const successor = CURRENT_COUNTIES.get(legacy.successorCode);
    const today = successor ? `（今${successor.city.name}${successor.county.name}）` : '';
    return `原${legacy.formerParent}${legacy.name}${today}`;
  }
  const city = NINGXIA_CITIES.find((c) => `${c.code}00` === code);
  if (city) return city.name;
  const prefecture = LEGACY_PREFECTURES.find((p) => p.code === code);
  if (prefecture) return `原${prefecture.name}`;
  return provinceName(code);
}

/** How an address may begin with the province: 宁夏回族自治区…, 宁夏… (longest first). */
const PROVINCE_PREFIXES = [NINGXIA_PROVINCE_NAME, '宁夏'] as const;

/**
 * One written address (完整地址) from a region's name and the detail typed or
 * prefilled under it: `fullAddress('固原市原州区', '南关街道5号')` →
 * `固原市原州区南关街道5号`. A detail that already names the place — the
 * household register's `宁夏固原市原州区…`, a detail starting with the
 * province (宁夏 / 宁夏回族自治区), the city or the county — is not prefixed
 * again (only the missing city is put before a detail that starts with the
 * county). The one rule for every screen, message and record that joins them.
 */
export function fullAddress(regionName: string | undefined, detail: string | undefined): string {
  const text = (detail ?? '').trim();
  const region = (regionName ?? '').trim();
  if (!region) return text;
  if (!text) return region;
  const province = PROVINCE_PREFIXES.find((p) => text.startsWith(p)) ?? '';
  const rest = text.slice(province.length);
  if (rest.startsWith(region)) return text;
  const city = NINGXIA_CITIES.find((c) => region.startsWith(c.name));
  if (city) {
    const county = region.slice(city.name.length);
    if (rest.startsWith(city.name)) return text;
    if (county && rest.startsWith(county)) return `${province}${city.name}${rest}`;
  }
  if (NINGXIA_CITIES.some((c) => rest.startsWith(c.name))) return text;
  if (province) return `${province}${region}${rest}`;
  return `${region}${text}`;
}

/** A mailing address on one line: `describeRegion(regionCode)` joined to the detail by {@link fullAddress}. */
export function addressText(address: { regionCode?: string; detail?: string }): string {
  const name = address.regionCode ? (describeRegion(address.regionCode) ?? address.regionCode) : undefined;
  return fullAddress(name, address.detail);
}
