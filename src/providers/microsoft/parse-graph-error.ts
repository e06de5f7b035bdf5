import { ProviderError } from '../provider';
import { retryAfterSeconds } from '../retry';

/**
 * What a failed Graph call tells us. `GraphError` of `@microsoft/microsoft-graph-client` has this
 * shape (its `statusCode` is -1 when no response came back); plain `fetch` callers build it
 * from the response.
 */
export interface GraphFailure {
  statusCode: number;
  /** `error.code` of the JSON error body, e.g. `InvalidAuthenticationToken`. */
  code: string | null;
  headers?: Headers;
}

/** Delta state that Graph no longer has: the round must start again from the window. */
const EXPIRED_SYNC_STATE_CODES = new Set(['syncstatenotfound', 'syncstateinvalid', 'resyncrequired']);
const TEMPORARY_STATUSES = new Set([429, 500, 502, 503, 504]);
/**
 * Graph's codes for a mailbox it cannot serve at all: "The mailbox is either inactive,
 * soft-deleted, or is hosted on-premise" (no Exchange Online licence, a deleted user, an Exchange
 * Server mailbox without hybrid REST access), answered 404 on every calendar request.
 * @see https://learn.microsoft.com/graph/hybrid-rest-support
 */
const MAILBOX_UNAVAILABLE_CODES = new Set(['mailboxnotenabledforrestapi', 'mailboxnotsupportedforrestapi']);

/**
 * Maps one failed Microsoft Graph request to a {@link ProviderError}:
 * - 401 or `InvalidAuthenticationToken` -> AUTH_REVOKED (the access token was refused even
 *   though the caller refreshed it; the owner must reconnect);
 * - 404 `MailboxNotEnabledForRESTAPI` -> NOT_FOUND saying the mailbox is inactive,
 *   soft-deleted or on-premises (no reconnect helps; the account needs an Exchange Online mailbox);
 * - 404 or `ErrorItemNotFound` -> NOT_FOUND;
 * - 410 or `syncStateNotFound` / `syncStateInvalid` / `resyncRequired` -> SYNC_CURSOR_INVALID
 *   (Graph answers an expired delta token with either, depending on the workload);
 * - 429, 500, 502, 503, 504 and any failure without a response (network, timeout) ->
 *   TEMPORARY, with `retryAfterSeconds` from `Retry-After` (delta-seconds or HTTP-date,
 *   RFC 9110 section 10.2.3);
 * - anything else -> UNKNOWN.
 * The message names the action, the status and Graph's error code; it never quotes a request,
 * so no token can leak into logs. A {@link ProviderError} passes through unchanged.
 * @param action what was being done, for the message ("listing calendars").
 * @see https://learn.microsoft.com/graph/errors
 * @see https://learn.microsoft.com/graph/throttling
 * @see https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
 */
export function parseGraphError(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!isGraphFailure(error) || error.statusCode <= 0) {
    return new ProviderError('TEMPORARY', `Microsoft Graph could not be reached while ${action} (${networkCause(error)})`);
  }
  const { statusCode: status, code } = error;
  const normalizedCode = code?.toLowerCase() ?? '';
  const what = code ? `HTTP ${status} ${code}` : `HTTP ${status}`;
  if (status === 401 || normalizedCode === 'invalidauthenticationtoken') {
    return new ProviderError('AUTH_REVOKED', `Microsoft Graph refused the access token while ${action} (${what}); reconnect the account`);
  }
  if (status === 410 || EXPIRED_SYNC_STATE_CODES.has(normalizedCode)) {
    return new ProviderError('SYNC_CURSOR_INVALID', `Microsoft Graph expired the delta token while ${action} (${what}); a full sync is needed`);
  }
  if (MAILBOX_UNAVAILABLE_CODES.has(normalizedCode)) {
    return new ProviderError(
      'NOT_FOUND',
      `Microsoft Graph cannot serve this mailbox while ${action} (${what}): it is inactive, soft-deleted or hosted on-premises; the account needs an active Exchange Online mailbox`,
    );
  }
  if (status === 404 || normalizedCode === 'erroritemnotfound') {
    return new ProviderError('NOT_FOUND', `Microsoft Graph found nothing while ${action} (${what})`);
  }
  if (TEMPORARY_STATUSES.has(status)) {
    return new ProviderError(
      'TEMPORARY',
      `Microsoft Graph is throttling or unavailable while ${action} (${what})`,
      retryAfterSeconds(error.headers?.get('retry-after')),
    );
  }
  return new ProviderError('UNKNOWN', `Microsoft Graph failed while ${action} (${what})`);
}

function isGraphFailure(error: unknown): error is GraphFailure {
  return typeof error === 'object' && error !== null && typeof (error as GraphFailure).statusCode === 'number';
}

/**
 * undici hides the socket error under `cause` (ECONNREFUSED, ...); the Graph client keeps only
 * the name of the error it wrapped (TypeError, TimeoutError) as `code`.
 */
function networkCause(error: unknown): string {
  const detail = error as { cause?: { code?: unknown }; code?: unknown } | null;
  if (typeof detail?.cause?.code === 'string') return detail.cause.code;
  if (typeof detail?.code === 'string') return detail.code;
  return error instanceof Error ? error.name : 'no response';
}
