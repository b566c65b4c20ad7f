// What the SMS gateway's own records say about a batch of cases: exactly one
// message per timeline entry that makes one, per channel switched on, per
// citizen — awaited, since the notifier sends after the entries are written.
import mongoose from 'mongoose';
import { NOTIFY_CHANNELS } from '@flexins/shared';
import { messageFor } from '../../bff/src/modules/notifications/messages';
import type { ApplicationCase } from '../../bff/src/modules/applications/application.model';
import type { Stack } from './stack';

interface Tally {
  /** The keys each case should have been sent under. */
  expected: Map<string, Set<string>>;
  /** How many messages the gateway holds per key. */
  sent: Map<string, number>;
  /** Cases the notifier has not finished yet. */
  due: string[];
}

async function tally(stack: Stack, caseNos: readonly string[]): Promise<Tally> {
  const cases = await stack.withBffDb((db) =>
    db
      .collection('cases')
      .find({ _id: { $in: caseNos as unknown as never[] } })
      .toArray(),
  );
  const expected = new Map<string, Set<string>>();
  const due: string[] = [];
  for (const raw of cases) {
    const caseDoc = raw as unknown as ApplicationCase & { notifyDue?: boolean };
    if (caseDoc.notifyDue) due.push(caseDoc.caseNo);
    const keys = new Set<string>();
    caseDoc.events.forEach((_event, index) => {
      if (!messageFor(caseDoc, index)) return;
      for (const channel of NOTIFY_CHANNELS) keys.add(`${caseDoc.caseNo}:${index}:${channel}`);
    });
    expected.set(caseDoc.caseNo, keys);
  }
  const uri = process.env.MONGODB_URI!.replace(/\/$/, '');
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    const records = await connection
      .useDb(stack.simulatorDbNames.sms)
      .collection('messages')
      .find({ reference: { $in: caseNos as string[] } }, { projection: { idempotencyKey: 1 } })
      .toArray();
    const sent = new Map<string, number>();
    for (const record of records) sent.set(record.idempotencyKey, (sent.get(record.idempotencyKey) ?? 0) + 1);
    return { expected, sent, due };
  } finally {
    await connection.close();
  }
}

/**
 * Waits until the notifier has finished every case and the gateway holds
 * every expected key, then checks: each expected key exactly once, and no
 * other message for these cases.
 */
export async function expectEachMessageOnce(
  stack: Stack,
  caseNos: readonly string[],
  timeoutMs = 240_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Tally;
  for (;;) {
    last = await tally(stack, caseNos);
    const complete =
      last.due.length === 0 && [...last.expected.values()].every((keys) => [...keys].every((k) => last.sent.has(k)));
    if (complete || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(last.due).toEqual([]);
  const missing: string[] = [];
  const twice: string[] = [];
  const unexpected: string[] = [];
  const allExpected = new Set<string>();
  for (const keys of last.expected.values()) {
    for (const key of keys) {
      allExpected.add(key);
      const count = last.sent.get(key) ?? 0;
      if (count === 0) missing.push(key);
      if (count > 1) twice.push(key);
    }
  }
  for (const key of last.sent.keys()) if (!allExpected.has(key)) unexpected.push(key);
  expect({ missing, twice, unexpected }).toEqual({ missing: [], twice: [], unexpected: [] });
  // Every case was told of its submission at least, on both channels.
  expect(allExpected.size).toBeGreaterThanOrEqual(caseNos.length * NOTIFY_CHANNELS.length);
}
