import { taroDouble } from '../../../test/taro';
import { draftNow, forgetDraft, updateDraft } from '../draft';
import { keepToken, subjectOf } from '../session';

/** A token shaped like the BFF's (header.payload.signature, base64url JSON). */
function tokenFor(sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub, aud: 'citizen', exp: 2_000_000_000 })}.signature`;
}

describe('the session on this phone', () => {
  beforeEach(() => forgetDraft());
  afterEach(() => forgetDraft());

  it("reads the token's subject without atob (mini-programs have none)", () => {
    expect(subjectOf(tokenFor('AP-0001_x'))).toBe('AP-0001_x');
    expect(subjectOf('not-a-token')).toBeUndefined();
  });

  it("keeps a person's draft across their own sign-ins, and never shows it to the next person", () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    keepToken(tokenFor('first'), later);
    updateDraft(() => ({ card: { mailingAddress: { phone: '13800138000' } } }));
    taroDouble.store('flexins.verdict', { eligible: true });

    keepToken(tokenFor('first'), later);
    expect(draftNow()).toEqual({ card: { mailingAddress: { phone: '13800138000' } } });

    keepToken(tokenFor('second'), later);
    expect(draftNow()).toEqual({});
    expect(taroDouble.stored('flexins.draft')).toBeUndefined();
    expect(taroDouble.stored('flexins.verdict')).toBeUndefined();
  });
});
