/**
 * Conditional writes of calendar object resources (RFC 4791 section 5.3.2, RFC 7232), for
 * exporting appointments to a CalDAV collection. Every request goes through a {@link DavSession}
 * (401 → AUTH_REVOKED, 429/502-504/network → TEMPORARY with Retry-After, retried).
 */
import { ProviderError, type ExportedEventRef } from '../provider';
import { preconditionOf, statusError, type DavAnswer, type DavSession } from './dav-session';
import { DAV, propfindBody, propText } from './dav-xml';

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
 *   bare 409), FORBIDDEN (403: the account may not write there; it fails this export only),
 *   AUTH_REVOKED (401), TEMPORARY (429/502-504/network, or more than {@link MAX_CONFLICTS}
 *   conflicting changes in a row), UNKNOWN (other statuses, and 409 naming a precondition such
 *   as `CALDAV:no-uid-conflict`).
 */
export async function putObject(
  session: DavSession,
  url: string,
  ics: string,
  mode: { create: true } | { create: false; etag: string | null },
): Promise<ExportedEventRef> {
  let precondition: Precondition | null = mode.create ? { ifNoneMatch: '*' } : mode.etag !== null ? { ifMatch: mode.etag } : null;
  for (let attempt = 0; attempt <= MAX_CONFLICTS; attempt++) {
    if (precondition === null) {
      const current = await currentEtag(session, url);
      if (current === null) throw new ProviderError('NOT_FOUND', `Calendar object ${url} no longer exists`);
      precondition = { ifMatch: current };
    }
    const headers: Record<string, string> = { 'content-type': 'text/calendar; charset=utf-8' };
    if ('ifNoneMatch' in precondition) headers['if-none-match'] = precondition.ifNoneMatch;
    else headers['if-match'] = precondition.ifMatch;
    const answer = await session.send({ method: 'PUT', url, headers, body: ics });
    if (ok(answer)) {
      const etag = answer.headers.get('etag');
      return { providerEventId: url, etag: etag ?? (await currentEtag(session, url)) };
    }
    if (answer.status === 412) {
      // Created by an earlier attempt, or changed by someone else: write over its current version.
      const current = await currentEtag(session, url);
      if (current !== null) precondition = { ifMatch: current };
      else if (mode.create) precondition = { ifNoneMatch: '*' };
      else throw new ProviderError('NOT_FOUND', `Calendar object ${url} no longer exists`);
      continue;
    }
    throw failure(answer, `PUT ${url}`, mode.create ? `The calendar of ${url}` : `Calendar object ${url}`);
  }
  throw new ProviderError('TEMPORARY', `Calendar object ${url} kept changing while it was written`);
}

/**
 * Deletes the object at `url`: DELETE with `If-Match: etag`, and when that answers 412 (it
 * changed since, RFC 7232 section 3.1) DELETE without it, since the appointment's removal wins.
 * An object already gone (404, or 410) counts as deleted.
 * @throws ProviderError FORBIDDEN, AUTH_REVOKED, TEMPORARY, UNKNOWN as {@link putObject}.
 */
export async function deleteObject(session: DavSession, url: string, etag: string | null): Promise<void> {
  let answer = await session.send({ method: 'DELETE', url, headers: etag === null ? {} : { 'if-match': etag } });
  if (answer.status === 412) answer = await session.send({ method: 'DELETE', url });
  if (ok(answer) || answer.status === 404 || answer.status === 410) return;
  throw failure(answer, `DELETE ${url}`, null);
}

/**
 * The current ETag of the object at `url`, or null when it does not exist: from a GET, or, when
 * the GET carries no ETag header, from a depth-0 PROPFIND of DAV:getetag (RFC 4918 section 15.6).
 */
async function currentEtag(session: DavSession, url: string): Promise<string | null> {
  const answer = await session.send({ method: 'GET', url });
  if (answer.status === 404 || answer.status === 410) return null;
  if (!ok(answer)) throw failure(answer, `GET ${url}`, null);
  const header = answer.headers.get('etag');
  if (header !== null) return header;
  const { multistatus } = await session.multistatus({ method: 'PROPFIND', url, depth: '0', body: propfindBody([`{${DAV}}getetag`]) }, `PROPFIND ${url}`);
  const etag = multistatus.responses[0] ? propText(multistatus.responses[0], `{${DAV}}getetag`) : null;
  if (etag === null) throw new ProviderError('UNKNOWN', `The CalDAV server gives no ETag for ${url}`);
  return etag;
}

function ok(answer: DavAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/**
 * The error for a status the caller does not expect (401, 429 and 502-504 were handled by the session).
 * - A 409 naming a precondition in a DAV:error body (RFC 4918 section 16; RFC 4791 section
 *   5.3.2.1, e.g. `no-uid-conflict`, which Radicale sends) refuses this object: UNKNOWN.
 * - 404, and a bare 409 (RFC 4918 section 9.7.1: the parent collection does not exist):
 *   NOT_FOUND, naming `missing`; when `missing` is null, UNKNOWN.
 * - Otherwise {@link statusError}: 403 is FORBIDDEN (this export only, never the connection).
 */
function failure(answer: DavAnswer, action: string, missing: string | null): ProviderError {
  const { status } = answer;
  if (missing !== null && (status === 404 || (status === 409 && preconditionOf(answer.text) === null))) {
    return new ProviderError('NOT_FOUND', `${missing} no longer exists (HTTP ${status})`);
  }
  const error = statusError(answer, action);
  return error.code === 'NOT_FOUND' ? new ProviderError('UNKNOWN', error.message) : error;
}
