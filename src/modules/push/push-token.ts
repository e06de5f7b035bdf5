import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new channel secret: 32 random bytes, base64url (43 characters, within Graph's 128 for
 * `clientState` and Google's 256 for a channel token).
 */
export function newPushToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a channel secret, hex. Fast is enough: 256 random bits leave nothing to brute-force. */
export function hashPushToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `token` is the secret whose hash is `tokenHash`, compared in constant time. */
export function pushTokenMatches(token: string | undefined, tokenHash: string): boolean {
  if (!token) return false;
  const given = Buffer.from(hashPushToken(token), 'hex');
  const expected = Buffer.from(tokenHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
