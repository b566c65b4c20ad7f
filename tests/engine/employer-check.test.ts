// Rule 5 against the business registration (issue 13): an employer with
// employees who answers 灵活就业人员 is refused, because the market regulation
// system's record shows the business and its employees — through real HTTP
// to the simulator processes and the BFF as a process of its own.
import { NOTICE } from '@flexins/shared';
import { findPerson, type RosterPerson } from '../../bff/simulators/roster';
import type { Service } from '../../scripts/lib/services';
import { Citizen } from '../support/citizen';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;

beforeAll(async () => {
  stack = await startStack({ label: 'employer' });
  bff = await startBffProcess(stack);
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

function person(key: string): RosterPerson {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
}

async function signedIn(key: string): Promise<Citizen> {
  const citizen = new Citizen(bff.url, stack.simulators.urls.identity, person(key));
  await citizen.signIn();
  return citizen;
}

const rule5 = (verdict: any) => verdict.rules.find((r: any) => r.id === 'flexibleWorkerType');

describe('an employer with employees who answers 灵活就业人员', () => {
  const employer = person('employer-says-flexible');
  let citizen: Citizen;

  beforeAll(async () => {
    citizen = await signedIn(employer.key);
  });

  it('is refused by rule 5, told what the registration shows, why, and where to go instead', async () => {
    const verdict = await citizen.eligibility({ employmentType: 'flexible' });
    expect(verdict.status).toBe(200);
    expect(verdict.body.eligible).toBe(false);
    expect(Object.values(verdict.body.matters)).toEqual(Array(6).fill('blocked'));
    expect(verdict.body.rules.filter((r: any) => !r.passed).map((r: any) => r.id)).toEqual(['flexibleWorkerType']);
    const rule = rule5(verdict.body);
    expect(rule).toMatchObject({ status: 'failed', effect: 'blocksAll' });
    expect(rule.reason).toContain('市场监管部门的登记信息显示');
    expect(rule.reason).toContain('个体工商户“青铜峡市建华农家乐”');
    expect(rule.reason).toContain('雇工人数为 6 人');
    expect(rule.reason).toContain('用人单位');
    expect(rule.reason).not.toContain('华兴建材'); // the cancelled company is not held against them
    expect(rule.whatToDo).toContain('人社窗口');
    expect(rule.whatToDo).toContain('12333');
    expect(rule.policy.document).toBe('宁人社发〔2026〕54号 附件2 三、5');
  });

  it('is refused the same way whichever eligible answer is given', async () => {
    for (const employmentType of ['partTime', 'selfEmployedNoEmployees']) {
      const verdict = await citizen.eligibility({ employmentType });
      expect([employmentType, verdict.body.eligible]).toEqual([employmentType, false]);
      expect(rule5(verdict.body).reason).toContain('青铜峡市建华农家乐');
    }
  });

  it('cannot submit: the standing verdict says not eligible', async () => {
    const face = await citizen.faceCheck();
    expect(face.status).toBe(201);
    const verdict = await citizen.eligibility({ employmentType: 'flexible' });
    expect(verdict.body.eligible).toBe(false);
    const submitted = await citizen.submit(
      citizen.form({ faceCheckId: face.body.checkId, noticeVersion: NOTICE.version, withCard: false }),
    );
    expect(submitted.status).toBe(422);
    expect(submitted.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('was asked of the market system with the ID number only, once per check', async () => {
    const queries = await stack.records('market', 'queries', employer.idNumber);
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const q of queries) expect(q).toMatchObject({ idNumber: employer.idNumber, callerId: 'bff', found: 2 });
  });
});

describe('the other people of rule 5', () => {
  it('lets a self-employed person whose registered shop has no employees through', async () => {
    const citizen = await signedIn('self-employed-no-employees');
    const verdict = await citizen.eligibility();
    expect(verdict.body.eligible).toBe(true);
    expect(rule5(verdict.body)).toMatchObject({ status: 'passed', reason: '您的就业形式可以按灵活就业人员办理。' });
  });

  it('names the employer’s own noodle shop when they answer 有雇工的个体工商户', async () => {
    const citizen = await signedIn('employer-with-employees');
    const verdict = await citizen.eligibility();
    expect(verdict.body.eligible).toBe(false);
    expect(rule5(verdict.body).reason).toContain('“固原市原州区杨记清真牛肉面馆”');
    expect(rule5(verdict.body).reason).toContain('雇工人数为 4 人');
  });
});

describe('a market system that does not answer', () => {
  it('makes the check 503 DEPARTMENT_UNAVAILABLE naming 市场监管, and the next check works again', async () => {
    const vendor = person('eligible-vendor');
    const citizen = await signedIn(vendor.key);
    const scripted = await stack.admin('market', 'POST', '/admin/scripts', {
      idNumber: vendor.idNumber,
      outcome: 'unavailable',
    });
    expect(scripted.status).toBe(201);
    try {
      const refused = await citizen.eligibility();
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('DEPARTMENT_UNAVAILABLE');
      expect(refused.body.error.message).toBe(
        '暂时无法向市场监管部门核对您的经营登记情况，请稍后再试；如多次失败请拨打 12333',
      );
      expect(await citizen.call('GET', '/api/eligibility')).toMatchObject({ status: 200, body: { eligibility: null } });
    } finally {
      await stack.admin('market', 'DELETE', '/admin/scripts');
    }
    const verdict = await citizen.eligibility();
    expect(verdict.status).toBe(200);
    expect(verdict.body.eligible).toBe(true);
  });
});
