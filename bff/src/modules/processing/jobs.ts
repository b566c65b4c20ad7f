// The durable work queue (outbox) of the linked processing: one job per case
// with work to do, keyed by the case number, leased with one atomic
// findOneAndUpdate and a lease token (the classic mongodb-queue shape). A
// worker holding a case's lease is the only one moving that case, so the
// case's matters never race each other. A job whose lease ran out (its
// worker crashed or hung) is simply leased again: every step is safe to
// repeat. Waking a job while it is leased (a clerk's retry, a settlement)
// bumps its version, so the lease holder cannot drop it as done.
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { QueueFigures } from '../../platform/metrics';

export interface Job {
  /** The case number: a case has at most one job. */
  _id: string;
  runAt: Date;
  leaseToken?: string;
  leaseUntil: Date;
  /** How many times it was leased. */
  leases: number;
  /** Raised by every wake-up; a lease taken before it cannot complete the job. */
  version: number;
  createdAt: Date;
}

const jobSchema = new Schema<Job>(
  {
    _id: { type: String, required: true },
    runAt: { type: Date, required: true },
    leaseToken: String,
    leaseUntil: { type: Date, required: true },
    leases: { type: Number, required: true, default: 0 },
    version: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false },
);
jobSchema.index({ runAt: 1 });

export interface Lease {
  job: Job;
  token: string;
  leasedAt: number;
}

const DUPLICATE_KEY = 11000;

export class JobQueue {
  readonly model: Model<Job>;

  constructor(db: Connection) {
    this.model = (db.models.Job as Model<Job> | undefined) ?? db.model<Job>('Job', jobSchema);
  }

  /**
   * Makes sure the case is worked on no later than `runAt`: creates its job,
   * or brings an existing one forward and wakes it. Safe to call again.
   */
  async enqueue(caseNo: string, runAt: Date = new Date()): Promise<void> {
    const update = {
      $min: { runAt },
      $inc: { version: 1 },
      $setOnInsert: { leaseUntil: new Date(0), leases: 0, createdAt: new Date() },
    };
    try {
      await this.model.updateOne({ _id: caseNo }, update, { upsert: true });
    } catch (err) {
      // Two upserts of a new job at once (MongoDB): the loser updates the winner's.
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      await this.model.updateOne({ _id: caseNo }, update);
    }
  }

  /**
   * A new case's job, made already leased to the caller (the process that
   * stored the case runs it at once, without leasing it back): one write
   * instead of two. Nothing when the case has a job already (a repeated
   * submission): that one stands.
   */
  async enqueueLeased(caseNo: string, leaseMs: number, now: Date = new Date()): Promise<Lease | undefined> {
    const token = randomUUID();
    const job: Job = {
      _id: caseNo,
      runAt: now,
      leaseToken: token,
      leaseUntil: new Date(now.getTime() + leaseMs),
      leases: 1,
      version: 0,
      createdAt: now,
    };
    const { _id, ...fields } = job;
    const made = await this.model.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true }).catch((err) => {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      return { upsertedCount: 0 };
    });
    return made.upsertedCount === 1 ? { job, token, leasedAt: now.getTime() } : undefined;
  }

  /**
   * How the queue stands, for the metrics: counted by the database (on
   * MongoDB, with the runAt index), plus the creation time of the oldest job.
   */
  async figures(now: Date = new Date()): Promise<QueueFigures> {
    const [due, leased, scheduled, oldest] = await Promise.all([
      this.model.countDocuments({ runAt: { $lte: now }, leaseUntil: { $lte: now } }),
      this.model.countDocuments({ leaseUntil: { $gt: now } }),
      this.model.countDocuments({ runAt: { $gt: now }, leaseUntil: { $lte: now } }),
      this.model.findOne({}, { createdAt: 1 }).sort({ createdAt: 1 }).lean<Pick<Job, 'createdAt'>>(),
    ]);
    const oldestAgeSeconds = oldest ? Math.max(0, (now.getTime() - new Date(oldest.createdAt).getTime()) / 1000) : 0;
    return { due, leased, scheduled, oldestAgeSeconds };
  }

  async exists(caseNo: string): Promise<boolean> {
    return (await this.model.exists({ _id: caseNo })) !== null;
  }

  /** Takes the next due job for `leaseMs`, or nothing. */
  async lease(leaseMs: number, now: Date = new Date()): Promise<Lease | undefined> {
    const token = randomUUID();
    const job = await this.model
      .findOneAndUpdate(
        { runAt: { $lte: now }, leaseUntil: { $lte: now } },
        { $set: { leaseToken: token, leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { leases: 1 } },
        { sort: { runAt: 1 }, new: true },
      )
      .lean<Job>();
    return job ? { job, token, leasedAt: now.getTime() } : undefined;
  }

  /**
   * Nothing left to do: removes the job, unless it was woken meanwhile (then
   * it is let go to run again at once). Returns whether it was removed.
   */
  async complete(lease: Lease): Promise<boolean> {
    const result = await this.model.deleteOne({
      _id: lease.job._id,
      leaseToken: lease.token,
      version: lease.job.version,
    });
    if (result.deletedCount === 1) return true;
    await this.release(lease);
    return false;
  }

  /** Work again at `runAt` (a retry's back-off), or sooner if woken meanwhile. */
  async retryAt(lease: Lease, runAt: Date): Promise<void> {
    const moved = await this.model.updateOne(
      { _id: lease.job._id, leaseToken: lease.token, version: lease.job.version },
      { $set: { runAt, leaseUntil: new Date(0) }, $unset: { leaseToken: 1 } },
    );
    if (moved.modifiedCount !== 1) await this.release(lease);
  }

  /** Gives the lease up, keeping the job's time (a wake-up set it to now). */
  private async release(lease: Lease): Promise<void> {
    await this.model.updateOne(
      { _id: lease.job._id, leaseToken: lease.token },
      { $set: { leaseUntil: new Date(0) }, $unset: { leaseToken: 1 } },
    );
  }
}
