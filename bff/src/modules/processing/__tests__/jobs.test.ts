import { useTestDatabase } from '../../../../test/database';
import { JobQueue } from '../jobs';

const db = useTestDatabase();

describe('the job queue (one job per case)', () => {
  it('hands a job to one worker at a time, and a finished one is gone', async () => {
    const queue = new JobQueue(db.connection);
    await queue.enqueue('LJ20261129000001');
    await queue.enqueue('LJ20261129000001');
    const first = await queue.lease(10_000);
    expect(first?.job._id).toBe('LJ20261129000001');
    expect(await queue.lease(10_000)).toBeUndefined();
    expect(await queue.complete(first!)).toBe(true);
    expect(await queue.exists('LJ20261129000001')).toBe(false);
  });

  it('does not let a worker drop a job that was woken while it held it', async () => {
    const queue = new JobQueue(db.connection);
    await queue.enqueue('LJ20261129000002');
    const held = await queue.lease(10_000);
    await queue.enqueue('LJ20261129000002'); // a clerk's retry while the worker is busy
    expect(await queue.complete(held!)).toBe(false);
    const again = await queue.lease(10_000);
    expect(again?.job._id).toBe('LJ20261129000002');
    expect(await queue.complete(again!)).toBe(true);
  });

  it('keeps a retry for its time, and a wake-up brings it forward', async () => {
    const queue = new JobQueue(db.connection);
    await queue.enqueue('LJ20261129000003');
    const held = await queue.lease(10_000);
    await queue.retryAt(held!, new Date(Date.now() + 60_000));
    expect(await queue.lease(10_000)).toBeUndefined();
    await queue.enqueue('LJ20261129000003');
    expect((await queue.lease(10_000))?.job._id).toBe('LJ20261129000003');
  });

  it('takes a job again once its lease ran out (its worker died)', async () => {
    const queue = new JobQueue(db.connection);
    await queue.enqueue('LJ20261129000004');
    const start = new Date();
    const dead = await queue.lease(1_000, start);
    expect(await queue.lease(1_000, new Date(start.getTime() + 500))).toBeUndefined();
    const taken = await queue.lease(1_000, new Date(start.getTime() + 1_500));
    expect(taken?.job._id).toBe('LJ20261129000004');
    expect(taken?.job.leases).toBe(2);
    expect(await queue.complete(dead!)).toBe(false);
    expect(await queue.complete(taken!)).toBe(true);
  });
});
