/**
 * Conditional writes of calendar object resources (RFC 4791 section 5.3.2, RFC 7232), for
 * exporting appointments to a CalDAV collection. Every request goes through {@link caldavFetch}
 * (401 → AUTH_REVOKED, 429/5xx/network → TEMPORARY with Retry-After) inside {@link withRetry}.
 */
import { propfind } from 'tsdav';
import { ProviderError, type ExportedEventRef } from '../provider';
import { withRetry } from '../retry';
import { caldavFetch } from './caldav-fetch';

/**
 * How often a write is attempted again after a 412 that named a newer version: more means
 * someone keeps changing the object at the same moment, which is worth retrying later instead.
 */
const MAX_CONFLICTS = 3;

/** What a PUT may require of the object's current state. */
type Precondition = { ifNoneMatch: '*' } | { ifMatch: string };

/** The absolute URL of the object `<exportId>.ics` inside a collection (whose URL may lack its final slash). */
export function exportObjectUrl(collectionUrl: string, exportId: string): string {
  const collection = collectionUrl.endsWith('/') ? collectionUrl : `${collectionUrl}/`;
  return new URL(`${encodeURIComponent(exportId)}.ics`, collection).toString();
}

/**
 * Writes `ics` at `url` and returns where it lives with its new ETag.
 * - `create`: PUT with `If-None-Match: *`, so that no object is replaced by accident. A 412
 *   means an earlier attempt already stored it: its current ETag is read and the PUT repeated
 *   with `If-Match`, so that it holds this content; still one object.
 * - `update` with `etag`: PUT with `If-Match: etag`. A 412 means it changed meanwhile: the write
 *   is repeated over the current ETag, because Calsync's appointment is authoritative; when the
 *   object is gone (GET 404, or the PUT's 404), NOT_FOUND. Without an etag the current one is read first.
 * The ETag comes from the PUT's response, or from a GET (then PROPFIND) when the server sent
 * none, which it must not when it stored other bytes than it was given (RFC 4791 section 5.3.4).
 * @throws ProviderError NOT_FOUND (the collection, or for `update` the object, is gone: 404,
 *   bare 409), AUTH_REVOKED (401, bare 403), TEMPORARY (429/5xx/network, or more than
 *   {@link MAX_CONFLICTS} conflicting changes in a row), UNKNOWN (other statuses, and 403/409
 *   naming a precondition such as `CALDAV:no-uid-conflict`).
 */
export async function putObject(
  url: string,
  ics: string,
  auth: Record<string, string>,
  mode: { create: true } | { create: false; etag: string | null },
): Promise<ExportedEventRef> {
  let precondition: Precondition | null = mode.create ? { ifNoneMatch: '*' } : mode.etag !== null ? { ifMatch: mode.etag } : null;
  for (let attempt = 0; attempt <= MAX_CONFLICTS; attempt++) {
    if (precondition === null) {
      const current = await currentEtag(url, auth);
      if (current === null) throw new ProviderError('NOT_FOUND', `Calendar object ${url} no longer exists`);
      precondition = { ifMatch: current };
    }
    const headers: Record<string, string> = { ...auth, 'content-type': 'text/calendar; charset=utf-8' };
    if ('ifNoneMatch' in precondition) headers['if-none-match'] = precondition.ifNoneMatch;
    else headers['if-match'] = precondition.ifMatch;
    const response = await send(url, { method: 'PUT', headers, body: ics });
    if (response.ok) {
      await response.body?.cancel();
      const etag = response.headers.get('etag');
      return { providerEventId: url, etag: etag ?? (await currentEtag(url, auth)) };
    }
    if (response.status === 412) {
      await response.body?.cancel();
      // Created by an earlier attempt, or changed by someone else: write over its current version.
      const current = await currentEtag(url, auth);
      if (current !== null) precondition = { ifMatch: current };
      else if (mode.create) precondition = { ifNoneMatch: '*' };
      else throw new ProviderError('NOT_FOUND', `Calendar object ${url} no longer exists`);
      continue;
    }
    throw await failure(response, `PUT ${url}`, mode.create ? `The calendar of ${url}` : `Calendar object ${url}`);
  }
  throw new ProviderError('TEMPORARY', `Calendar object ${url} kept changing while it was written`);
}

/**
 * Deletes the object at `url`: DELETE with `If-Match: etag`, and when that answers 412 (it
 * changed since, RFC 7232 section 3.1) DELETE without it, since the appointment's removal wins.
 * An object already gone (404, or 410) counts as deleted.
 * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN as {@link putObject}.
 */
export async function deleteObject(url: string, etag: string | null, auth: Record<string, string>): Promise<void> {
  let response = await send(url, { method: 'DELETE', headers: etag === null ? auth : { ...auth, 'if-match': etag } });
  if (response.status === 412) {
    await response.body?.cancel();
    response = await send(url, { method: 'DELETE', headers: auth });
  }
  if (response.ok || response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    return;
  }
  throw await failure(response, `DELETE ${url}`, null);
}

/**
 * The current ETag of the object at `url`, or null when it does not exist: from a GET, or, when
 * the GET carries no ETag header, from a depth-0 PROPFIND of DAV:getetag (RFC 4918 section 15.6).
 */
async function currentEtag(url: string, auth: Record<string, string>): Promise<string | null> {
  const response = await send(url, { method: 'GET', headers: auth });
  if (!response.ok && response.status !== 404 && response.status !== 410) throw await failure(response, `GET ${url}`, null);
  await response.body?.cancel();
  if (!response.ok) return null;
  const header = response.headers.get('etag');
  if (header !== null) return header;
  const [answer] = await withRetry(() => propfind({ url, props: { 'd:getetag': {} }, depth: '0', headers: auth, fetch: caldavFetch }));
  const etag = answer?.props?.getetag;
  if (typeof etag !== 'string' || etag === '') throw new ProviderError('UNKNOWN', `The CalDAV server gives no ETag for ${url}`);
  return etag;
}

/** One request, retried while TEMPORARY; the caller reads the status. */
function send(url: string, init: RequestInit): Promise<Response> {
  return withRetry(() => caldavFetch(url, init));
}

/**
 * The error for a status the caller does not expect (401, 429 and 5xx were thrown by caldavFetch).
 * - A 403 or 409 naming a precondition in a DAV:error body (RFC 4918 section 16; RFC 4791
 *   section 5.3.2.1, e.g. `no-uid-conflict`, which Radicale sends with 409) refuses this object,
 *   not the account or the calendar: UNKNOWN, with the precondition's name.
 * - A bare 403: the account may not write here (any more), which only its owner can mend: AUTH_REVOKED.
 * - 404, and a bare 409 (RFC 4918 section 9.7.1: the parent collection does not exist):
 *   NOT_FOUND, naming `missing`; when `missing` is null, UNKNOWN.
 */
async function failure(response: Response, action: string, missing: string | null): Promise<ProviderError> {
  const body = (await response.text().catch(() => '')).slice(0, 2000);
  const { status } = response;
  const precondition = /<(?:[\w-]+:)?error\b[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/.exec(body)?.[1];
  if (precondition && (status === 403 || status === 409)) {
    return new ProviderError('UNKNOWN', `The CalDAV server refused ${action}: precondition ${precondition} failed (HTTP ${status})`);
  }
  if (status === 403) return new ProviderError('AUTH_REVOKED', `The CalDAV server refused ${action} (HTTP 403)`);
  if (missing !== null && (status === 404 || status === 409)) return new ProviderError('NOT_FOUND', `${missing} no longer exists (HTTP ${status})`);
  return new ProviderError('UNKNOWN', `${action} failed: HTTP ${status} ${body.slice(0, 200)}`.trim());
}
