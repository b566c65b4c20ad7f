import {
  LEGACY_PREFECTURES,
  LEGACY_REGIONS,
  NINGXIA_CITIES,
  PROVINCE_NAMES,
  cityOf,
  countyName,
  currentCountyCode,
  describeRegion,
  fullAddress,
  addressText,
  isCurrentNingxiaCounty,
  isNingxiaRegion,
  legacyRegion,
  provinceName,
} from '../regions';

describe('Ningxia today', () => {
  it('has 5 cities and 22 county-level divisions (9 districts, 2 county-level cities, 11 counties)', () => {
    expect(NINGXIA_CITIES.map((c) => `${c.code} ${c.name}`)).toEqual([
      '6401 银川市',
      '6402 石嘴山市',
      '6403 吴忠市',
      '6404 固原市',
      '6405 中卫市',
    ]);
    const counties = NINGXIA_CITIES.flatMap((c) => c.counties);
    expect(counties).toHaveLength(22);
    expect(counties.filter((c) => c.name.endsWith('区'))).toHaveLength(9);
    expect(counties.filter((c) => c.name.endsWith('市'))).toHaveLength(2);
    expect(counties.filter((c) => c.name.endsWith('县'))).toHaveLength(11);
  });

  it('lists each city with its own counties under its own code', () => {
    const byCity = Object.fromEntries(NINGXIA_CITIES.map((c) => [c.name, c.counties.map((k) => k.code).join(' ')]));
    expect(byCity).toEqual({
      银川市: '640104 640105 640106 640121 640122 640181',
      石嘴山市: '640202 640205 640221',
      吴忠市: '640302 640303 640323 640324 640381',
      固原市: '640402 640422 640423 640424 640425',
      中卫市: '640502 640521 640522',
    });
    for (const city of NINGXIA_CITIES)
      for (const county of city.counties) expect(county.code.startsWith(city.code)).toBe(true);
  });

  it('names counties', () => {
    expect(countyName('640104')).toBe('兴庆区');
    expect(countyName('640181')).toBe('灵武市');
    expect(countyName('640303')).toBe('红寺堡区');
    expect(countyName('640522')).toBe('海原县');
    expect(countyName('640199')).toBeUndefined();
  });

  it('finds the city of a county', () => {
    expect(cityOf('640181')?.name).toBe('银川市');
    expect(cityOf('640205')?.name).toBe('石嘴山市');
    expect(cityOf('640521')?.name).toBe('中卫市');
    expect(cityOf('640422')?.code).toBe('6404');
    expect(cityOf('610113')).toBeUndefined();
  });
});

describe('legacy codes in older ID numbers', () => {
  it('cover the old 银南地区 (6421xx) and 固原地区 (6422xx)', () => {
    expect(LEGACY_REGIONS.filter((r) => r.code.startsWith('6421'))).toHaveLength(10);
    expect(LEGACY_REGIONS.filter((r) => r.code.startsWith('6422'))).toHaveLength(6);
    expect(LEGACY_PREFECTURES.map((p) => p.name)).toEqual(['银南地区', '固原地区']);
  });

  it('are not current codes, and each maps to a current county', () => {
    const codes = LEGACY_REGIONS.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of LEGACY_REGIONS) {
      expect(isCurrentNingxiaCounty(r.code)).toBe(false);
      expect(isCurrentNingxiaCounty(r.successorCode)).toBe(true);
    }
  });

  it('map to the county that took them over', () => {
    expect(currentCountyCode('642221')).toBe('640402'); // 固原县 → 原州区
    expect(currentCountyCode('642123')).toBe('640502'); // 中卫县 → 沙坡头区
    expect(currentCountyCode('642125')).toBe('640181'); // 灵武县 → 灵武市 (now 银川)
    expect(currentCountyCode('642101')).toBe('640302'); // 县级吴忠市 → 利通区
    expect(currentCountyCode('640321')).toBe('640502');
    expect(currentCountyCode('640104')).toBe('640104');
    expect(currentCountyCode('640199')).toBeUndefined();
  });

  it('resolve their city through today’s county', () => {
    expect(cityOf('642221')?.name).toBe('固原市');
    expect(cityOf('642222')?.name).toBe('中卫市'); // 海原县 moved from 固原 to 中卫 in 2004
    expect(cityOf('642125')?.name).toBe('银川市');
    expect(cityOf('642126')?.name).toBe('吴忠市');
  });

  it('keep their own old name and retirement year', () => {
    expect(countyName('642221')).toBe('固原县');
    expect(legacyRegion('642221')).toMatchObject({ formerParent: '固原地区', inUseUntil: 2001 });
    expect(legacyRegion('642125')).toMatchObject({ name: '灵武县', inUseUntil: 1996 });
    expect(legacyRegion('640104')).toBeUndefined();
  });
});

describe('isNingxiaRegion', () => {
  it.each(['640104', '640522', '642221', '642126', '640102', '640000', '640100', '642100'])(
    'is true for %s',
    (code) => {
      expect(isNingxiaRegion(code)).toBe(true);
    },
  );

  it.each(['640199', '641234', '642199', '610113', '440106', '6401', '64010', ''])('is false for %s', (code) => {
    expect(isNingxiaRegion(code)).toBe(false);
  });
});

describe('provinces', () => {
  it('name every province-level division by its two digits', () => {
    expect(Object.keys(PROVINCE_NAMES)).toHaveLength(35);
    expect(provinceName('11')).toBe('北京市');
    expect(provinceName('440106')).toBe('广东省');
    expect(provinceName('64')).toBe('宁夏回族自治区');
    expect(provinceName('99')).toBeUndefined();
    expect(provinceName('x')).toBeUndefined();
  });

  it('describe any code for a message', () => {
    expect(describeRegion('640104')).toBe('银川市兴庆区');
    expect(describeRegion('642221')).toBe('原固原地区固原县（今固原市原州区）');
    expect(describeRegion('640400')).toBe('固原市');
    expect(describeRegion('642100')).toBe('原银南地区');
    expect(describeRegion('610113')).toBe('陕西省');
  });
});

describe('fullAddress', () => {
  it('puts the region before a detail that does not name it', () => {
    expect(fullAddress('固原市原州区', '南关街道北塬社区5号楼')).toBe('固原市原州区南关街道北塬社区5号楼');
    expect(addressText({ regionCode: '640104', detail: '解放西街 100 号' })).toBe('银川市兴庆区解放西街 100 号');
  });

  it('does not say the region twice when the detail already holds it (the household register prefills 宁夏…)', () => {
    const household = '宁夏固原市原州区南关街道北塬社区5号楼2单元602室';
    expect(fullAddress('固原市原州区', household)).toBe(household);
    expect(fullAddress('固原市原州区', '宁夏回族自治区固原市原州区南关街道')).toBe(
      '宁夏回族自治区固原市原州区南关街道',
    );
    expect(fullAddress('固原市原州区', '固原市原州区南关街道')).toBe('固原市原州区南关街道');
    expect(addressText({ regionCode: '640402', detail: household })).toBe(household);
  });

  it('adds only what is missing: the city before a county, the region after the province', () => {
    expect(fullAddress('固原市原州区', '原州区南关街道')).toBe('固原市原州区南关街道');
    expect(fullAddress('固原市原州区', '宁夏南关街道')).toBe('宁夏固原市原州区南关街道');
    expect(fullAddress('银川市兴庆区', '宁夏固原市原州区南关街道')).toBe('宁夏固原市原州区南关街道');
  });

  it('gives either part alone when the other is missing', () => {
    expect(fullAddress(undefined, ' 南关街道 ')).toBe('南关街道');
    expect(fullAddress('固原市原州区', '')).toBe('固原市原州区');
  });
});
