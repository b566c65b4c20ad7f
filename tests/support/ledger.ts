// What the departments' own records say about a batch of cases: each piece
// of work at most once per person, and present whenever the case says it is
// done; postage charged once per person and refunded at most once.
import type { RosterPerson } from '../../bff/simulators/roster';
import type { Stack } from './stack';

type RecordKeeper = 'hrss' | 'medical' | 'tax';

/** Matter → where its record is kept, and the state in which the case says it is done. */
const LEDGER: [matter: string, department: RecordKeeper, collection: string, doneState: string][] = [
  ['employmentRegistration', 'hrss', 'employment_registrations', 'delivered'],
  ['archiveTransfer', 'hrss', 'archive_transfers', 'delivered'],
  ['pensionRegistration', 'hrss', 'pension_registrations', 'delivered'],
  ['socialSecurityCard', 'hrss', 'card_applications', 'delivered'],
  ['medicalRegistration', 'medical', 'registrations', 'delivered'],
  ['premiumDeclaration', 'tax', 'declarations', 'decided'],
];

async function perPerson(stack: Stack, department: RecordKeeper, collection: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await stack.records(department, collection)) {
    counts.set(record.idNumber, (counts.get(record.idNumber) ?? 0) + 1);
  }
  return counts;
}

/** `views[i]` is the case of `people[i]`, as the citizen sees it. */
export async function expectNothingTwice(stack: Stack, people: readonly RosterPerson[], views: any[]): Promise<void> {
  for (const [matter, department, collection, doneState] of LEDGER) {
    const counts = await perPerson(stack, department, collection);
    for (const [i, view] of views.entries()) {
      const count = counts.get(people[i]!.idNumber) ?? 0;
      const state = view.matters.find((m: any) => m.id === matter).state;
      expect({ caseNo: view.caseNo, matter, atMostOnce: count <= 1 }).toEqual({
        caseNo: view.caseNo,
        matter,
        atMostOnce: true,
      });
      if (state === doneState)
        expect({ caseNo: view.caseNo, matter, count }).toEqual({ caseNo: view.caseNo, matter, count: 1 });
    }
  }
  // The tax system hears of both registrations (pension and medical), once each.
  for (const count of (await perPerson(stack, 'tax', 'insurance_registrations')).values()) {
    expect(count).toBeLessThanOrEqual(2);
  }
  const orders = await stack.records('payment', 'orders');
  const charged = orders.filter((o: any) => o.status === 'paid' || o.status === 'refunded');
  expect(charged).toHaveLength(people.length);
  const refunds = await stack.records('payment', 'refunds');
  expect(new Set(refunds.map((r: any) => r.orderId)).size).toBe(refunds.length);
}
