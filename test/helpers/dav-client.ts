import { createHash, randomBytes } from 'node:crypto';
import { send, type HttpAnswer } from './http-send';

/** How a test server checks credentials. */
export type DavAuth = 'basic' | 'digest';

/** Sends one request with credentials; the answer is returned whatever its status. */
export type DavRequest = (method: string, url: string, options?: { headers?: Record<string, string>; body?: string }) => Promise<HttpAnswer>;

/** `Authorization: Basic …` for a user and password. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** The parameters of a `WWW-Authenticate: Digest …` challenge, or null when the header has none. */
export function digestChallenge(header: string | string[] | undefined): Record<string, string> | null {
  const digest = (Array.isArray(header) ? header : [header ?? '']).find((value) => /^\s*digest\s/i.test(value));
  if (!digest) return null;
  const parameters: Record<string, string> = {};
  for (const [, name, quoted, bare] of digest.replace(/^\s*digest\s+/i, '').matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g))
    parameters[name!.toLowerCase()] = quoted ?? bare!;
  return parameters;
}

/** `Authorization: Digest …` (RFC 7616, MD5, qop=auth when offered) answering `challenge`. */
export function digestAuthorization(challenge: Record<string, string>, username: string, password: string, method: string, uri: string, nc: number): string {
  const ha1 = md5(`${username}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const qop = challenge.qop
    ?.split(',')
    .map((value) => value.trim())
    .includes('auth')
    ? 'auth'
    : null;
  const count = nc.toString(16).padStart(8, '0');
  const cnonce = randomBytes(8).toString('hex');
  const response = qop ? md5(`${ha1}:${challenge.nonce}:${count}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [`username="${username}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`, `response="${response}"`];
  if (qop) fields.push(`qop=${qop}`, `nc=${count}`, `cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) fields.push(`opaque="${challenge.opaque}"`);
  if (challenge.algorithm) fields.push(`algorithm=${challenge.algorithm}`);
  return `Digest ${fields.join(', ')}`;
}

/**
 * A request function that authenticates as `username` with whatever `password()` says now. Digest
 * keeps the last challenge and counts nonces; a 401 with a fresh challenge is answered once.
 */
export function davRequester(auth: DavAuth, username: string, password: () => string): DavRequest {
  let challenge: Record<string, string> | null = null;
  let nc = 0;
  return async (method, url, options = {}) => {
    const target = new URL(url);
    const attempt = (authorization: string | undefined) => send(target, { method, headers: { ...options.headers, authorization }, body: options.body });
    if (auth === 'basic') return attempt(basicAuthorization(username, password()));
    const uri = `${target.pathname}${target.search}`;
    let answer = await attempt(challenge ? digestAuthorization(challenge, username, password(), method, uri, ++nc) : undefined);
    const fresh = answer.status === 401 ? digestChallenge(answer.headers['www-authenticate']) : null;
    if (fresh) {
      challenge = fresh;
      nc = 0;
      answer = await attempt(digestAuthorization(challenge, username, password(), method, uri, ++nc));
    }
    return answer;
  };
}
