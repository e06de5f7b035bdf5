import { ProviderError } from '../provider';
import { retryAfterSeconds } from '../retry';

/**
 * What we read of a gaxios error. Matched by shape, not `instanceof`: googleapis-common and
 * google-auth-library each bundle their own gaxios copy.
 */
interface GaxiosLikeError {
  status?: unknown;
  code?: unknown;
  cause?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

/** Google's JSON error bodies: the API's `{ error: { errors: [{ reason }], message } }` or OAuth's `{ error, error_description }`. */
interface GoogleErrorBody {
  error?: string | { message?: string; errors?: Array<{ reason?: string }> };
  error_description?: string;
}

/** System and fetch (undici) codes of a request that never got an answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
  'AbortError',
]);

/** 403 reasons of a per-minute rate limit: over within seconds, retried with exponential backoff (https://developers.google.com/calendar/api/guides/errors). */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/**
 * 403 reasons of a limit that lasts: `quotaExceeded` ("Calendar usage limits exceeded", the
 * account's anti-abuse limits, which Google lifts only after a while) and `dailyLimitExceeded`
 * (the project's daily quota). Google gives no Retry-After for them and documents no duration,
 * so Calsync waits {@link QUOTA_BACKOFF_SECONDS} at least: retrying within seconds only burns requests.
 * @see https://developers.google.com/calendar/api/guides/errors
 * @see https://developers.google.com/calendar/api/guides/quota
 */
const QUOTA_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded']);

/** How long a quota reason holds syncs and exports of the account back, seconds: 3 hours (Calsync's choice). */
export const QUOTA_BACKOFF_SECONDS = 3 * 3600;

/** 403 reasons meaning the grant lacks a scope: only a new consent fixes it. */
const SCOPE_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT']);

const TEMPORARY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** The message of an `invalid_grant`, shown to the owner of the connection; Google's `error_description` follows it. */
export const INVALID_GRANT_MESSAGE = 'Google refused the grant: access was revoked or expired; reconnect the account';

/**
 * Turns what googleapis or google-auth-library threw into a {@link ProviderError}:
 * - 401, and OAuth `invalid_grant` (HTTP 400) -> AUTH_REVOKED, the latter with Google's
 *   `error_description` ("Token has been expired or revoked.") in the message; OAuth `invalid_client` (the
 *   gateway's own client id or secret is wrong: no reconnection helps) -> UNKNOWN;
 * - 403 `rateLimitExceeded` / `userRateLimitExceeded` -> TEMPORARY with `Retry-After` when sent
 *   (exponential backoff otherwise); 403 `quotaExceeded` / `dailyLimitExceeded` -> TEMPORARY
 *   with `retryAfterSeconds` of at least {@link QUOTA_BACKOFF_SECONDS} (3 hours) and a message
 *   that says so, since the sync engine shows it on the connection;
 *   403 `insufficientPermissions` (a scope was not granted) -> AUTH_REVOKED;
 *   403 `accessNotConfigured` (the Calendar API is off in the Cloud project: the operator's
 *   problem) -> UNKNOWN; any other 403 (`forbidden`: the account cannot read that calendar
 *   any more, e.g. it was unshared) -> NOT_FOUND, because for this connection the calendar is
 *   gone, and neither a retry nor a new consent would bring it back;
 * - 400 `pushNotSupportedForRequestedResource` (events.watch on a calendar Google sends no
 *   notifications for: holidays, birthdays, week numbers) -> FORBIDDEN, since asking again never helps;
 * - 404, and 410 `deleted` -> NOT_FOUND; any other 410 (`fullSyncRequired`) -> SYNC_CURSOR_INVALID;
 * - 408, 429, 500, 502, 503, 504 and network failures (refused, reset, timed out) -> TEMPORARY,
 *   with `retryAfterSeconds` from `Retry-After` (RFC 9110 section 10.2.3) when sent;
 * - anything else -> UNKNOWN. A ProviderError passes through unchanged.
 * Messages name the operation, the status and Google's reason, never a token nor a URL (revoke
 * URLs carry the token in their query).
 * @param action what was attempted, for the message: "Listing events of calendar x".
 * @see https://developers.google.com/calendar/api/guides/errors
 * @see https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 */
export function parseGoogleError(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const gaxios = (typeof error === 'object' && error !== null ? error : {}) as GaxiosLikeError;
  const status = numberOrUndefined(gaxios.response?.status) ?? numberOrUndefined(gaxios.status);
  if (status === undefined) {
    const code = networkCode(error);
    return code
      ? new ProviderError('TEMPORARY', `${action}: Google could not be reached (${code})`)
      : new ProviderError('UNKNOWN', `${action}: the request to Google failed`);
  }
  const body = (typeof gaxios.response?.data === 'object' ? gaxios.response.data : {}) as GoogleErrorBody | null;
  const reason = reasonOf(body);
  const described = `${action}: Google answered HTTP ${status}${reason ? ` (${reason})` : ''}`;

  if (reason === 'invalid_grant') return new ProviderError('AUTH_REVOKED', withDescription(INVALID_GRANT_MESSAGE, body?.error_description));
  if (reason === 'invalid_client') return new ProviderError('UNKNOWN', `${described}: check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET`);
  if (status === 401) return new ProviderError('AUTH_REVOKED', `${described}: the access token was refused; reconnect the account`);
  if (status === 403) {
    const retryAfter = retryAfterSeconds(headerValue(gaxios.response?.headers, 'retry-after'));
    if (reason && RATE_LIMIT_REASONS.has(reason)) return new ProviderError('TEMPORARY', described, retryAfter);
    if (reason && QUOTA_REASONS.has(reason)) {
      const seconds = Math.max(retryAfter ?? 0, QUOTA_BACKOFF_SECONDS);
      return new ProviderError(
        'TEMPORARY',
        `${described}: Google's usage limit for this account was reached; Calsync waits ${Math.ceil(seconds / 3600)} hours before trying again`,
        seconds,
      );
    }
    if (reason && SCOPE_REASONS.has(reason)) return new ProviderError('AUTH_REVOKED', `${described}: a permission was not granted; reconnect the account`);
    if (reason === 'accessNotConfigured') return new ProviderError('UNKNOWN', `${described}: enable the Calendar API in the Google Cloud project`);
    return new ProviderError('NOT_FOUND', `${described}: the account has no access to it`);
  }
  if (status === 400 && reason === 'pushNotSupportedForRequestedResource')
    return new ProviderError('FORBIDDEN', `${described}: Google takes no push channel on this calendar; it is polled instead`);
  if (status === 404 || (status === 410 && reason === 'deleted')) return new ProviderError('NOT_FOUND', described);
  if (status === 410) return new ProviderError('SYNC_CURSOR_INVALID', described);
  if (TEMPORARY_STATUSES.has(status)) return new ProviderError('TEMPORARY', described, retryAfterSeconds(headerValue(gaxios.response?.headers, 'retry-after')));
  return new ProviderError('UNKNOWN', described);
}

function withDescription(message: string, description: string | undefined): string {
  return typeof description === 'string' && description.trim() ? `${message} (Google: ${description.trim()})` : message;
}

function reasonOf(body: GoogleErrorBody | null): string | undefined {
  const error = body?.error;
  if (typeof error === 'string') return error;
  return error?.errors?.find((item) => typeof item.reason === 'string')?.reason;
}

/** gaxios 7 hands a fetch `Headers`; older builds and tests a plain record. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** fetch hides the system error a few `cause`s deep (TypeError "fetch failed" -> Error ECONNREFUSED). */
function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (typeof name === 'string' && NETWORK_CODES.has(name)) return name;
    current = cause;
  }
  return undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
