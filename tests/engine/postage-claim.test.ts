// The postage order is checked and tied to the case number in one write
// before the case is stored (PostageService.claim): what a submission that
// stopped between the two leaves behind, and how the next one deals with it.
import { NOTICE } from '@flexins/shared';
import type { Service } from '../../scripts/lib/services';
import { Citizen } from '../support/citizen';
import { enroll, makePeople } from '../support/people';
import { startBffProcess, startStack, type Stack } from '../support/stack';

let stack: Stack;
let bff: Service;

beforeAll(async () => {
  stack = await startStack({ label: 'postage-claim' });
  bff = await startBffProcess(stack);
});

afterAll(async () => {
  await bff?.stop();
  await stack?.stop();
});

/** Ties the order to a case number as a submission would have, and stops there (no case stored). */
function leaveClaim(orderId: string, caseNo: string, claimedBy: string, minutesAgo: number) {
  return stack.withBffDb((db) =>
    db
      .collection('postage_orders')
      .updateOne(
        { _id: orderId as never },
        { $set: { caseNo, claimedBy, claimedAt: new Date(Date.now() - minutesAgo * 60_000) } },
      ),
  );
}

const orderOf = (orderId: string) =>
  stack.withBffDb((db) => db.collection('postage_orders').findOne({ _id: orderId as never }));

describe('a postage order tied to a case number whose case was never stored', () => {
  const [retried, other, abandoned, stranger] = makePeople(4, 1);
  const citizens = new Map<string, Citizen>();

  beforeAll(async () => {
    await enroll(stack, [retried!, other!, abandoned!, stranger!]);
    for (const person of [retried!, other!, abandoned!, stranger!])
      citizens.set(person.key, new Citizen(bff.url, stack.simulators.urls.identity, person));
  });

  it('the same submission again stores its case under that number, the order paying for it once', async () => {
    const citizen = citizens.get(retried!.key)!;
    const form = await citizen.prepare(NOTICE.version);
    const key = 'retry-after-crash-01';
    const caseNo = 'LJ20261205999901';
    const claimedBy = `${applicantIdOf(citizen)}:${key}`;
    await leaveClaim(form.postageOrderId!, caseNo, claimedBy, 1);
    const submitted = await citizen.submit(form, key);
    expect(submitted).toMatchObject({ status: 201, body: { caseNo, postage: { paid: true } } });
    expect(await orderOf(form.postageOrderId!)).toMatchObject({ caseNo, claimedBy });
  });

  it('another submission is refused while the tie is recent, and may use the order once it is old', async () => {
    const citizen = citizens.get(abandoned!.key)!;
    const form = await citizen.prepare(NOTICE.version);
    const applicantId = applicantIdOf(citizen);
    await leaveClaim(form.postageOrderId!, 'LJ20261205999902', `${applicantId}:stopped-attempt-01`, 1);
    const refused = await citizen.submit(form, 'a-new-attempt-0001');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'POSTAGE_NOT_PAID' } } });

    await leaveClaim(form.postageOrderId!, 'LJ20261205999902', `${applicantId}:stopped-attempt-01`, 11);
    const submitted = await citizen.submit(form, 'a-new-attempt-0002');
    expect(submitted.status).toBe(201);
    expect(submitted.body.caseNo).not.toBe('LJ20261205999902');
    expect(await orderOf(form.postageOrderId!)).toMatchObject({
      caseNo: submitted.body.caseNo,
      claimedBy: `${applicantId}:a-new-attempt-0002`,
    });
  });

  it("someone else's paid order is refused and left as it is", async () => {
    const form = await citizens.get(other!.key)!.prepare(NOTICE.version);
    const thief = citizens.get(stranger!.key)!;
    const own = await thief.prepare(NOTICE.version);
    const refused = await thief.submit({ ...own, postageOrderId: form.postageOrderId }, 'not-my-order-0001');
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'POSTAGE_NOT_PAID' } } });
    expect((await orderOf(form.postageOrderId!))?.caseNo).toBeUndefined();
  });
});

/** The applicant id the BFF gave the citizen: the subject of its token. */
function applicantIdOf(citizen: Citizen): string {
  const payload = JSON.parse(Buffer.from(citizen.token.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
  };
  return payload.sub;
}
