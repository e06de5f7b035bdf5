/**
 * HTTP authentication of a CalDAV account: Basic (RFC 7617) and Digest (RFC 7616), chosen from
 * the server's `WWW-Authenticate` challenges (RFC 9110 section 11.6.1). Baïkal and SabreDAV
 * installations often offer Digest only.
 */
import { createHash, randomBytes } from 'node:crypto';

/** One challenge of a `WWW-Authenticate` header: its scheme (lower case) and parameters (names lower case). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` value, which may hold several challenges separated by commas,
 * each `scheme param=value, param="quoted, value"` (RFC 9110 section 11.2).
 */
export function parseChallenges(header: string | null): Challenge[] {
  const challenges: Challenge[] = [];
  if (!header) return challenges;
  // Tokens: quoted strings, `name=`, bare words, and commas.
  const tokens = header.match(/"(?:[^"\\]|\\.)*"|[^\s,="]+=?|,/g) ?? [];
  let current: Challenge | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === ',') continue;
    if (token.endsWith('=') && current && i + 1 < tokens.length && tokens[i + 1] !== ',') {
      const raw = tokens[++i];
      current.params[token.slice(0, -1).toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    } else if (!token.endsWith('=')) {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

const DIGEST_HASHES: Record<string, string> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' };

/** Whether Calsync can answer this Digest challenge: a known algorithm, and `auth` among the qop values if any. */
function isUsableDigest(challenge: Challenge): boolean {
  if (challenge.scheme !== 'digest' || !challenge.params.nonce) return false;
  const algorithm = (challenge.params.algorithm ?? 'MD5').toLowerCase().replace(/-sess$/, '');
  const qop = challenge.params.qop;
  return algorithm in DIGEST_HASHES && (qop === undefined || qop.split(',').some((value) => value.trim() === 'auth'));
}

/** The preferred usable Digest challenge: SHA-256 over MD5 (RFC 7616 section 3.7). */
export function pickDigest(challenges: Challenge[]): Challenge | null {
  const usable = challenges.filter(isUsableDigest);
  const strength = (challenge: Challenge) => ((challenge.params.algorithm ?? 'MD5').toLowerCase().startsWith('md5') ? 0 : 1);
  return usable.sort((a, b) => strength(b) - strength(a))[0] ?? null;
}

/** `Authorization: Basic ...` (RFC 7617 section 2, UTF-8 as section 2.1 allows). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Answers Digest challenges of one protection space: one nonce, a counter that grows with every
 * request (RFC 7616 section 3.4, `nc`), a fresh client nonce each time.
 */
export class DigestSigner {
  private count = 0;

  constructor(
    private readonly challenge: Challenge,
    private readonly username: string,
    private readonly password: string,
    /** The client nonce of each request; random, fixed only to check the RFC's examples. */
    private readonly cnonce: () => string = () => randomBytes(16).toString('hex'),
  ) {}

  /** The `Authorization` value for a request (RFC 7616 section 3.4); `uri` is the request-target (path and query). */
  authorization(method: string, uri: string): string {
    const { realm = '', nonce = '', opaque, qop } = this.challenge.params;
    const algorithmName = this.challenge.params.algorithm ?? 'MD5';
    const algorithm = algorithmName.toLowerCase();
    const hash = (value: string) =>
      createHash(DIGEST_HASHES[algorithm.replace(/-sess$/, '')])
        .update(value, 'utf8')
        .digest('hex');
    const cnonce = this.cnonce();
    const nc = (++this.count).toString(16).padStart(8, '0');
    let ha1 = hash(`${this.username}:${realm}:${this.password}`);
    if (algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
    const ha2 = hash(`${method}:${uri}`);
    const withQop = qop !== undefined;
    const response = withQop ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);
    const quote = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;
    const parts = [
      `username=${quote(this.username)}`,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${algorithmName}`,
      `response=${quote(response)}`,
      ...(withQop ? [`qop=auth`, `nc=${nc}`, `cnonce=${quote(cnonce)}`] : []),
      ...(opaque !== undefined ? [`opaque=${quote(opaque)}`] : []),
    ];
    return `Digest ${parts.join(', ')}`;
  }
}
