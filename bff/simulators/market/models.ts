// The registration system's own records. Every record carries `idNumber`
// (the operator's or legal representative's) so the admin read-out can filter
// by person; the business key has a unique index on a field that is always
// written (FerretDB lets duplicates of a missing field through).
import type { MarketBusiness } from '@flexins/shared';
import { Schema, type Connection, type Model } from 'mongoose';

export const COLLECTIONS = {
  businesses: 'businesses',
  queries: 'queries',
} as const;

/** One registered business (经营主体登记), as the registration system holds it. */
export interface BusinessRecord extends MarketBusiness {
  /** Unique: 统一社会信用代码. */
  creditCode: string;
  idNumber: string;
  /** The roster or admin key the business was seeded from. */
  rosterKey: string;
}

/** One data-sharing query answered (共享查询记录): who asked about whom, and when. */
export interface QueryRecord {
  idNumber: string;
  callerId: string;
  requestId: string;
  found: number;
  queriedAt: Date;
}

const REQUIRED_STRING = { type: String, required: true } as const;

const businessSchema = new Schema<BusinessRecord>(
  {
    creditCode: { ...REQUIRED_STRING, unique: true },
    idNumber: { ...REQUIRED_STRING, index: true },
    rosterKey: REQUIRED_STRING,
    name: REQUIRED_STRING,
    kind: { type: String, required: true, enum: ['individualBusiness', 'enterprise'] },
    role: { type: String, required: true, enum: ['operator', 'legalRepresentative'] },
    status: { type: String, required: true, enum: ['active', 'cancelled'] },
    registeredOn: REQUIRED_STRING,
    cancelledOn: String,
    regionCode: REQUIRED_STRING,
    employees: {
      count: { type: Number, required: true, min: 0 },
      source: { type: String, required: true, enum: ['annualReport', 'registration'] },
      year: { type: Number, required: true },
    },
  },
  { collection: COLLECTIONS.businesses, versionKey: false },
);

const querySchema = new Schema<QueryRecord>(
  {
    idNumber: { ...REQUIRED_STRING, index: true },
    callerId: REQUIRED_STRING,
    requestId: REQUIRED_STRING,
    found: { type: Number, required: true },
    queriedAt: { type: Date, required: true },
  },
  { collection: COLLECTIONS.queries, versionKey: false },
);

export interface MarketModels {
  Business: Model<BusinessRecord>;
  Query: Model<QueryRecord>;
}

/** The models on this simulator's own connection (registered once per connection). */
export function marketModels(db: Connection): MarketModels {
  return {
    Business: (db.models.MarketBusiness as Model<BusinessRecord>) ?? db.model('MarketBusiness', businessSchema),
    Query: (db.models.MarketQuery as Model<QueryRecord>) ?? db.model('MarketQuery', querySchema),
  };
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}
