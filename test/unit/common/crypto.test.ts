import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey, looksLikeApiKey, pkcePair, SecretBox } from '../../../src/common/crypto';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret and never shows the plaintext', () => {
    const sealed = box.sealJson({ password: 'hunter2' });
    expect(sealed).not.toContain('hunter2');
    expect(box.openJson(sealed)).toEqual({ password: 'hunter2' });
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same')).not.toEqual(box.seal('same'));
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('xxxxxx').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('signs values and refuses altered ones or other keys', () => {
    const signed = box.sign('state-id');
    expect(box.verify(signed)).toBe('state-id');
    expect(box.verify(signed.replace('state-id', 'state-ie'))).toBeNull();
    expect(box.verify(`${signed}x`)).toBeNull();
    expect(box.verify('state-id')).toBeNull();
    expect(new SecretBox(randomBytes(32)).verify(signed)).toBeNull();
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('API keys', () => {
  it('are csk_ and 40 base62 characters, hashed deterministically', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^csk_[0-9A-Za-z]{40}$/);
    expect(looksLikeApiKey(key)).toBe(true);
    expect(hashApiKey(key)).toEqual(hashApiKey(key));
    expect(hashApiKey(key)).not.toContain(key);
    expect(looksLikeApiKey('csk_short')).toBe(false);
  });
});

describe('PKCE', () => {
  it('makes a 43-character verifier and its S256 challenge (RFC 7636 section 4.2)', () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(pkcePair().verifier).not.toBe(verifier);
  });
});
