// The schemas are compiled here exactly as the BFF compiles them (strict ajv
// from shared/server); shared/src itself never imports ajv.
import { check, createAjv } from '../../server/validation';
import {
  APPLICATION_FORM_SCHEMA,
  ARCHIVE_LOCATION_LABELS,
  DRAFT_MAX_BYTES,
  DRAFT_SCHEMA,
  ELIGIBILITY_ANSWERS_SCHEMA,
  WINDOW_APPLICATION_SCHEMA,
  toApplicationData,
  type Applicant,
  type ApplicationDraft,
  type ApplicationForm,
  type EligibilityAnswers,
  type WindowApplication,
} from '../application';
import { HRSS_CARD_BANKS } from '../contracts/hrss';
import { CURRENT_POLICY } from '../policy';
import { NINGXIA_CITIES } from '../regions';

const FORM: ApplicationForm = {
  employment: { type: 'flexible', startDate: '2026-11-01' },
  residenceRegionCode: '640104',
  archive: { location: 'talentCentre', detail: '银川市人才交流服务中心' },
  pension: { baseGradePercent: 60 },
  card: {
    issuingBank: 'bankOfNingxia',
    mailingAddress: {
      regionCode: '640104',
      detail: '胜利街道丽景社区12号楼3单元402室',
      recipient: '马建军',
      phone: '19900000001',
    },
  },
  payment: { periodStart: '2026-12', months: 3 },
  consent: { noticeVersion: '2026.1', agreed: true },
  faceCheckId: 'RL20261129000001',
  postageOrderId: 'PO-20261129-0001',
};

const form = (changes: (f: ApplicationForm) => void): unknown => {
  const copy = structuredClone(FORM);
  changes(copy);
  return copy;
};

function fieldsOf(schema: object, data: unknown): Record<string, string> {
  const result = check(schema, data);
  return result.ok ? {} : result.fields;
}

type Node = Record<string, unknown>;

/** Every subschema that is a property, with its dotted path. */
function properties(schema: Node, path = ''): [string, Node][] {
  const props = (schema.properties ?? {}) as Record<string, Node | boolean>;
  return Object.entries(props).flatMap(([name, sub]) => {
    if (typeof sub !== 'object') return [];
    const here = path ? `${path}.${name}` : name;
    return [[here, sub] as [string, Node], ...properties(sub, here)];
  });
}

describe('the one form (APPLICATION_FORM_SCHEMA)', () => {
  it.each([
    ['the form', APPLICATION_FORM_SCHEMA],
    ['the draft', DRAFT_SCHEMA],
    ['the eligibility answers', ELIGIBILITY_ANSWERS_SCHEMA],
    ['the window form', WINDOW_APPLICATION_SCHEMA],
  ])('%s compiles under strict ajv', (_name, schema) => {
    expect(() => createAjv().compile(schema)).not.toThrow();
  });

  it.each([
    ['the form', APPLICATION_FORM_SCHEMA],
    ['the eligibility answers', ELIGIBILITY_ANSWERS_SCHEMA],
    ['the window form', WINDOW_APPLICATION_SCHEMA],
  ])('%s: every property has a Chinese title; patterns have hints; enums have labels; objects are closed', (_n, s) => {
    const schema = s as unknown as Node;
    expect(schema.additionalProperties).toBe(false);
    for (const [path, node] of properties(schema)) {
      expect([path, node.title]).toEqual([path, expect.stringMatching(/[\u4e00-\u9fff]/)]);
      if (node.pattern || node.format) expect([path, node['x-format-hint']]).toEqual([path, expect.any(String)]);
      if (node.enum) {
        const labels = node['x-enum-labels'] as Record<string, string>;
        for (const value of node.enum as unknown[])
          expect([path, labels[String(value)]]).toEqual([path, expect.any(String)]);
      }
      if (node.type === 'object') expect([path, node.additionalProperties]).toEqual([path, false]);
    }
  });

  it('accepts a complete form, and one without a card for a card holder', () => {
    expect(
      check(
        APPLICATION_FORM_SCHEMA,
        form(() => {}),
      ),
    ).toEqual({ ok: true, value: FORM });
    const noCard = form((f) => {
      delete f.card;
      delete f.postageOrderId;
    });
    expect(check(APPLICATION_FORM_SCHEMA, noCard).ok).toBe(true);
  });

  it('offers the three flexible kinds of work, never an employer with employees (rule 5)', () => {
    expect(APPLICATION_FORM_SCHEMA.properties.employment.properties.type.enum).toEqual([
      'flexible',
      'partTime',
      'selfEmployedNoEmployees',
    ]);
    const fields = fieldsOf(
      APPLICATION_FORM_SCHEMA,
      form((f) => ((f.employment.type as string) = 'employerWithEmployees')),
    );
    expect(fields['employment.type']).toMatch(/^就业形式只能选：灵活就业人员/);
  });

  it('offers the 22 current counties, the policy grades, and the HRSS banks', () => {
    const counties = NINGXIA_CITIES.flatMap((c) => c.counties.map((k) => k.code));
    expect(APPLICATION_FORM_SCHEMA.properties.residenceRegionCode.enum).toEqual(counties);
    expect(counties).toHaveLength(22);
    expect(APPLICATION_FORM_SCHEMA.properties.residenceRegionCode['x-enum-labels']['640104']).toBe('银川市兴庆区');
    expect(APPLICATION_FORM_SCHEMA.properties.pension.properties.baseGradePercent.enum).toEqual([
      ...CURRENT_POLICY.pension.value.grades,
    ]);
    expect(APPLICATION_FORM_SCHEMA.properties.card.properties.issuingBank['x-enum-labels']).toEqual(
      Object.fromEntries(HRSS_CARD_BANKS.map((b) => [b.code, b.name])),
    );
    // A retired code (an old ID number's) is not a place to live in today.
    expect(
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => (f.residenceRegionCode = '642221')),
      ),
    ).toHaveProperty('residenceRegionCode');
  });

  it('names the field and says how to fix it', () => {
    const fields = fieldsOf(
      APPLICATION_FORM_SCHEMA,
      form((f) => {
        f.card!.mailingAddress.phone = '1380013800';
        f.card!.mailingAddress.detail = '银川';
        f.employment.startDate = '2026-02-30';
        f.payment.periodStart = '2026-13';
        (f.payment.months as number) = 2;
      }),
    );
    expect(fields).toEqual({
      'card.mailingAddress.phone': '收件人手机号码格式不正确，请填写 11 位手机号码',
      'card.mailingAddress.detail': '详细地址至少 5 个字',
      'employment.startDate': '开始灵活就业的日期格式不正确，应为 年-月-日，如 2026-11-01',
      'payment.periodStart': '从哪个月开始缴费格式不正确，应为 年-月，如 2026-12',
      // validation-messages labels string enums only; a number shows as itself (1、3、6、12)
      'payment.months': expect.stringMatching(/^一次缴几个月只能选：1/),
    });
  });

  it('takes Chinese recipient names, with the middle dot of minority names', () => {
    const recipient = (name: string) =>
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => (f.card!.mailingAddress.recipient = name)),
      )['card.mailingAddress.recipient'];
    expect(recipient('买买提·艾力')).toBeUndefined();
    expect(recipient('马建军')).toBeUndefined();
    expect(recipient('马')).toBe('收件人姓名至少 2 个字');
    expect(recipient('Ma Jianjun')).toMatch(/^收件人姓名格式不正确，请填写收件人的中文姓名/);
    expect(recipient('·马建军')).toBeDefined();
    expect(recipient('马'.repeat(21))).toBe('收件人姓名最多 20 个字');
  });

  it('asks for the holding unit (档案保管单位) whenever a unit holds the archive, up to 60 characters', () => {
    for (const location of ['previousEmployer', 'talentCentre', 'school', 'other'] as const) {
      expect(
        fieldsOf(
          APPLICATION_FORM_SCHEMA,
          form((f) => (f.archive = { location })),
        ),
      ).toEqual({ 'archive.detail': '请填写档案保管单位' });
      expect(
        check(
          APPLICATION_FORM_SCHEMA,
          form((f) => (f.archive = { location, detail: '某县人才交流服务中心' })),
        ).ok,
      ).toBe(true);
    }
    for (const location of ['none', 'unknown'] as const) {
      expect(
        check(
          APPLICATION_FORM_SCHEMA,
          form((f) => (f.archive = { location })),
        ).ok,
      ).toBe(true);
    }
    expect(
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => (f.archive = { location: 'other', detail: '档'.repeat(61) })),
      ),
    ).toMatchObject({ 'archive.detail': '档案保管单位最多 60 个字' });
    // no location chosen: only the choice is asked for, not the unit as well
    expect(
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => (f.archive = {} as never)),
      ),
    ).toEqual({
      'archive.location': expect.stringMatching(/^请/),
    });
    expect(Object.keys(ARCHIVE_LOCATION_LABELS)).toEqual(
      expect.arrayContaining(['none', 'previousEmployer', 'talentCentre', 'school', 'other']),
    );
  });

  it('passes the holding unit on only while a unit holds the archive', () => {
    const applicant = {} as Parameters<typeof toApplicationData>[0];
    const held = form((f) => (f.archive = { location: 'school', detail: '宁夏大学' })) as ApplicationForm;
    expect(toApplicationData(applicant, held).archive).toEqual({ location: 'school', detail: '宁夏大学' });
    const none = form((f) => (f.archive = { location: 'none', detail: '宁夏大学' })) as ApplicationForm;
    expect(toApplicationData(applicant, none).archive).toEqual({ location: 'none' });
  });

  it('wants the postage paid when a card is applied for', () => {
    expect(
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => delete f.postageOrderId),
      ),
    ).toMatchObject({
      postageOrderId: '请填写邮寄费订单号',
    });
  });

  it('wants the consent ticked for a notice version, and a face check', () => {
    const fields = fieldsOf(
      APPLICATION_FORM_SCHEMA,
      form((f) => {
        (f.consent.agreed as boolean) = false;
        f.consent.noticeVersion = 'latest';
        f.faceCheckId = '';
      }),
    );
    expect(Object.keys(fields).sort()).toEqual(['consent.agreed', 'consent.noticeVersion', 'faceCheckId']);
    expect(
      fieldsOf(
        APPLICATION_FORM_SCHEMA,
        form((f) => delete (f as Partial<ApplicationForm>).consent),
      ),
    ).toMatchObject({ consent: '请填写告知与授权' });
  });

  it('refuses fields it does not know, at every level', () => {
    const fields = fieldsOf(
      APPLICATION_FORM_SCHEMA,
      form((f) => {
        Object.assign(f, { idNumber: '640104198803150317' });
        Object.assign(f.card!.mailingAddress, { email: 'x@example.com' });
      }),
    );
    expect(fields).toEqual({
      idNumber: '不认识的字段“idNumber”，请删除',
      'card.mailingAddress.email': '不认识的字段“email”，请删除',
    });
  });

  it('joins the prefilled applicant and the form into ApplicationData, leaving consent and check ids out', () => {
    const applicant: Applicant = {
      name: '马建军',
      idNumber: '640104198803150317',
      sex: 'male',
      birthDate: '1988-03-15',
      ethnicity: '回族',
      phone: '19900000001',
      household: { regionCode: '640104', address: '宁夏银川市兴庆区' },
    };
    const data = toApplicationData(applicant, FORM);
    expect(Object.keys(data).sort()).toEqual(
      ['applicant', 'archive', 'card', 'employment', 'payment', 'pension', 'residenceRegionCode'].sort(),
    );
    const { card: _card, postageOrderId: _order, ...withoutCard } = FORM;
    expect(toApplicationData(applicant, withoutCard)).not.toHaveProperty('card');
  });
});

describe('the draft (DRAFT_SCHEMA)', () => {
  it('accepts an empty draft and any part of the form, the consent box unticked', () => {
    expect(check(DRAFT_SCHEMA, {}).ok).toBe(true);
    const partial: ApplicationDraft = {
      employment: { type: 'partTime' },
      card: { mailingAddress: { regionCode: '640105' } },
      archive: { location: 'other' },
      consent: { agreed: false },
    };
    expect(check(DRAFT_SCHEMA, partial).ok).toBe(true);
  });

  it('still checks types, formats, lengths and enums, and refuses unknown fields', () => {
    const fields = fieldsOf(DRAFT_SCHEMA, {
      employment: { startDate: '2026-02-30' },
      card: { mailingAddress: { phone: '123' } },
      pension: { baseGradePercent: 70 },
      payment: { months: '3' },
      notes: 'hello',
    });
    expect(Object.keys(fields).sort()).toEqual(
      [
        'card.mailingAddress.phone',
        'employment.startDate',
        'notes',
        'payment.months',
        'pension.baseGradePercent',
      ].sort(),
    );
  });

  it('cannot hold more than 16 KB: the largest valid draft is well under it', () => {
    const longest = (n: number) => '档'.repeat(n); // 3 UTF-8 bytes each
    const largest = {
      employment: { type: 'selfEmployedNoEmployees', startDate: '2026-11-01' },
      residenceRegionCode: '640104',
      archive: { location: 'previousEmployer', detail: longest(60) },
      pension: { baseGradePercent: 300 },
      card: {
        issuingBank: 'yellowRiverRcb',
        mailingAddress: { regionCode: '640104', detail: longest(100), recipient: longest(20), phone: '19900000001' },
      },
      payment: { periodStart: '2026-12', months: 12 },
      consent: { noticeVersion: '2026.123', agreed: true },
      faceCheckId: 'RL20261129000001',
      postageOrderId: 'x'.repeat(64),
    };
    expect(check(DRAFT_SCHEMA, largest).ok).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify(largest)).length).toBeLessThan(DRAFT_MAX_BYTES / 8);
    // Every string is bounded, so nothing longer can get in.
    for (const [path, node] of properties(DRAFT_SCHEMA)) {
      if (node.type === 'string') {
        expect([path, Boolean(node.maxLength || node.enum || node.pattern || node.format)]).toEqual([path, true]);
      }
    }
  });

  it('keeps the form’s shape: the same properties everywhere', () => {
    const names = (s: object) => properties(s as Node).map(([path]) => path);
    expect(names(DRAFT_SCHEMA)).toEqual(names(APPLICATION_FORM_SCHEMA));
    expect(JSON.stringify(DRAFT_SCHEMA)).not.toMatch(/"required"|"if"|"then"/);
  });
});

describe('the eligibility questions (ELIGIBILITY_ANSWERS_SCHEMA)', () => {
  it('offers all four kinds of work, so that rule 5 can say no with a reason', () => {
    const answers: EligibilityAnswers = {
      employmentType: 'employerWithEmployees',
      wantsBackPayment: false,
      wantsSpecialPayment: false,
    };
    expect(check(ELIGIBILITY_ANSWERS_SCHEMA, answers).ok).toBe(true);
    expect(ELIGIBILITY_ANSWERS_SCHEMA.properties.employmentType.enum).toHaveLength(4);
  });

  it('wants every answer, as booleans', () => {
    expect(fieldsOf(ELIGIBILITY_ANSWERS_SCHEMA, { employmentType: 'flexible', wantsBackPayment: 'no' })).toEqual({
      wantsBackPayment: expect.stringContaining('类型不对'),
      wantsSpecialPayment: expect.stringMatching(/^请选择是否要办理特殊缴费/),
    });
  });
});

describe('what a missing answer is called', () => {
  it('says 请选择 for a choice (radio buttons, a bank, yes or no) and 请填写 for what is typed', () => {
    const { employment: _e, archive: _a, card: _c, ...rest } = FORM;
    const fields = fieldsOf(APPLICATION_FORM_SCHEMA, {
      ...rest,
      employment: { startDate: FORM.employment.startDate },
      archive: {},
      card: { mailingAddress: FORM.card!.mailingAddress },
    });
    expect(fields).toMatchObject({
      'employment.type': '请选择就业形式',
      'archive.location': expect.stringMatching(/^请选择/),
      'card.issuingBank': '请选择社保卡开户银行',
    });
    expect(fieldsOf(APPLICATION_FORM_SCHEMA, { ...FORM, card: { ...FORM.card, mailingAddress: {} } })).toMatchObject({
      'card.mailingAddress.detail': expect.stringMatching(/^请填写/),
    });
  });
});

describe('the window form (WINDOW_APPLICATION_SCHEMA)', () => {
  it('is the form plus the citizen’s ID number', () => {
    const windowForm: WindowApplication = { ...FORM, idNumber: '640104198803150317' };
    expect(check(WINDOW_APPLICATION_SCHEMA, windowForm).ok).toBe(true);
    expect(fieldsOf(WINDOW_APPLICATION_SCHEMA, FORM)).toEqual({ idNumber: '请填写申请人身份证号码' });
    expect(fieldsOf(WINDOW_APPLICATION_SCHEMA, { ...FORM, idNumber: '64010419880315031x' })).toEqual({
      idNumber: expect.stringContaining('最后一位可以是数字或大写X'),
    });
    const { idNumber: _id, ...rest } = WINDOW_APPLICATION_SCHEMA.properties;
    expect(rest).toEqual(APPLICATION_FORM_SCHEMA.properties);
  });
});
