/**
 * The HTTP side of one CalDAV account's work (a discovery, a sync of one collection, an export):
 * every request of the CalDAV adapter goes through {@link DavSession.send}, which
 * - sends explicit headers, because Node's fetch adds `Accept-Language: *`, which Apple's
 *   servers fail to parse, and no User-Agent iCloud accepts;
 * - authenticates against whatever host the server sends it to (iCloud keeps the principal on
 *   caldav.icloud.com and the calendars on pNN-caldav.icloud.com), with Basic or Digest as the
 *   host asks, remembering the choice per origin; Basic is sent before being asked only over
 *   https or where the origin asked for it before, so that a Digest-only server on plain http
 *   never sees the password;
 * - follows redirects itself (RFC 6764 discovery answers `/.well-known/caldav` with 301), keeping
 *   the method and the credentials, at most {@link MAX_REDIRECTS} hops, never from https to http;
 * - connects only where the outbound address policy allows (src/common/outbound.ts), checked
 *   again for every redirect hop and every host a server names;
 * - reads at most `maxResponseBytes` of an answer (OUTBOUND_MAX_RESPONSE_MB), counts every answer
 *   against the run's {@link ReadBudget} (SYNC_RUN_MAX_READ_MB), and gives up after the
 *   transport's `requestTimeoutMs` (OUTBOUND_REQUEST_TIMEOUT_SECONDS);
 * - retries what is temporary (429, 502-504, network) with {@link withRetry}, honouring
 *   Retry-After; 401 after authenticating is AUTH_REVOKED.
 * Other statuses are returned to the caller, who knows what they mean for its request.
 */
import { LRUCache } from 'lru-cache';
import { OutboundRefusedError } from '../../common/outbound';
import type { CalDavCredentials } from '../provider';
import type { ReadBudget } from '../read-budget';
import { readBodyText, type OutboundTransport } from '../http-body';
import { ProviderError } from '../provider';
import { DEFAULT_RETRY_POLICY, retryAfterSeconds, withRetry } from '../retry';
import { basicAuthorization, DigestSigner, parseChallenges, pickDigest } from './dav-auth';
import { NotMultistatusError, parseMultistatus, type Multistatus } from './dav-xml';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TEMPORARY_STATUSES = new Set([429, 502, 503, 504]);

/** A request of the adapter; `url` is absolute. */
export interface DavRequest {
  method: string;
  url: string;
  depth?: '0' | '1';
  body?: string;
  /** Extra headers (If-Match, Content-Type of a PUT, ...). */
  headers?: Record<string, string>;
}

/** An answer: its status, headers and text, and the URL it came from after redirects. */
export interface DavAnswer {
  status: number;
  url: string;
  headers: Headers;
  text: string;
}

/** How one origin is authenticated: not yet (wait for a challenge), Basic, or Digest with its signer. */
type OriginAuth = { scheme: 'none' } | { scheme: 'basic' } | { scheme: 'digest'; signer: DigestSigner };

/**
 * The scheme each origin took last time, per user name, so that later sessions send Basic at
 * once where it was asked for (not the password itself, and not a Digest nonce, which a session
 * asks for afresh).
 */
const SCHEMES = new LRUCache<string, 'basic' | 'digest'>({ max: 10_000 });

/** How a session reaches servers (see OutboundTransport). */
export type DavTransport = OutboundTransport;

export class DavSession {
  private readonly auth = new Map<string, OriginAuth>();

  /**
   * @param run what bounds the caller's work: `signal`, aborted when it stops (a sync run's
   *   deadline), ends the requests and stops retries; `readBudget` counts the bytes read.
   */
  constructor(
    private readonly credentials: Pick<CalDavCredentials, 'username' | 'password'>,
    private readonly transport: DavTransport,
    private readonly run: { signal?: AbortSignal; readBudget?: ReadBudget } = {},
  ) {}

  /**
   * Sends a request, following redirects and authenticating, and reads the whole answer.
   * @throws ProviderError AUTH_REVOKED (credentials refused), TEMPORARY (unreachable, 429,
   *   502-504, after the retries), ADDRESS_REFUSED (the outbound policy refused the URL or a
   *   redirect hop), UNKNOWN (too many redirects, an https-to-http redirect, an answer over the
   *   size limit, an authentication scheme Calsync does not speak); ReadBudgetExceeded (TEMPORARY)
   *   once the run's read budget is spent.
   */
  send(request: DavRequest): Promise<DavAnswer> {
    return withRetry(() => this.follow(request), DEFAULT_RETRY_POLICY, this.run.signal);
  }

  /**
   * Sends a PROPFIND or REPORT and reads its 207 Multi-Status.
   * @throws ProviderError as {@link send}; for a status other than 207 what
   *   {@link statusError} says; UNKNOWN for a 207 that is not a well-formed multistatus.
   */
  async multistatus(request: DavRequest, action: string): Promise<{ url: string; multistatus: Multistatus }> {
    const answer = await this.send(request);
    if (answer.status !== 207) throw statusError(answer, action);
    return { url: answer.url, multistatus: readMultistatus(answer, action) };
  }

  private async follow(request: DavRequest): Promise<DavAnswer> {
    let current = request;
    for (let hop = 0; ; hop++) {
      const { response, text } = await this.authenticated(current);
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return { status: response.status, url: current.url, headers: response.headers, text };
      if (hop >= MAX_REDIRECTS) throw new ProviderError('UNKNOWN', `The CalDAV server redirected more than ${MAX_REDIRECTS} times from ${request.url}`);
      const next = new URL(location, current.url);
      if (new URL(current.url).protocol === 'https:' && next.protocol !== 'https:') {
        throw new ProviderError(
          'UNKNOWN',
          `The CalDAV server redirected from https to ${next.protocol.replace(':', '')} (${next.origin}); credentials are not sent unencrypted`,
        );
      }
      current = response.status === 303 ? { method: 'GET', url: next.toString(), headers: request.headers } : { ...current, url: next.toString() };
    }
  }

  /** One request to one URL, answered once more after a 401 that names a scheme not tried yet (or a stale Digest nonce). */
  private async authenticated(request: DavRequest): Promise<{ response: Response; text: string }> {
    const origin = new URL(request.url).origin;
    const known = `${origin} ${this.credentials.username}`;
    for (let attempt = 0; ; attempt++) {
      const auth = this.auth.get(origin) ?? this.initialAuth(origin, SCHEMES.get(known));
      const { response, text } = await this.transmit(request, auth);
      if (response.status !== 401) {
        if (auth.scheme !== 'none') SCHEMES.set(known, auth.scheme);
        return { response, text };
      }
      const challenges = parseChallenges(response.headers.get('www-authenticate'));
      const digest = pickDigest(challenges);
      const stale = auth.scheme === 'digest' && digest?.params.stale?.toLowerCase() === 'true';
      let next: OriginAuth | null = null;
      if (digest && (auth.scheme !== 'digest' || stale))
        next = { scheme: 'digest', signer: new DigestSigner(digest, this.credentials.username, this.credentials.password) };
      else if (auth.scheme === 'none' && challenges.some((challenge) => challenge.scheme === 'basic')) next = { scheme: 'basic' };
      if (!next || attempt >= 2) {
        if (auth.scheme === 'none') {
          const offered = challenges.map((challenge) => challenge.scheme).join(', ') || 'no scheme';
          throw new ProviderError(
            'UNKNOWN',
            `The CalDAV server at ${origin} asks for authentication Calsync does not speak (${offered}); Basic and Digest are supported`,
          );
        }
        throw new ProviderError('AUTH_REVOKED', `The CalDAV server refused the credentials (HTTP 401 from ${origin})`);
      }
      this.auth.set(origin, next);
    }
  }

  /** Basic at once where the origin took it before, or over https; otherwise wait for the challenge. */
  private initialAuth(origin: string, known: 'basic' | 'digest' | undefined): OriginAuth {
    return known === 'basic' || (known === undefined && origin.startsWith('https:')) ? { scheme: 'basic' } : { scheme: 'none' };
  }

  private async transmit(request: DavRequest, auth: OriginAuth): Promise<{ response: Response; text: string }> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {
      'user-agent': 'Calsync (CalDAV)',
      'accept-language': 'en',
      accept: request.body === undefined && request.method === 'GET' ? 'text/calendar, */*;q=0.5' : 'application/xml, text/xml;q=0.9, */*;q=0.5',
      ...(request.body !== undefined && request.method !== 'PUT' ? { 'content-type': 'application/xml; charset=utf-8' } : {}),
      ...(request.depth !== undefined ? { depth: request.depth } : {}),
      ...request.headers,
    };
    if (auth.scheme === 'basic') headers.authorization = basicAuthorization(this.credentials.username, this.credentials.password);
    if (auth.scheme === 'digest') headers.authorization = auth.signer.authorization(request.method, `${url.pathname}${url.search}`);
    try {
      const timeout = AbortSignal.timeout(this.transport.requestTimeoutMs);
      const signal = this.run.signal ? AbortSignal.any([this.run.signal, timeout]) : timeout;
      const response = await this.transport.policy.fetch(url, { method: request.method, headers, body: request.body, signal });
      if (TEMPORARY_STATUSES.has(response.status)) {
        await response.body?.cancel();
        throw new ProviderError(
          'TEMPORARY',
          `The CalDAV server answered HTTP ${response.status} to ${request.method} ${url.pathname}`,
          retryAfterSeconds(response.headers.get('retry-after')),
        );
      }
      return { response, text: await readBodyText(response, this.transport.maxResponseBytes, this.run.readBudget, 'The CalDAV server') };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      this.run.signal?.throwIfAborted();
      if (error instanceof OutboundRefusedError) throw new ProviderError('ADDRESS_REFUSED', `Refused to connect to ${url.origin}: ${error.message}`);
      if ((error as Error).name === 'TimeoutError')
        throw new ProviderError('TEMPORARY', `The CalDAV server at ${url.origin} did not answer within ${this.transport.requestTimeoutMs / 1000} s`);
      // The cause (refused, reset, unreachable) stays out: it would tell open ports from closed ones.
      throw new ProviderError('TEMPORARY', `The CalDAV server at ${url.origin} could not be reached`);
    }
  }
}

/**
 * The multistatus of a 207 answer.
 * @throws ProviderError UNKNOWN when it is not a well-formed multistatus.
 */
export function readMultistatus(answer: DavAnswer, action: string): Multistatus {
  try {
    return parseMultistatus(answer.text);
  } catch (error) {
    if (!(error instanceof NotMultistatusError)) throw error;
    throw new ProviderError('UNKNOWN', `The CalDAV server's answer to ${action} is not a WebDAV multistatus: ${error.message}`);
  }
}

/**
 * The error for a status a caller did not expect (401, 429 and 502-504 were handled by the
 * session). Bodies are never quoted: they may come from anywhere. A `DAV:error` precondition
 * (RFC 4918 section 16) and SabreDAV's `s:exception` name are, being short identifiers.
 * - 403: FORBIDDEN (this account may not do this here, e.g. write a read-only collection; its
 *   credentials are fine);
 * - 404, 410: NOT_FOUND;
 * - anything else (500, 507, 409 with a precondition, ...): UNKNOWN.
 */
export function statusError(answer: DavAnswer, action: string): ProviderError {
  const { status } = answer;
  const reason = [preconditionOf(answer.text), /<(?:[\w-]+:)?exception>\s*([\w\\.]{1,120})\s*</.exec(answer.text)?.[1]].filter(Boolean).join(', ');
  const described = `The CalDAV server answered HTTP ${status}${reason ? ` (${reason})` : ''} to ${action}`;
  if (status === 403) return new ProviderError('FORBIDDEN', described);
  if (status === 404 || status === 410) return new ProviderError('NOT_FOUND', described);
  return new ProviderError('UNKNOWN', described);
}

/** The local name of the first precondition element of a `DAV:error` body, e.g. `valid-sync-token`. */
export function preconditionOf(text: string): string | null {
  return /<(?:[\w-]+:)?error\b[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/.exec(text)?.[1] ?? null;
}
