// The staff directory (工作人员名录): who a staff id is, as the identity
// platform said at that person's latest sign-in, so that the audit trail, the
// case notes and a window case can show a name beside the id. Keyed by the
// staff id in `_id` (one indexed look-up for a page of entries). Staff names
// are not a citizen's personal data; they are shown to staff only.
import type { IdentityStaffRole } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export interface StaffMember {
  /** The staff id (`S0001`). */
  _id: string;
  name: string;
  role: IdentityStaffRole;
  regionCode: string;
  training: boolean;
  seenAt: Date;
}

const staffMemberSchema = new Schema<StaffMember>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    regionCode: { type: String, required: true },
    training: { type: Boolean, required: true },
    seenAt: { type: Date, required: true },
  },
  { collection: 'staff_members', versionKey: false },
);

type StaffMemberModel = Model<StaffMember>;

export class StaffDirectory {
  private readonly members: StaffMemberModel;

  constructor(db: Connection) {
    this.members =
      (db.models.StaffMember as StaffMemberModel | undefined) ??
      db.model<StaffMember>('StaffMember', staffMemberSchema);
  }

  /** At each sign-in: the name and post as the identity platform holds them now. */
  async remember(member: Omit<StaffMember, '_id' | 'seenAt'> & { staffId: string }): Promise<void> {
    const { staffId, ...rest } = member;
    await this.members.updateOne({ _id: staffId }, { $set: { ...rest, seenAt: new Date() } }, { upsert: true });
  }

  /** Names by staff id; an id never signed in here has none. */
  async namesOf(staffIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(staffIds)];
    if (ids.length === 0) return new Map();
    const found = await this.members.find({ _id: { $in: ids } }).lean<StaffMember[]>();
    return new Map(found.map((m) => [m._id, m.name]));
  }
}
