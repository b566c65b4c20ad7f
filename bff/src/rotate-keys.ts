// Key rotation on the stored data (换钥), run with the BFF's own settings:
//
//   node build/bff/src/rotate-keys.js reseal
//     After DATA_ENCRYPTION_KEY got a new id (`v2:…`, the old key in
//     DATA_ENCRYPTION_KEYS_PREVIOUS): seals every value sealed with an older
//     key again with the current one. Safe while the BFF and workers run: each
//     value is replaced only if it is still the one read. A value no key given
//     opens is left as it is and named (exit code 1).
//
//   node build/bff/src/rotate-keys.js rehash
//     With the new LOOKUP_HASH_KEY and the old one in LOOKUP_HASH_KEY_PREVIOUS,
//     the BFF and workers stopped: computes every ID-number and phone look-up
//     hash again from the sealed data. A hash made with neither key is left
//     as it is and reported (exit code 1): the old key given is not the one used.
//
// Both can be run again after a crash; what is done already is skipped.
import type { Applicant, ApplicationData } from '@flexins/shared';
import type { Connection } from 'mongoose';
import { applicantKeyModel } from './modules/citizens/applicant-key.model';
import { applicantModel } from './modules/citizens/applicant.model';
import { caseDataModel } from './modules/applications/case-data.model';
import { caseModel } from './modules/applications/application.model';
import { loadConfigOrExit } from './platform/config';
import { FieldCipher, FieldDecryptionError } from './platform/crypto';
import { connectDatabase } from './platform/database';

export interface ResealReport {
  /** Values sealed again with the current key. */
  resealed: number;
  /** Values already under the current key. */
  current: number;
  /** Values rewritten by the service between our read and our write (so sealed with the current key). */
  changedMeanwhile: number;
  /** Values no key given opens (an older key missing from DATA_ENCRYPTION_KEYS_PREVIOUS, or altered), left as they are. */
  unreadable: string[];
}

/** The value opened, or undefined when no key given opens it (the caller names it). */
function open(cipher: FieldCipher, stored: string): string | undefined {
  try {
    return cipher.decryptField(stored);
  } catch (err) {
    if (err instanceof FieldDecryptionError) return undefined;
    throw err;
  }
}

/** Every sealed value, by collection and field. */
function sealedFields(db: Connection) {
  return [
    { collection: applicantModel(db).collection, fields: ['sealed', 'draftSealed'] },
    { collection: caseDataModel(db).collection, fields: ['sealed'] },
  ];
}

export async function resealAll(db: Connection, cipher: FieldCipher): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, current: 0, changedMeanwhile: 0, unreadable: [] };
  for (const { collection, fields } of sealedFields(db)) {
    const projection = Object.fromEntries(fields.map((field) => [field, 1]));
    for await (const doc of collection.find({}, { projection })) {
      for (const field of fields) {
        const stored = doc[field] as unknown;
        if (typeof stored !== 'string') continue;
        if (!cipher.sealedWithOlderKey(stored)) {
          report.current += 1;
          continue;
        }
        const plain = open(cipher, stored);
        if (plain === undefined) {
          report.unreadable.push(`${collection.collectionName}/${String(doc._id)}.${field}`);
          continue;
        }
        const renewed = cipher.encryptField(plain);
        const { modifiedCount } = await collection.updateOne(
          { _id: doc._id, [field]: stored },
          { $set: { [field]: renewed } },
        );
        if (modifiedCount === 1) report.resealed += 1;
        else report.changedMeanwhile += 1;
      }
    }
  }
  return report;
}

export interface RehashReport {
  /** Documents whose hashes were computed again with the new key. */
  rehashed: number;
  /** Documents already hashed with the new key. */
  current: number;
  /** Documents whose hashes match neither key (left as they are), by collection and _id. */
  unknown: string[];
  /** Documents whose sealed data no key given opens (left as they are). */
  unreadable: string[];
}

/** Hash field → what it is the hash of. */
type HashInputs = Record<string, readonly ['idNumber' | 'phone', string]>;

/** `previous` holds the old look-up key, `next` the new one; both hold every key the sealed data needs. */
export async function rehashAll(db: Connection, previous: FieldCipher, next: FieldCipher): Promise<RehashReport> {
  const report: RehashReport = { rehashed: 0, current: 0, unknown: [], unreadable: [] };
  const hashes = (cipher: FieldCipher, values: HashInputs) =>
    Object.fromEntries(Object.entries(values).map(([field, [kind, value]]) => [field, cipher.lookupHash(kind, value)]));
  const compare = (doc: Record<string, unknown>, expected: Record<string, string>) =>
    Object.entries(expected).every(([field, hash]) => doc[field] === hash);

  // 1. applicants, and the key documents that find them (_id = the ID number's hash)
  const applicants = applicantModel(db).collection;
  const keys = applicantKeyModel(db).collection;
  for await (const doc of applicants.find(
    {},
    { projection: { sealed: 1, idNumberHash: 1, phoneHash: 1, applicantId: 1 } },
  )) {
    const opened = open(next, doc.sealed as string);
    if (opened === undefined) {
      report.unreadable.push(`applicants/${String(doc._id)}`);
      continue;
    }
    const applicant = JSON.parse(opened) as Applicant;
    const values: HashInputs = {
      idNumberHash: ['idNumber', applicant.idNumber],
      phoneHash: ['phone', applicant.phone],
    };
    const renewed = hashes(next, values);
    const old = hashes(previous, values);
    if (compare(doc, renewed)) report.current += 1;
    else if (compare(doc, old)) {
      await applicants.updateOne({ _id: doc._id }, { $set: renewed });
      report.rehashed += 1;
    } else {
      report.unknown.push(`applicants/${String(doc._id)}`);
      continue;
    }
    // The new key document first, then the old one goes: a crash in between leaves both, and a run again ends it.
    await keys.updateOne(
      { _id: renewed.idNumberHash as never },
      { $setOnInsert: { applicantId: doc.applicantId, createdAt: new Date() } },
      { upsert: true },
    );
    await keys.deleteOne({ _id: old.idNumberHash as never });
  }

  // 2. cases, from their sealed data (the applicant's ID number and phone, the card's mailing phone)
  const cases = caseModel(db).collection;
  for await (const data of caseDataModel(db).collection.find({}, { projection: { sealed: 1 } })) {
    const doc = await cases.findOne(
      { _id: data._id },
      { projection: { idNumberHash: 1, phoneHash: 1, mailingPhoneHash: 1 } },
    );
    if (!doc) continue; // data whose case was never written (a crash at submission)
    const opened = open(next, data.sealed as string);
    if (opened === undefined) {
      report.unreadable.push(`case_data/${String(data._id)}`);
      continue;
    }
    const sealed = JSON.parse(opened) as ApplicationData;
    const values: HashInputs = {
      idNumberHash: ['idNumber', sealed.applicant.idNumber],
      phoneHash: ['phone', sealed.applicant.phone],
      ...(sealed.card ? { mailingPhoneHash: ['phone', sealed.card.mailingAddress.phone] } : {}),
    };
    const renewed = hashes(next, values);
    if (compare(doc, renewed)) report.current += 1;
    else if (compare(doc, hashes(previous, values))) {
      await cases.updateOne({ _id: doc._id }, { $set: renewed });
      report.rehashed += 1;
    } else report.unknown.push(`cases/${String(doc._id)}`);
  }
  return report;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'reseal' && command !== 'rehash') {
    process.stderr.write('用法 (usage): node build/bff/src/rotate-keys.js reseal|rehash\n');
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const db = await connectDatabase(config.mongodbUri);
  try {
    const cipher = FieldCipher.fromConfig(config);
    if (command === 'reseal') {
      const report = await resealAll(db, cipher);
      process.stdout.write(`${JSON.stringify({ command, ...report })}\n`);
      if (report.unreadable.length > 0) process.exitCode = 1;
      return;
    }
    if (!config.previousLookupHashKey) {
      process.stderr.write('rehash 需要 LOOKUP_HASH_KEY_PREVIOUS（换钥前的查询摘要密钥）和新的 LOOKUP_HASH_KEY\n');
      process.exitCode = 1;
      return;
    }
    const previous = FieldCipher.fromConfig({ ...config, lookupHashKey: config.previousLookupHashKey });
    const report = await rehashAll(db, previous, cipher);
    process.stdout.write(`${JSON.stringify({ command, ...report })}\n`);
    if (report.unknown.length > 0 || report.unreadable.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  void main();
}
