// The engine benchmark's database trace (BENCH_DB_TRACE=1): a wire-protocol
// tap between the BFF and the database. It times every command (OP_MSG: the
// first field of the body names the command, its value the collection) from
// request to reply, and counts the bytes each write makes the database store:
// FerretDB rewrites the whole document on every update, so a write costs
// about the size of the document as written — an insert its documents, a
// findAndModify the document it answers with, an update the document it
// changed (looked up once the phase is over, see `bytesWritten`), a delete
// nothing.
import net from 'node:net';
import mongoose from 'mongoose';

const { BSON } = mongoose.mongo;

export interface CommandStats {
  count: number;
  totalMs: number;
  /** Bytes stored by this kind of command, known so far. */
  bytes: number;
}

/** A write whose document's size is known only after the phase (an update by `_id`). */
interface PendingWrite {
  key: string;
  collection: string;
  id: unknown;
  /** The size of the update itself: the fallback when the document is gone (a finished job). */
  fallback: number;
}

export interface DbTap {
  url: string;
  stats: Map<string, CommandStats>;
  pending: PendingWrite[];
  clear(): void;
  stop(): void;
}

/** OP_MSG sections: the body (kind 0) and document sequences (kind 1, e.g. `documents`, `updates`). */
function sectionsOf(frame: Buffer): { body: Record<string, unknown>; sequences: Record<string, unknown[]> } | null {
  if (frame.readInt32LE(12) !== 2013) return null;
  const flags = frame.readUInt32LE(16);
  const end = frame.length - (flags & 1 ? 4 : 0);
  let at = 20;
  let body: Record<string, unknown> = {};
  const sequences: Record<string, unknown[]> = {};
  while (at < end) {
    const kind = frame[at]!;
    at += 1;
    const size = frame.readInt32LE(at);
    if (kind === 0) {
      body = BSON.deserialize(frame.subarray(at, at + size));
      at += size;
    } else {
      const stop = at + size;
      const nameEnd = frame.indexOf(0, at + 4);
      const name = frame.toString('utf8', at + 4, nameEnd);
      const docs: unknown[] = [];
      for (let p = nameEnd + 1; p < stop;) {
        const docSize = frame.readInt32LE(p);
        docs.push(BSON.deserialize(frame.subarray(p, p + docSize)));
        p += docSize;
      }
      sequences[name] = docs;
      at = stop;
    }
  }
  return { body, sequences };
}

const sizeOf = (doc: unknown) => BSON.calculateObjectSize(doc as Record<string, unknown>);

export function startDbTap(target: URL): Promise<DbTap> {
  const stats = new Map<string, CommandStats>();
  const pending: PendingWrite[] = [];
  const entryOf = (key: string) => {
    let entry = stats.get(key);
    if (!entry) stats.set(key, (entry = { count: 0, totalMs: 0, bytes: 0 }));
    return entry;
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 27017), target.hostname);
    const asked = new Map<number, { key: string; at: number; answerStored: boolean }>();
    const frames = (onFrame: (frame: Buffer) => void) => {
      let buffered: Buffer = Buffer.alloc(0);
      return (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
          const length = buffered.readInt32LE(0);
          onFrame(buffered.subarray(0, length));
          buffered = buffered.subarray(length);
        }
      };
    };
    client.on(
      'data',
      frames((frame) => {
        const requestId = frame.readInt32LE(4);
        const message = sectionsOf(frame);
        let key = 'legacy';
        let answerStored = false;
        if (message) {
          const [command, collection] = Object.entries(message.body)[0] ?? ['?', ''];
          key = typeof collection === 'string' ? `${command} ${collection}` : command;
          const list = (name: string) =>
            ((message.body[name] as unknown[] | undefined) ?? message.sequences[name] ?? []) as Record<
              string,
              unknown
            >[];
          if (command === 'insert') {
            entryOf(key).bytes += list('documents').reduce((sum, doc) => sum + sizeOf(doc), 0);
          } else if (command === 'update' && typeof collection === 'string') {
            for (const { q, u } of list('updates')) {
              const id = (q as { _id?: unknown } | undefined)?._id;
              pending.push({ key, collection, id, fallback: sizeOf(u) });
            }
          } else if (command === 'findAndModify') {
            answerStored = !message.body.remove;
          }
        }
        asked.set(requestId, { key, at: performance.now(), answerStored });
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        const sent = asked.get(frame.readInt32LE(8));
        if (!sent) return;
        asked.delete(frame.readInt32LE(8));
        const entry = entryOf(sent.key);
        entry.count += 1;
        entry.totalMs += performance.now() - sent.at;
        if (sent.answerStored) {
          const value = sectionsOf(frame)?.body.value;
          if (value) entry.bytes += sizeOf(value);
        }
      }),
    );
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `mongodb://127.0.0.1:${port}`,
        stats,
        pending,
        clear: () => {
          stats.clear();
          pending.length = 0;
        },
        stop: () => server.close(),
      });
    });
  });
}

/**
 * Adds the updates' bytes: each updated document's size as it is now (read
 * once per collection), or the update's own size when it is gone. Call at
 * the end of a phase, before the next `clear()`.
 */
export async function bytesWritten(tap: DbTap, db: mongoose.Connection): Promise<void> {
  const byCollection = new Map<string, PendingWrite[]>();
  for (const write of tap.pending)
    byCollection.set(write.collection, [...(byCollection.get(write.collection) ?? []), write]);
  for (const [collection, writes] of byCollection) {
    const ids = [...new Set(writes.map((w) => w.id).filter((id) => id !== undefined && typeof id !== 'object'))];
    const sizes = new Map<unknown, number>();
    for (let i = 0; i < ids.length; i += 500) {
      const docs = await db
        .collection(collection)
        .find({ _id: { $in: ids.slice(i, i + 500) } } as Record<string, unknown>)
        .toArray();
      for (const doc of docs) sizes.set(doc._id, sizeOf(doc));
    }
    for (const write of writes) {
      const entry = tap.stats.get(write.key);
      if (entry) entry.bytes += sizes.get(write.id) ?? write.fallback;
    }
  }
  tap.pending.length = 0;
}

export interface PhaseCommands {
  /** [command collection, count, per case (reads: per request), mean ms, bytes written per case] */
  rows: [string, number, number, number, number][];
  perCase: { commands: number; writes: number; bytesWritten: number };
}

const WRITES = /^(insert|update|delete|findAndModify) /;

export function phaseCommands(stats: Map<string, CommandStats>, cases: number): PhaseCommands {
  const per = (n: number) => Math.round((n / Math.max(1, cases)) * 10) / 10;
  const all = [...stats];
  return {
    rows: all
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 20)
      .map(([key, s]) => [key, s.count, per(s.count), Math.round((s.totalMs / s.count) * 10) / 10, per(s.bytes)]),
    perCase: {
      commands: per(all.reduce((sum, [, s]) => sum + s.count, 0)),
      writes: per(all.filter(([key]) => WRITES.test(key)).reduce((sum, [, s]) => sum + s.count, 0)),
      bytesWritten: Math.round(all.reduce((sum, [, s]) => sum + s.bytes, 0) / Math.max(1, cases)),
    },
  };
}

/** A document's size, and its top-level fields' sizes, biggest first: what a write of it stores. */
export function sizeBreakdown(doc: Record<string, unknown>): { bytes: number; fields: [string, number][] } {
  return {
    bytes: sizeOf(doc),
    fields: Object.entries(doc)
      .map(([key, value]): [string, number] => [key, sizeOf({ [key]: value }) - 5])
      .sort((a, b) => b[1] - a[1]),
  };
}
