import { randomBytes } from 'node:crypto';
import { FieldCipher, FieldDecryptionError } from '../crypto';
import { testConfig } from '../../../test/config';
import { useTestDatabase } from '../../../test/database';

const db = useTestDatabase();
const cipher = FieldCipher.fromConfig(testConfig());
const ID_NUMBER = '64010419900101123X';
const PHONE = '13912345678';

function keys(lookupHashKey = randomBytes(32)) {
  return { encryptionKeys: { v1: randomBytes(32) }, currentKeyId: 'v1', lookupHashKey };
}

/** Replaces one base64url character of part `index` of a stored value. */
function tamper(stored: string, index: number): string {
  const parts = stored.split(':');
  const part = parts[index]!;
  parts[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join(':');
}

describe('FieldCipher: encrypting a field', () => {
  it('gives a different ciphertext each time and decrypts back', () => {
    const first = cipher.encryptField(ID_NUMBER);
    const second = cipher.encryptField(ID_NUMBER);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(cipher.decryptField(first)).toBe(ID_NUMBER);
    expect(cipher.decryptField(second)).toBe(ID_NUMBER);
  });

  it('keeps Chinese text and the empty string intact', () => {
    for (const plain of ['宁夏银川市兴庆区解放西街 1 号', '']) {
      expect(cipher.decryptField(cipher.encryptField(plain))).toBe(plain);
    }
  });

  it.each([
    ['the key id', 0],
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ])('detects a change to %s', (_part, index) => {
    const stored = cipher.encryptField(PHONE);
    const altered = index === 0 ? stored.replace(/^v1:/, 'v2:') : tamper(stored, index);
    expect(altered).not.toBe(stored);
    expect(() => cipher.decryptField(altered)).toThrow(FieldDecryptionError);
  });

  it('refuses a value encrypted with another key, and values that are not ours', () => {
    const other = new FieldCipher(keys());
    expect(() => cipher.decryptField(other.encryptField(PHONE))).toThrow(FieldDecryptionError);
    for (const junk of ['', PHONE, 'v1:a:b', 'v1:::', 'v9:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AA']) {
      expect(() => cipher.decryptField(junk)).toThrow(FieldDecryptionError);
    }
  });

  it('decrypts old values with an older key after rotation, and writes new ones with the current key', () => {
    const k1 = keys();
    const before = new FieldCipher(k1);
    const old = before.encryptField(PHONE);
    const rotated = new FieldCipher({
      encryptionKeys: { v1: k1.encryptionKeys.v1, v2: randomBytes(32) },
      currentKeyId: 'v2',
      lookupHashKey: k1.lookupHashKey,
    });
    expect(rotated.decryptField(old)).toBe(PHONE);
    expect(rotated.encryptField(PHONE)).toMatch(/^v2:/);
    expect(() => before.decryptField(rotated.encryptField(PHONE))).toThrow(FieldDecryptionError);
  });

  it('round-trips small objects', () => {
    const address = { regionCode: '640104', detail: '解放西街 1 号', recipient: '张三', phone: PHONE };
    const stored = cipher.encryptJson(address);
    expect(stored).not.toContain(PHONE);
    expect(cipher.decryptJson(stored)).toEqual(address);
  });

  it('refuses keys of the wrong size, and an encryption key reused as the look-up key', () => {
    const key = randomBytes(32);
    expect(() => new FieldCipher({ ...keys(), encryptionKeys: { v1: randomBytes(16) } })).toThrow(/32 bytes/);
    expect(() => new FieldCipher(keys(randomBytes(31)))).toThrow(/32 bytes/);
    expect(() => new FieldCipher({ encryptionKeys: { v1: key }, currentKeyId: 'v1', lookupHashKey: key })).toThrow(
      /differ/,
    );
    expect(() => new FieldCipher({ ...keys(), currentKeyId: 'v2' })).toThrow(/no key/);
  });
});

describe('FieldCipher: look-up hashes', () => {
  it('are stable, hex, and ignore surrounding spaces and the case of X', () => {
    const hash = cipher.lookupHash('idNumber', ID_NUMBER);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookupHash('idNumber', ` ${ID_NUMBER.toLowerCase()} `)).toBe(hash);
    expect(FieldCipher.fromConfig(testConfig()).lookupHash('idNumber', ID_NUMBER)).toBe(hash);
  });

  it('depend on the key', () => {
    const lookupHashKey = randomBytes(32);
    const a = new FieldCipher(keys(lookupHashKey));
    const sameKey = new FieldCipher(keys(lookupHashKey));
    const otherKey = new FieldCipher(keys());
    expect(sameKey.lookupHash('phone', PHONE)).toBe(a.lookupHash('phone', PHONE));
    expect(otherKey.lookupHash('phone', PHONE)).not.toBe(a.lookupHash('phone', PHONE));
  });

  it('differ between kinds for the same text', () => {
    expect(cipher.lookupHash('idNumber', PHONE)).not.toBe(cipher.lookupHash('phone', PHONE));
  });

  it('tell different values apart', () => {
    expect(cipher.lookupHash('phone', '13912345678')).not.toBe(cipher.lookupHash('phone', '13912345679'));
  });
});

describe('what is stored', () => {
  it('holds neither the ID number nor the phone in plain text, and is found by its look-up hash', async () => {
    const people = db.connection.collection('people_under_test');
    await people.insertOne({
      idNumber: cipher.encryptField(ID_NUMBER),
      idNumberHash: cipher.lookupHash('idNumber', ID_NUMBER),
      phone: cipher.encryptField(PHONE),
      phoneHash: cipher.lookupHash('phone', PHONE),
      address: cipher.encryptJson({ detail: '解放西街 1 号', phone: PHONE }),
    });

    const raw = JSON.stringify(await people.find().toArray());
    expect(raw).not.toContain(ID_NUMBER);
    expect(raw).not.toContain(ID_NUMBER.slice(0, 17));
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain('解放西街');

    const found = await people.findOne({ idNumberHash: cipher.lookupHash('idNumber', ID_NUMBER.toLowerCase()) });
    expect(found).not.toBeNull();
    expect(cipher.decryptField(found!.idNumber as string)).toBe(ID_NUMBER);
    expect(cipher.decryptField(found!.phone as string)).toBe(PHONE);
  });
});
