import { ProviderError } from '../provider';

/** How long one CalDAV request may take before the server counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The `fetch` handed to tsdav: it adds a timeout and turns HTTP failures into
 * {@link ProviderError}s, because tsdav reports them as plain strings (or not at all, for
 * discovery). 401 means the credentials were refused; 429 and 5xx are temporary and carry
 * `Retry-After` (RFC 9110 section 10.2.3) when the server sent one; a network error is temporary.
 * Other statuses go back to tsdav, which understands 207 Multi-Status and 404; a 403 is not a
 * refused login but a refused request (RFC 6578 answers an invalid sync-token with one).
 */
export async function caldavFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ProviderError('TEMPORARY', `CalDAV server unreachable (${cause})`);
  }
  if (response.status === 401) {
    throw new ProviderError('AUTH_REVOKED', `The CalDAV server refused the credentials (HTTP ${response.status})`);
  }
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ProviderError(
      'TEMPORARY',
      `The CalDAV server answered HTTP ${response.status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return response;
}
