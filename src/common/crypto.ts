import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const SECRET_VERSION = 'v1';

/**
 * Encrypts secrets at rest (CalDAV passwords, OAuth tokens) with AES-256-GCM.
 *
 * A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url parts, 96-bit random IV, 128-bit
 * tag); the version prefix leaves room for key rotation. Decryption of a tampered value or
 * with a different key throws.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  /** @param key 32 bytes. @throws Error when the key is not 32 bytes long. */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The encryption key must be 32 bytes');
    this.key = key;
    // A separate key for signatures (RFC 5869 HKDF), so that no value is both encrypted and MACed under one key.
    this.macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'calsync signatures', 32));
  }

  /** `value.signature`: the value with an HMAC-SHA256 signature (base64url) appended. */
  sign(value: string): string {
    return `${value}.${createHmac('sha256', this.macKey).update(value).digest('base64url')}`;
  }

  /** The value of a {@link sign}ed string, or null when the signature does not match. */
  verify(signed: string): string | null {
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return null;
    const value = signed.slice(0, dot);
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(signed);
    return expected.length === given.length && timingSafeEqual(expected, given) ? value : null;
  }

  /** Encrypts a UTF-8 string. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [SECRET_VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Decrypts a value produced by {@link seal}. @throws Error when it was altered or sealed under another key. */
  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== SECRET_VERSION || !iv || !tag || ciphertext === undefined) {
      throw new Error('Not a sealed secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Encrypts a JSON-serialisable value. */
  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  /** Decrypts a value produced by {@link sealJson}. */
  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

/**
 * A PKCE pair (RFC 7636 section 4.1-4.2): a 43-character random verifier and its S256 challenge.
 */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_KEY_PREFIX = 'csk_';
const API_KEY_RANDOM_LENGTH = 40;

/** A new API key: `csk_` followed by 40 random base62 characters (~238 bits). */
export function generateApiKey(): string {
  let random = '';
  for (let i = 0; i < API_KEY_RANDOM_LENGTH; i++) random += BASE62[randomInt(BASE62.length)];
  return API_KEY_PREFIX + random;
}

/** Whether a string has the shape of an API key (`csk_` + at least 32 base62 characters). */
export function looksLikeApiKey(value: string): boolean {
  return /^csk_[0-9A-Za-z]{32,}$/.test(value);
}

/**
 * SHA-256 of an API key, hex. A fast hash is enough: keys carry over 190 bits of randomness,
 * so there is nothing to brute-force, and lookups by hash stay O(1).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
