// The mini-app's precompiled validators and the BFF's run-time ajv are the same
// schema: they must agree on every answer, word for word.
import fs from 'node:fs';
import path from 'node:path';
import { APPLICATION_FORM_SCHEMA, DRAFT_SCHEMA, describeSchemaErrors } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { validateApplicationForm } from '../../generated/validate-application-form';
import { validateDraft } from '../../generated/validate-draft';

const good = {
  employment: { type: 'flexible', startDate: '2026-11-01' },
  residenceRegionCode: '640104',
  archive: { location: 'previousEmployer', detail: '银川市某商贸有限公司' },
  pension: { baseGradePercent: 100 },
  card: {
    issuingBank: 'icbc',
    mailingAddress: { regionCode: '640104', detail: '解放西街 100 号', recipient: '马建军', phone: '13800138000' },
  },
  payment: { periodStart: '2026-12', months: 3 },
  consent: { noticeVersion: '2026.1', agreed: true },
  faceCheckId: 'RL20261129000001',
  postageOrderId: 'PO1234567890',
};

const variants: [string, unknown][] = [
  ['a complete form', good],
  [
    'a bad phone and a short address',
    {
      ...good,
      card: { ...good.card, mailingAddress: { ...good.card.mailingAddress, phone: '1380013', detail: '12号' } },
    },
  ],
  ['a card without postage', { ...good, postageOrderId: undefined }],
  ['an archive "other" without its place', { ...good, archive: { location: 'other' } }],
  [
    'an archive at the former employer without its holding unit',
    { ...good, archive: { location: 'previousEmployer' } },
  ],
  [
    'a grade not offered and a month of 13',
    { ...good, pension: { baseGradePercent: 90 }, payment: { periodStart: '2026-13', months: 2 } },
  ],
  ['an impossible date', { ...good, employment: { type: 'flexible', startDate: '2026-02-30' } }],
  ['a county outside Ningxia', { ...good, residenceRegionCode: '610102' }],
  ['nothing at all', {}],
];

describe('the precompiled validators', () => {
  it.each(variants)('agree with the BFF about %s', (_name, form) => {
    const data = JSON.parse(JSON.stringify(form));
    const server = check(APPLICATION_FORM_SCHEMA, data);
    const here = validateApplicationForm(data)
      ? { ok: true }
      : { ok: false, fields: describeSchemaErrors(APPLICATION_FORM_SCHEMA, validateApplicationForm.errors ?? []) };
    expect(here).toEqual(server.ok ? { ok: true } : { ok: false, fields: server.fields });
  });

  it('agree with the BFF about drafts', () => {
    const draft = { card: { mailingAddress: { phone: '12' } }, payment: { months: 1 } };
    const server = check(DRAFT_SCHEMA, draft);
    expect(validateDraft(draft)).toBe(server.ok);
    expect(describeSchemaErrors(DRAFT_SCHEMA, validateDraft.errors ?? [])).toEqual(server.ok ? {} : server.fields);
  });

  it.each([
    ['validate-application-form', 'validateApplicationForm'],
    ['validate-draft', 'validateDraft'],
    ['validate-eligibility-answers', 'validateEligibilityAnswers'],
  ])('%s.js contains no eval or new Function, which mini-programs forbid', (file, name) => {
    const source = fs.readFileSync(path.join(__dirname, `../../generated/${file}.js`), 'utf8');
    expect(source).toContain(name);
    expect(source).not.toMatch(/new Function|eval\(/);
  });
});
