// The platform's real-name records (实名信息): seeded from the roster (the
// training roster flagged as such), added at run time through the admin
// API, and presented as the contract's IdentityPerson.
import { createHash } from 'node:crypto';
import {
  IDENTITY_ERRORS,
  type IdentityPeopleQueryRequest,
  type IdentityPerson,
  type IdentityPersonReply,
} from '@flexins/shared';
import { commonError, errorFactory } from '../common/errors';
import type { CallContext, SimDeps } from '../common/types';
import { ROSTER, TRAINING_ROSTER, type RosterPerson } from '../roster';
import type { NewPerson } from '../roster-schema';
import { identityModels, type PersonRecord } from './models';
import { certifiedPhoto } from './photo';

const fail = errorFactory(IDENTITY_ERRORS);
const TRAINING_LABEL = '培训：';
const ADDED_ORDER = 10_000;

/** Stable across restarts and databases; never reveals the ID number. */
export function personIdOf(idNumber: string): string {
  return `P${createHash('sha256').update(`identity-person:${idNumber}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

type PersonFields = Omit<PersonRecord, 'createdAt' | 'updatedAt'>;

function recordOf(
  person: NewPerson | RosterPerson,
  source: PersonRecord['source'],
  training: boolean,
  order: number,
): PersonFields {
  return {
    key: person.key,
    idNumber: person.idNumber,
    personId: personIdOf(person.idNumber),
    label: person.label,
    name: person.name,
    sex: person.sex,
    birthDate: person.birthDate,
    ethnicity: person.ethnicity,
    phone: person.phone,
    household: { regionCode: person.household.regionCode, address: person.household.address },
    ...(person.residencePermit
      ? {
          residencePermit: {
            regionCode: person.residencePermit.regionCode,
            validUntil: person.residencePermit.validUntil,
          },
        }
      : {}),
    faceCheck: person.faceCheck,
    source,
    training,
    order,
    photo: certifiedPhoto(person.key),
  };
}

/** Upserts one person by key; leaves createdAt alone on a repeat. */
async function upsert(deps: SimDeps, fields: PersonFields): Promise<void> {
  const { People } = identityModels(deps.db);
  const now = deps.now();
  const unset = fields.residencePermit ? {} : { $unset: { residencePermit: 1 } };
  await People.updateOne(
    { key: fields.key },
    { $set: { ...fields, updatedAt: now }, $setOnInsert: { createdAt: now }, ...unset },
    { upsert: true },
  );
}

/** Every roster person, then the training roster; safe to run on every start. */
export async function seedPeople(deps: SimDeps): Promise<void> {
  for (const [index, person] of ROSTER.entries()) await upsert(deps, recordOf(person, 'roster', false, index));
  for (const [index, person] of TRAINING_ROSTER.entries()) {
    await upsert(deps, recordOf(person, 'training', true, 1_000 + index));
  }
}

/**
 * A person added at run time (training, demos). A label starting with
 * 培训： marks a training person, as in the training roster. Roster people
 * cannot be overwritten, and an ID number belongs to one key only.
 */
export async function addPerson(deps: SimDeps, person: NewPerson): Promise<void> {
  const { People } = identityModels(deps.db);
  const sameKey = await People.findOne({ key: person.key }).lean();
  if (sameKey && sameKey.source !== 'added') {
    throw commonError('VALIDATION_FAILED', {
      fields: { key: `名册中已有标识为 ${person.key} 的人，不能覆盖；请换一个标识` },
    });
  }
  const sameId = await People.findOne({ idNumber: person.idNumber }).lean();
  if (sameId && sameId.key !== person.key) {
    throw commonError('VALIDATION_FAILED', {
      fields: { idNumber: `这个身份证号已属于名册中的 ${sameId.key}，请换一个身份证号` },
    });
  }
  const training = person.label.startsWith(TRAINING_LABEL);
  try {
    await upsert(deps, recordOf(person, 'added', training, ADDED_ORDER));
  } catch (err) {
    // Two adds of the same ID number under different keys raced.
    if ((err as { code?: number }).code !== 11000) throw err;
    throw commonError('VALIDATION_FAILED', { fields: { idNumber: '这个身份证号已属于名册中的另一人' } });
  }
}

/** What the platform shares about a person. */
export function toIdentityPerson(record: PersonRecord): IdentityPerson {
  return {
    personId: record.personId,
    name: record.name,
    idNumber: record.idNumber,
    sex: record.sex,
    birthDate: record.birthDate,
    ethnicity: record.ethnicity,
    phone: record.phone,
    household: { regionCode: record.household.regionCode, address: record.household.address },
    ...(record.residencePermit?.regionCode
      ? {
          residencePermit: {
            regionCode: record.residencePermit.regionCode,
            validUntil: record.residencePermit.validUntil,
          },
        }
      : {}),
    photo: {
      contentType: record.photo.contentType,
      base64: record.photo.base64,
      certifiedAt: record.photo.certifiedAt,
    },
    ...(record.training ? { training: true } : {}),
  };
}

/** The people a citizen may pick on the sign-in page: not the training ones. */
export async function signInCandidates(deps: SimDeps): Promise<PersonRecord[]> {
  const { People } = identityModels(deps.db);
  return People.find({ training: false }).sort({ order: 1, createdAt: 1, key: 1 }).lean();
}

/** POST /identity/v1/people-queries: data sharing for a clerk reading a present citizen's ID card. */
export async function queryPerson(input: IdentityPeopleQueryRequest, ctx: CallContext): Promise<IdentityPersonReply> {
  const { People } = identityModels(ctx.deps.db);
  const person = await People.findOne({ idNumber: input.idNumber }).lean();
  if (!person) throw fail('PERSON_NOT_FOUND');
  return { person: toIdentityPerson(person) };
}
