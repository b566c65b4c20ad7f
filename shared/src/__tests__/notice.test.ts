import { APPLICATION_FORM_SCHEMA } from '../application';
import { ELIGIBILITY_RULES } from '../eligibility-rules';
import { MANIFEST } from '../manifest';
import { DEPARTMENT_NAMES, MATTERS } from '../matters';
import { NOTICE, formatYuan, noticeFingerprint, type Notice } from '../notice';
import { CURRENT_POLICY } from '../policy';

/**
 * The fingerprint of each published version. When this test fails, the
 * notice changed: give it a new `version` (text, manifest and fees are all
 * part of it) and add the new fingerprint here — never edit an old one.
 */
const PUBLISHED: Record<string, string> = {
  '2026.1': '1875b445',
  '2026.2': '7aa871c1',
  '2026.3': '41034e8f',
  '2026.4': '3cc1e173',
};

describe('the one notice (一次告知)', () => {
  it('is a published version: any change to its text, manifest or fees needs a new version', () => {
    expect(NOTICE.version).toMatch(/^\d{4}\.\d+$/);
    expect(noticeFingerprint(NOTICE)).toBe(PUBLISHED[NOTICE.version]);
  });

  it('has a fingerprint that notices a change anywhere inside, and ignores key order', () => {
    const changed = (edit: (n: Notice) => void) => {
      const copy = structuredClone(NOTICE);
      edit(copy);
      return noticeFingerprint(copy);
    };
    const original = noticeFingerprint(NOTICE);
    expect(changed((n) => (n.matters[3]!.fee.amountFen = 600))).not.toBe(original);
    expect(changed((n) => (n.dataSharing.medical.fields[0]!.purpose += '。'))).not.toBe(original);
    expect(changed((n) => (n.consentText = n.consentText.replace('税务部门', '')))).not.toBe(original);
    const reordered = Object.fromEntries(Object.entries(structuredClone(NOTICE)).reverse()) as unknown as Notice;
    expect(noticeFingerprint(reordered)).toBe(original);
  });

  it('is the version the form’s consent is checked against', () => {
    expect(NOTICE.version).toMatch(
      new RegExp(APPLICATION_FORM_SCHEMA.properties.consent.properties.noticeVersion.pattern),
    );
    expect(NOTICE.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('tells each of the six matters: department, what it does, limits, conditions and fee', () => {
    expect(NOTICE.matters.map((m) => m.id)).toEqual(MATTERS.map((m) => m.id));
    for (const [i, m] of NOTICE.matters.entries()) {
      const matter = MATTERS[i]!;
      expect(m.name).toBe(matter.name);
      expect(m.department).toBe(DEPARTMENT_NAMES[matter.department]);
      expect(m.statutoryLimitDays).toBe(matter.statutoryLimitDays);
      expect(m.oneThingLimit).toBe('即办件');
      expect(m.whatItDoes).toMatch(/。$/);
    }
    const byId = Object.fromEntries(NOTICE.matters.map((m) => [m.id, m]));
    expect(byId.socialSecurityCard?.fee).toEqual({ amountFen: 580, text: '邮寄费 5.80 元' });
    // The premium is not free: declaring is, and the notice says what is paid after it.
    expect(byId.premiumDeclaration?.fee.text).toMatch(/^申报不收费；申报后按您选的缴费档次和月数缴纳社会保险费/);
    for (const m of NOTICE.matters.filter((x) => !['socialSecurityCard', 'premiumDeclaration'].includes(x.id)))
      expect(m.fee).toEqual({ amountFen: 0, text: '不收费' });
    expect(byId.employmentRegistration?.conditions.join('')).toContain('企业职工或机关事业单位');
    expect(byId.premiumDeclaration?.conditions.join('')).toContain('历史补缴');
    expect(byId.socialSecurityCard?.conditions.join('')).toContain('只能邮寄');
  });

  it('lists every eligibility condition, once, in the words the rules use', () => {
    const shown = [...NOTICE.generalConditions, ...NOTICE.matters.flatMap((m) => m.conditions)];
    for (const rule of ELIGIBILITY_RULES) expect(shown).toContain(rule.condition);
    expect(new Set(NOTICE.generalConditions).size).toBe(NOTICE.generalConditions.length);
  });

  it('takes the postage from the policy configuration', () => {
    expect(formatYuan(CURRENT_POLICY.cardPostageFen.value)).toBe('5.80');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(12_000)).toBe('120.00');
  });

  it('says no materials are needed, and what is prefilled from where', () => {
    expect(NOTICE.materials.summary).toBe('无需提交材料');
    expect(NOTICE.materials.explanation).toMatch(/身份.*户籍.*照片/);
    expect(NOTICE.prefill.length).toBeGreaterThanOrEqual(5);
    expect(NOTICE.prefill[0]).toEqual({
      field: expect.stringContaining('姓名'),
      source: '统一身份认证平台（公安人口库）',
    });
    expect(NOTICE.prefill.some((p) => p.field.includes('照片'))).toBe(true);
  });

  it('shows the manifest itself, so consent covers exactly what is shared', () => {
    expect(NOTICE.dataSharing).toBe(MANIFEST);
  });

  it('says every system it asks about the applicant, market regulation too (rule 5)', () => {
    expect(Object.keys(NOTICE.dataSharing).sort()).toEqual([
      'hrss',
      'identity',
      'market',
      'medical',
      'payment',
      'sms',
      'tax',
    ]);
    expect(NOTICE.materials.explanation).toContain('市场监管部门');
    expect(NOTICE.prefill).toContainEqual({
      field: expect.stringContaining('雇工人数'),
      source: expect.stringContaining('市场监管'),
    });
    expect(NOTICE.consentText).toContain('市场监管部门登记的个体工商户、企业及雇工人数');
    expect(NOTICE.generalConditions.join('')).toContain('以市场监管部门登记的雇工人数为准');
  });

  it('sends special and back payments to a window, and says the card is posted only', () => {
    expect(NOTICE.offline[0]).toMatchObject({ what: '特殊缴费和历史补缴', where: '户籍或居住地所在县（区）人社窗口' });
    expect(NOTICE.offline[0]?.note).toContain('12333');
    expect(NOTICE.offline[1]?.note).toMatch(/只邮寄.*不能到网点自己领取/);
  });

  it('gives 12345 and 12333, and the window as another way', () => {
    expect(NOTICE.help.hotlines.map((h) => h.number)).toEqual(['12345', '12333']);
    expect(NOTICE.help.windows).toContain('“一件事”窗口');
  });

  it('asks consent naming the three departments and the purpose', () => {
    for (const department of Object.values(DEPARTMENT_NAMES)) expect(NOTICE.consentText).toContain(department);
    expect(NOTICE.consentText).toContain('只用于办理本次申请');
    expect(NOTICE.consentText).toContain('数据共享清单');
  });
});
