import { randomUUID } from 'node:crypto';
import { makeIdNumber, maskName } from '@flexins/shared';
import { IDENTITY_PERSON_REPLY } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { ROSTER, TRAINING_ROSTER, findPerson } from '../../roster';
import type { NewPerson } from '../../roster-schema';
import { useTestSimulator } from '../../test-support';
import { escapeHtml } from '../../common/html';
import { identitySimulator } from '../index';

const sim = useTestSimulator(identitySimulator);
const H5_CALLBACK = 'http://127.0.0.1:5173/auth/callback?from=h5';

function signInUrl(redirect: string, state?: string): string {
  const query = new URLSearchParams({ redirect_uri: redirect });
  if (state !== undefined) query.set('state', state);
  return `${sim.url}/sign-in?${query.toString()}`;
}

async function getPage(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The choose links on the page, unescaped, as absolute URLs. */
function chooseLinks(html: string): URL[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map(
    (m) =>
      new URL(
        m[1]!
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'"),
        sim.url,
      ),
  );
}

function unrosteredPerson(overrides: Partial<NewPerson>): NewPerson {
  const eligible = findPerson('eligible-vendor')!;
  const { expected: _expected, ...rest } = eligible;
  return { ...rest, ...overrides };
}

describe('the sign-in page', () => {
  it('lists every roster person by label and masked name, in Chinese, and no training person', async () => {
    const page = await getPage(signInUrl(H5_CALLBACK, 's1'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<html lang="zh-CN">');
    expect(page.html).toContain('<title>我的宁夏 · 统一身份认证（模拟）</title>');
    expect(page.html).toContain('name="viewport" content="width=device-width,initial-scale=1"');
    for (const person of ROSTER) {
      expect(page.html).toContain(escapeHtml(person.label));
      expect(page.html).toContain(`aria-label="以${maskName(person.name)}（${escapeHtml(person.label)}）的身份登录"`);
      expect(page.html).not.toContain(person.name);
    }
    for (const person of TRAINING_ROSTER) {
      expect(page.html).not.toContain(person.label);
      expect(page.html).not.toContain(`person=${person.key}`);
    }
    const people = chooseLinks(page.html).map((link) => link.searchParams.get('person'));
    expect(people.slice(0, ROSTER.length)).toEqual(ROSTER.map((p) => p.key));
  });

  it('loads no external assets and forbids framing', async () => {
    const page = await getPage(signInUrl(H5_CALLBACK));
    expect(page.html).not.toMatch(/<script|<link|src="http/);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('lists a person added at run time, but not an added training person', async () => {
    const added = unrosteredPerson({
      key: 'demo-added-courier',
      label: '演示：新增的快递员',
      name: '冯晓军',
      idNumber: makeIdNumber('640104', '1994-06-06', 371),
      phone: '19900000301',
    });
    const trainee = unrosteredPerson({
      key: 'demo-added-trainee',
      label: '培训：新增的培训人员',
      name: '欧阳晓雨',
      idNumber: makeIdNumber('640104', '1995-07-07', 382),
      phone: '19900000302',
    });
    expect((await sim.admin('POST', '/admin/people', added)).status).toBe(201);
    expect((await sim.admin('POST', '/admin/people', trainee)).status).toBe(201);

    const page = await getPage(signInUrl(H5_CALLBACK));
    expect(page.html).toContain('演示：新增的快递员');
    expect(page.html).toContain('冯**');
    expect(page.html).not.toContain('培训：新增的培训人员');
  });

  it('refuses to let a run-time person overwrite a roster person or take their ID number', async () => {
    const overwrite = await sim.admin('POST', '/admin/people', unrosteredPerson({ label: '冒名' }));
    expect(overwrite.status).toBe(400);
    expect(overwrite.body.error.fields.key).toContain('名册中已有标识为 eligible-vendor 的人');
    const stolenId = await sim.admin(
      'POST',
      '/admin/people',
      unrosteredPerson({ key: 'demo-stolen-id', phone: '19900000303' }),
    );
    expect(stolenId.status).toBe(400);
    expect(stolenId.body.error.fields.idNumber).toContain('eligible-vendor');
  });

  it('escapes HTML in people and in the state it carries', async () => {
    const nasty = unrosteredPerson({
      key: 'demo-nasty-label',
      label: '<script>alert("x")</script>',
      name: '<b>名</b>',
      idNumber: makeIdNumber('640104', '1990-01-02', 393),
      phone: '19900000304',
    });
    expect((await sim.admin('POST', '/admin/people', nasty)).status).toBe(201);
    const state = '"><img src=x onerror=alert(1)>';
    const page = await getPage(signInUrl(H5_CALLBACK, state));
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('<img');
    expect(page.html).not.toContain('<b>');
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The state survives the round trip intact.
    const link = chooseLinks(page.html).find((l) => l.searchParams.get('person') === 'demo-nasty-label')!;
    expect(link.searchParams.get('state')).toBe(state);
  });

  it('refuses a redirect_uri whose origin is not registered, with a Chinese 400 page', async () => {
    const page = await getPage(signInUrl('https://evil.example/cb', 's'));
    expect(page.status).toBe(400);
    expect(page.html).toContain('https://evil.example 未在统一身份认证平台登记');
    expect(page.html).not.toContain('/sign-in/choose');
  });

  it.each([
    ['is missing', undefined, '缺少登录后的返回地址'],
    ['is relative', '/auth/callback', '不是完整的网址'],
    ['is not http(s)', 'javascript:alert(1)', '必须以 http:// 或 https:// 开头'],
    ['carries a fragment', 'http://127.0.0.1:5173/cb#x', '不能带 # 片段'],
  ])('refuses a redirect_uri that %s', async (_case, redirect, message) => {
    const url = redirect === undefined ? `${sim.url}/sign-in` : signInUrl(redirect);
    const page = await getPage(url);
    expect(page.status).toBe(400);
    expect(page.html).toContain(message);
  });
});

describe('choosing a person', () => {
  it('redirects to redirect_uri with a one-time code and the state, keeping its query', async () => {
    const page = await getPage(signInUrl(H5_CALLBACK, 'state-123'));
    const link = chooseLinks(page.html).find((l) => l.searchParams.get('person') === 'eligible-vendor')!;
    const response = await fetch(link, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const target = new URL(response.headers.get('location')!);
    expect(target.origin + target.pathname).toBe('http://127.0.0.1:5173/auth/callback');
    expect(target.searchParams.get('from')).toBe('h5');
    expect(target.searchParams.get('state')).toBe('state-123');
    const code = target.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits

    const exchanged = await sim.client.post('/identity/v1/code-exchanges', { code }, { idempotencyKey: randomUUID() });
    if (exchanged.kind !== 'ok') throw new Error(JSON.stringify(exchanged));
    expect(check(IDENTITY_PERSON_REPLY, exchanged.body)).toMatchObject({ ok: true });
    expect((exchanged.body as { person: { idNumber: string } }).person.idNumber).toBe(
      findPerson('eligible-vendor')!.idNumber,
    );
  });

  it('stores only a digest of the code, with the person and a 5-minute expiry', async () => {
    const idNumber = findPerson('part-time-worker')!.idNumber;
    const choose = `${sim.url}/sign-in/choose?${new URLSearchParams({ person: 'part-time-worker', redirect_uri: H5_CALLBACK })}`;
    const response = await fetch(choose, { redirect: 'manual' });
    const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
    expect(new URL(response.headers.get('location')!).searchParams.has('state')).toBe(false);
    const [record] = await sim.records('login_codes', idNumber);
    expect(record).toMatchObject({ personKey: 'part-time-worker', via: 'page', used: false });
    expect(JSON.stringify(record)).not.toContain(code);
    expect(new Date(record.expiresAt).getTime() - new Date(record.issuedAt).getTime()).toBe(5 * 60 * 1000);
  });

  it('refuses a foreign redirect origin and issues no code', async () => {
    const before = (await sim.records('login_codes')).length;
    const choose = `${sim.url}/sign-in/choose?${new URLSearchParams({ person: 'eligible-vendor', redirect_uri: 'https://evil.example/cb', state: 's' })}`;
    const response = await fetch(choose, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('未在统一身份认证平台登记');
    expect(await sim.records('login_codes')).toHaveLength(before);
  });

  it.each([['nobody-by-this-key'], ['training-delivery-rider']])(
    'refuses a person who is not on the page (%s)',
    async (key) => {
      const choose = `${sim.url}/sign-in/choose?${new URLSearchParams({ person: key, redirect_uri: H5_CALLBACK })}`;
      const response = await fetch(choose, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('登录页上没有这位人员');
    },
  );
});

describe('with REDIRECT_ORIGINS set', () => {
  const restricted = useTestSimulator(identitySimulator, {
    options: { REDIRECT_ORIGINS: 'https://h5.flexins.example.gov.cn, http://10.0.0.8:8080' },
  });

  it('allows only the listed origins, and no longer loopback', async () => {
    const attempt = async (redirect: string) =>
      (
        await fetch(
          `${restricted.url}/sign-in/choose?${new URLSearchParams({ person: 'eligible-vendor', redirect_uri: redirect })}`,
          { redirect: 'manual' },
        )
      ).status;
    expect(await attempt('https://h5.flexins.example.gov.cn/auth/callback')).toBe(302);
    expect(await attempt('http://10.0.0.8:8080/cb')).toBe(302);
    expect(await attempt('http://127.0.0.1:5173/cb')).toBe(400);
    expect(await attempt('https://h5.flexins.example.gov.cn.evil.example/cb')).toBe(400);
  });
});
