// Sending a message outside the app is part of the durable processing: every
// write that adds to a case's timeline (`$push` to `events`, in whichever
// module) also marks, in the same atomic update, that the case has messages
// to send (`notifyDue`) and counts the entries (`eventSeq`). A crash after
// the write leaves the mark; nothing that could be told is missed. The
// notifier (notifier.ts) clears the mark with a compare-and-set on the count,
// so entries added meanwhile keep it.
import type { Schema, UpdateQuery } from 'mongoose';

/** The notifier's fields on the case document. */
export interface NotifyFields {
  /** Entries not yet sent out (absent: none). Indexed: the notifier looks cases up by it. */
  notifyDue?: boolean;
  /** Timeline entries ever added: the compare-and-set of the notifier's progress. */
  eventSeq?: number;
  /** Entries before this index are sent (or held back by a channel switched off, or final refusals). */
  notifiedEvents?: number;
  /** Who holds the case for sending, until when. */
  notifyLease?: string;
  notifyLeaseUntil?: Date;
  /** Not before this: quiet hours (22:00–08:00 China time), or the gateway's back-off. A new entry clears it. */
  notifyHoldUntil?: Date;
  /** Failed sends in a row, for the back-off. */
  notifyAttempts?: number;
}

/**
 * Adds the marker to an update that pushes timeline entries (one `$push` of
 * an entry, or of `$each` entries). Other updates are left as they are.
 */
export function markPushedEvents(update: UpdateQuery<unknown> | null | undefined): void {
  if (!update || Array.isArray(update)) return;
  const pushed = (update.$push as Record<string, unknown> | undefined)?.events;
  if (pushed === undefined) return;
  const each = (pushed as { $each?: unknown } | null)?.$each;
  const count = Array.isArray(each) ? each.length : 1;
  if (count === 0) return;
  update.$set = { ...(update.$set as object), notifyDue: true };
  update.$inc = { ...(update.$inc as object), eventSeq: count };
  // A new entry may be urgent: a hold (quiet hours, back-off) is looked at again.
  update.$unset = { ...(update.$unset as object), notifyHoldUntil: 1 };
}

/** Installs the fields, their index and the hooks on the case schema (application.model.ts). */
export function notifyOnEvents(schema: Schema): void {
  schema.add({
    notifyDue: Boolean,
    eventSeq: Number,
    notifiedEvents: Number,
    notifyLease: String,
    notifyLeaseUntil: Date,
    notifyHoldUntil: Date,
    notifyAttempts: Number,
  });
  schema.index({ notifyDue: 1 });
  // A new case: its first entries (the submission) are due.
  schema.pre('save', function markNew() {
    if (!this.isNew) return;
    const events = (this.get('events') as unknown[] | undefined) ?? [];
    this.set('eventSeq', events.length);
    if (events.length > 0) this.set('notifyDue', true);
  });
  schema.pre(['findOneAndUpdate', 'updateOne', 'updateMany'], function markUpdate() {
    markPushedEvents(this.getUpdate() as UpdateQuery<unknown> | null);
  });
}
