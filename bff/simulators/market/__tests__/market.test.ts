import { MARKET_PATHS, MARKET_REGISTRATION_QUERY_REPLY, makeIdNumber } from '@flexins/shared';
import { check } from '@flexins/shared/server';
import { ROSTER, TRAINING_ROSTER, findPerson, type RosterPerson } from '../../roster';
import { openApiOf, signedPost, useTestSimulator } from '../../test-support';
import { marketSimulator } from '../index';

const sim = useTestSimulator(marketSimulator);

const QUERY = MARKET_PATHS.registrationQueries;

function person(key: string): RosterPerson {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
}

async function query(idNumber: string) {
  return signedPost(sim, QUERY, { idNumber }, null);
}

describe('the registration query', () => {
  it('answers the businesses registered to a person, oldest first, valid against the reply schema', async () => {
    const res = await query(person('employer-says-flexible').idNumber);
    expect(res.status).toBe(200);
    expect(check(MARKET_REGISTRATION_QUERY_REPLY, res.body)).toMatchObject({ ok: true });
    expect(res.body).toEqual({
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
    });
  });

  it.each([...ROSTER, ...TRAINING_ROSTER].map((p) => [p.key, p] as const))(
    '%s: tells the same story as the roster',
    async (_key, p) => {
      const res = await query(p.idNumber);
      expect(res.status).toBe(200);
      expect(res.body.businesses).toEqual(p.businesses ?? []);
    },
  );

  it('answers an unknown person with no businesses rather than an error', async () => {
    const res = await query(makeIdNumber('640104', '1990-01-01', 998));
    expect(res).toEqual({ status: 200, body: { businesses: [] } });
  });

  it('keeps a record of who asked about whom, and how many businesses it found', async () => {
    const p = person('employer-with-employees');
    await query(p.idNumber);
    expect(await sim.records('queries', p.idNumber)).toContainEqual(
      expect.objectContaining({ idNumber: p.idNumber, callerId: 'bff', found: 1 }),
    );
  });

  it('needs no Idempotency-Key: it only reads', async () => {
    expect((await query(person('eligible-vendor').idNumber)).status).toBe(200);
  });
});

describe('bad input and faults', () => {
  it('answers a malformed ID number with 400 naming the field', async () => {
    const wrongDigit = await query('640104198803150318');
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body.error.fields).toEqual({ idNumber: '身份证号码最后一位校验码不正确，请逐位核对' });

    const res = await signedPost(sim, QUERY, { idNumber: '6401', extra: 1 }, null);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toMatchObject({
      idNumber: expect.stringContaining('身份证号格式不正确'),
      extra: '不认识的字段“extra”，请删除',
    });
  });

  it('refuses an unsigned call', async () => {
    const response = await fetch(`${sim.url}${QUERY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber: person('eligible-vendor').idNumber }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SIGNATURE_MISSING');
  });

  it('answers a scripted outage for one person with 503, and the next call normally', async () => {
    const p = person('self-employed-no-employees');
    const scripted = await sim.admin('POST', '/admin/scripts', {
      idNumber: p.idNumber,
      outcome: 'unavailable',
      times: 1,
    });
    expect(scripted.status).toBe(201);
    const down = await query(p.idNumber);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('INJECTED_UNAVAILABLE');
    expect((await query(p.idNumber)).body.businesses).toEqual(p.businesses);
  });
});

describe('admin', () => {
  it('adds a person with businesses at run time, and adding them again replaces them', async () => {
    const idNumber = makeIdNumber('640106', '1990-07-07', 321);
    const shop = {
      name: '银川市金凤区演示便利店',
      creditCode: '92640106MA7D8M5K21',
      kind: 'individualBusiness',
      role: 'operator',
      status: 'active',
      registeredOn: '2022-01-10',
      regionCode: '640106',
      employees: { count: 2, source: 'registration', year: 2022 },
    };
    const newPerson = {
      key: 'demo-shop-owner',
      label: '演示：雇了两人的便利店店主',
      name: '演示店主',
      idNumber,
      sex: 'male',
      birthDate: '1990-07-07',
      ethnicity: '汉族',
      phone: '19900000998',
      household: { regionCode: '640106', address: '宁夏银川市金凤区某街道2号' },
      faceCheck: 'pass',
      employmentType: 'flexible',
      archiveLocation: '金凤区人力资源和社会保障局',
      enrollments: [],
      businesses: [shop],
    };
    expect((await sim.admin('POST', '/admin/people', newPerson)).status).toBe(201);
    expect((await query(idNumber)).body.businesses).toEqual([shop]);

    const closed = { ...shop, status: 'cancelled', cancelledOn: '2026-06-30' };
    expect((await sim.admin('POST', '/admin/people', { ...newPerson, businesses: [closed] })).status).toBe(201);
    expect((await query(idNumber)).body.businesses).toEqual([closed]);

    expect((await sim.admin('POST', '/admin/people', { ...newPerson, businesses: [] })).status).toBe(201);
    expect((await query(idNumber)).body.businesses).toEqual([]);
  });

  it('refuses a business with a malformed credit code, naming the field', async () => {
    const p = person('eligible-vendor');
    const { expected: _expected, ...asNew } = p;
    const res = await sim.admin('POST', '/admin/people', {
      ...asNew,
      businesses: [{ ...person('employer-with-employees').businesses![0]!, creditCode: 'not-a-code' }],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toEqual([expect.stringContaining('creditCode')]);
  });
});

describe('the OpenAPI document', () => {
  it('names the system and lists the query, with no Idempotency-Key', async () => {
    const doc = await openApiOf(sim);
    expect(doc.info.title).toContain('市场监管');
    expect(doc.paths[QUERY]!.post!.operationId).toBe('queryBusinessRegistrations');
    expect(doc.paths[QUERY]!.post!.parameters).toEqual([]);
  });
});
