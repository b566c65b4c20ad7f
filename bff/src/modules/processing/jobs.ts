// The durable work queue (outbox) of the linked processing: one job per step
// to run, leased with one atomic findOneAndUpdate and a lease token, the
// classic mongodb-queue shape. A job whose lease ran out (its worker crashed
// or hung) is simply leased again: every step is safe to repeat.
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export interface Job {
  /** `${caseNo}:${step}`: enqueuing the same step twice is a no-op. */
  _id: string;
  caseNo: string;
  step: string;
  runAt: Date;
  leaseToken?: string;
  leaseUntil: Date;
  /** How many times it was leased. */
  leases: number;
  createdAt: Date;
}

const jobSchema = new Schema<Job>(
  {
    _id: { type: String, required: true },
    caseNo: { type: String, required: true },
    step: { type: String, required: true },
    runAt: { type: Date, required: true },
    leaseToken: String,
    leaseUntil: { type: Date, required: true },
    leases: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false },
);
jobSchema.index({ runAt: 1 });

export interface Lease {
  job: Job;
  token: string;
}

export class JobQueue {
  readonly model: Model<Job>;

  constructor(db: Connection) {
    this.model = (db.models.Job as Model<Job> | undefined) ?? db.model<Job>('Job', jobSchema);
  }

  /** Adds a step unless it is already queued; returns whether it was added. */
  async enqueue(caseNo: string, step: string, runAt: Date = new Date()): Promise<boolean> {
    try {
      await this.model.create({
        _id: `${caseNo}:${step}`,
        caseNo,
        step,
        runAt,
        leaseUntil: new Date(0),
        leases: 0,
        createdAt: new Date(),
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
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
    return job ? { job, token } : undefined;
  }

  /** Done: removes the job, if this lease still holds it. */
  async complete(lease: Lease): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: lease.job._id, leaseToken: lease.token });
    return result.deletedCount === 1;
  }

  /** Try again at `runAt`: gives the lease up and reschedules. */
  async retryAt(lease: Lease, runAt: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: lease.job._id, leaseToken: lease.token },
      { $set: { runAt, leaseUntil: new Date(0) }, $unset: { leaseToken: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** The earliest time any job falls due (to sleep until then). */
  async nextDue(): Promise<Date | undefined> {
    const next = await this.model.findOne({}, { runAt: 1, leaseUntil: 1 }).sort({ runAt: 1 }).lean<Job>();
    if (!next) return undefined;
    return new Date(Math.max(next.runAt.getTime(), next.leaseUntil.getTime()));
  }
}
