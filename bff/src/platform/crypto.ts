// Personal data at rest (个人信息加密存储): ID number, phone, address, photo and
// drafts are stored as AES-256-GCM ciphertext; ID numbers and phones are
// found again through keyed look-up hashes, never through the plaintext.
//
// Stored form: `<keyId>:<iv>:<tag>:<ciphertext>`, each part base64url, e.g.
// `v1:3q2-7w…:kYh…:Zm9v…`. The first part names the key (`v1` for a bare
// DATA_ENCRYPTION_KEY, `v2` for `DATA_ENCRYPTION_KEY=v2:…`) and is bound into
// the tag as associated data, so it cannot be swapped. Rotation: the new key
// becomes DATA_ENCRYPTION_KEY under a new id and the old one moves to
// DATA_ENCRYPTION_KEYS_PREVIOUS; new values are sealed with the new key, old
// ones still open with theirs, and `rotate-keys reseal` (../rotate-keys.ts)
// seals them again before the old key is dropped. A new look-up hash key needs
// every hash computed again from the sealed data: `rotate-keys rehash`.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Config } from './config';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // 96 bits, the size GCM is specified for
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^v[1-9]\d{0,3}$/;

export type LookupKind = 'idNumber' | 'phone';

/** The stored value is not ours, was altered, or names a key we do not hold. */
export class FieldDecryptionError extends Error {
  constructor(reason: string) {
    super(`无法解密存储的个人信息：${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

export interface FieldCipherKeys {
  /** Key id → 32-byte AES key. */
  encryptionKeys: Record<string, Buffer>;
  /** The key id new values are written with. */
  currentKeyId: string;
  /** 32-byte HMAC key for look-up hashes; never one of the encryption keys. */
  lookupHashKey: Buffer;
}

export class FieldCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly currentKeyId: string;
  private readonly lookupKey: Buffer;

  constructor({ encryptionKeys, currentKeyId, lookupHashKey }: FieldCipherKeys) {
    const keys = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(encryptionKeys)) {
      if (!KEY_ID.test(id)) throw new Error(`encryption key id "${id}" must look like v1, v2, …`);
      if (key.length !== KEY_BYTES) throw new Error(`encryption key ${id} must be ${KEY_BYTES} bytes`);
      if (key.equals(lookupHashKey)) throw new Error(`encryption key ${id} must differ from the look-up hash key`);
      keys.set(id, Buffer.from(key));
    }
    if (!keys.has(currentKeyId)) throw new Error(`the current key id "${currentKeyId}" has no key`);
    if (lookupHashKey.length !== KEY_BYTES) throw new Error(`the look-up hash key must be ${KEY_BYTES} bytes`);
    this.keys = keys;
    this.currentKeyId = currentKeyId;
    this.lookupKey = Buffer.from(lookupHashKey);
  }

  static fromConfig(
    config: Pick<Config, 'dataEncryptionKey' | 'dataEncryptionKeyId' | 'previousDataEncryptionKeys' | 'lookupHashKey'>,
  ): FieldCipher {
    return new FieldCipher({
      encryptionKeys: { ...config.previousDataEncryptionKeys, [config.dataEncryptionKeyId]: config.dataEncryptionKey },
      currentKeyId: config.dataEncryptionKeyId,
      lookupHashKey: config.lookupHashKey,
    });
  }

  /** Whether a stored value was sealed with another key than the current one (it opens, but `reseal` renews it). */
  sealedWithOlderKey(stored: string): boolean {
    return stored.slice(0, stored.indexOf(':')) !== this.currentKeyId;
  }

  /** A fresh random IV every time: the same plaintext never gives the same ciphertext. */
  encryptField(plain: string): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [keyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** Throws FieldDecryptionError when the value was altered or is not ours. */
  decryptField(stored: string): string {
    const parts = typeof stored === 'string' ? stored.split(':') : [];
    if (parts.length !== 4) throw new FieldDecryptionError('格式不对');
    const [keyId, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new FieldDecryptionError(`没有密钥 ${keyId.slice(0, 8)}`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new FieldDecryptionError('格式不对');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new FieldDecryptionError('内容被改动过，或不是用本系统的密钥加密的');
    }
  }

  /** For small objects kept whole (a mailing address, a draft form). */
  encryptJson(value: unknown): string {
    return this.encryptField(JSON.stringify(value));
  }

  decryptJson<T>(stored: string): T {
    return JSON.parse(this.decryptField(stored)) as T;
  }

  /**
   * A stable, keyed hash to find a record by ID number or phone (store it in
   * an indexed field next to the ciphertext). The kind is part of the input,
   * so an ID number's hash never equals a phone's; spaces and case do not
   * matter (`64010419900101123x` = `64010419900101123X`).
   */
  lookupHash(kind: LookupKind, value: string): string {
    const normalised = value.replace(/\s+/g, '').toUpperCase();
    return createHmac('sha256', this.lookupKey).update(`${kind}\n${normalised}`, 'utf8').digest('hex');
  }
}
