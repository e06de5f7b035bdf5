/**
 * Reading calendar collections (RFC 4791) without asking the server to evaluate recurrence:
 * the members are listed with their ETags (a depth-1 PROPFIND, or RFC 6578 sync-collection for
 * what changed since a sync-token) and read with calendar-multiget; which occurrences exist is
 * decided by Calsync's expander. Xandikos ignores RRULE in time-range queries, SabreDAV 4 fails
 * them with HTTP 500 once a series has more than 3,500 instances and drops zero-length events,
 * and its database indexes an object by its first VEVENT, so none of that is used here.
 */
import { ProviderError } from '../provider';
import type { DavSession } from './dav-session';
import { preconditionOf, readMultistatus, statusError } from './dav-session';
import {
  APPLE_ICAL,
  CALDAV,
  CALENDARSERVER,
  children,
  DAV,
  calendarQueryBody,
  multigetBody,
  propChildren,
  propElement,
  propfindBody,
  propPrivileges,
  propText,
  syncCollectionBody,
  type DavResponse,
  type PropName,
} from './dav-xml';

const RESOURCE_TYPE: PropName = `{${DAV}}resourcetype`;
const DISPLAY_NAME: PropName = `{${DAV}}displayname`;
const GET_ETAG: PropName = `{${DAV}}getetag`;
const SYNC_TOKEN: PropName = `{${DAV}}sync-token`;
const CTAG: PropName = `{${CALENDARSERVER}}getctag`;
const CALENDAR_COLOR: PropName = `{${APPLE_ICAL}}calendar-color`;
const CALENDAR_TIMEZONE: PropName = `{${CALDAV}}calendar-timezone`;
const COMPONENT_SET: PropName = `{${CALDAV}}supported-calendar-component-set`;
const CALENDAR_DATA: PropName = `{${CALDAV}}calendar-data`;
const PRIVILEGES: PropName = `{${DAV}}current-user-privilege-set`;
const CALENDAR: PropName = `{${CALDAV}}calendar`;
const COLLECTION: PropName = `{${DAV}}collection`;
/** Privileges that let the account add a member to a collection (RFC 3744 sections 3.9, 3.12 and 5.4). */
const WRITE_PRIVILEGES: ReadonlySet<PropName> = new Set([`{${DAV}}all`, `{${DAV}}write`, `{${DAV}}bind`]);

/** Hrefs per calendar-multiget REPORT: answers stay a few MiB even for large objects. */
const MULTIGET_BATCH = 100;
/** sync-collection answers a truncated page with 507 (RFC 6578 section 3.6); this bounds the pages of one sync. */
const MAX_SYNC_PAGES = 1_000;

/** A calendar collection of a calendar home, as listed. */
export interface CollectionInfo {
  /** Absolute URL, resolved against the home that listed it. */
  url: string;
  displayName: string | null;
  color: string | null;
  /** The whole VTIMEZONE of `calendar-timezone` (RFC 4791 section 5.2.2), or null. */
  timezone: string | null;
  ctag: string | null;
  /** Whether the account may add objects, from `current-user-privilege-set`; true when the server does not say. */
  canWrite: boolean;
}

/** A member of a collection: its href as the server writes it and its ETag (empty when the server gives none). */
export interface Member {
  href: string;
  etag: string;
}

/** A calendar object as read. */
export interface CalendarObject extends Member {
  data: string;
}

/** What changed since a sync-token. */
export interface CollectionChanges {
  token: string;
  /** Changed or new members, by path. */
  changed: Map<string, Member>;
  /** Paths of removed members. */
  removed: Set<string>;
}

/**
 * The calendar collections holding events among the members of a calendar home (depth-1
 * PROPFIND): resourcetype `CALDAV:calendar`, and VEVENT among the supported components when the
 * server lists them (RFC 4791 section 5.2.3), so task lists and inboxes are left out.
 * @throws ProviderError as DavSession.multistatus.
 */
export async function listCollections(session: DavSession, homeUrl: string): Promise<CollectionInfo[]> {
  const props = [RESOURCE_TYPE, DISPLAY_NAME, CALENDAR_COLOR, CALENDAR_TIMEZONE, CTAG, COMPONENT_SET, PRIVILEGES];
  const { url, multistatus } = await session.multistatus({ method: 'PROPFIND', url: homeUrl, depth: '1', body: propfindBody(props) }, `PROPFIND ${homeUrl}`);
  return multistatus.responses
    .filter((response) => response.href && propChildren(response, RESOURCE_TYPE).includes(CALENDAR) && holdsEvents(response))
    .map((response) => ({
      url: new URL(response.href, url).toString(),
      displayName: propText(response, DISPLAY_NAME),
      color: propText(response, CALENDAR_COLOR),
      timezone: propText(response, CALENDAR_TIMEZONE),
      ctag: propText(response, CTAG),
      canWrite: mayWrite(response),
    }))
    .filter((collection) => pathOf(collection.url) !== pathOf(url));
}

function holdsEvents(response: DavResponse): boolean {
  const set = propElement(response, COMPONENT_SET);
  const names = set ? children(set, CALDAV, 'comp').map((comp) => (comp.getAttribute('name') ?? '').toUpperCase()) : [];
  return names.length === 0 || names.includes('VEVENT');
}

function mayWrite(response: DavResponse): boolean {
  const privileges = propPrivileges(response);
  return privileges === null || privileges.some((privilege) => WRITE_PRIVILEGES.has(privilege));
}

/**
 * The collection's DAV:sync-token (RFC 6578 section 4) and CalendarServer ctag, each null when
 * the server has none.
 * @throws ProviderError NOT_FOUND when the collection is gone.
 */
export async function collectionState(session: DavSession, collectionUrl: string): Promise<{ token: string | null; ctag: string | null }> {
  const { multistatus } = await session.multistatus(
    { method: 'PROPFIND', url: collectionUrl, depth: '0', body: propfindBody([SYNC_TOKEN, CTAG]) },
    `PROPFIND ${collectionUrl}`,
  );
  const response = multistatus.responses[0];
  if (!response) throw new ProviderError('UNKNOWN', `The CalDAV server answered PROPFIND ${collectionUrl} with an empty multistatus`);
  if (response.status === 404) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
  return { token: propText(response, SYNC_TOKEN), ctag: propText(response, CTAG) };
}

/**
 * Every member of a collection with its ETag, by path (depth-1 PROPFIND), sub-collections left
 * out. Names need not end in `.ics` (RFC 4791 section 4.1), and the content type is not trusted
 * either: Xandikos reports an object stored without the extension as application/octet-stream.
 * @throws ProviderError NOT_FOUND when the collection is gone; UNKNOWN when the answer does not
 *   list the collection itself (a broken or foreign answer, which must not read as "empty").
 */
export async function listMembers(session: DavSession, collectionUrl: string): Promise<Map<string, Member>> {
  const { url, multistatus } = await session.multistatus(
    { method: 'PROPFIND', url: collectionUrl, depth: '1', body: propfindBody([RESOURCE_TYPE, GET_ETAG]) },
    `PROPFIND ${collectionUrl}`,
  );
  const self = pathOf(url);
  if (!multistatus.responses.some((response) => pathOf(new URL(response.href, url).toString()) === self)) {
    throw new ProviderError('UNKNOWN', `The CalDAV server's listing of ${collectionUrl} does not include the collection itself`);
  }
  const members = new Map<string, Member>();
  for (const response of multistatus.responses) {
    const path = pathOf(new URL(response.href, url).toString());
    if (path === self || response.status === 404 || propChildren(response, RESOURCE_TYPE).includes(COLLECTION)) continue;
    members.set(path, { href: response.href, etag: propText(response, GET_ETAG) ?? '' });
  }
  return members;
}

/**
 * What changed since `token` (RFC 6578 section 3), pages continued while the server truncates
 * them with a 507 for the collection itself (section 3.6).
 * @throws ProviderError SYNC_CURSOR_INVALID when the server refuses the token (403 or 409, e.g.
 *   DAV:valid-sync-token, section 3.2); NOT_FOUND when the collection is gone.
 * @see https://www.rfc-editor.org/rfc/rfc6578#section-3.6
 */
export async function changesSince(session: DavSession, collectionUrl: string, token: string): Promise<CollectionChanges> {
  const result: CollectionChanges = { token, changed: new Map(), removed: new Set() };
  for (let page = 0; page < MAX_SYNC_PAGES; page++) {
    const action = `sync-collection REPORT on ${collectionUrl}`;
    const answer = await session.send({ method: 'REPORT', url: collectionUrl, depth: '0', body: syncCollectionBody(result.token, [GET_ETAG]) });
    if (answer.status === 403 || answer.status === 409 || (answer.status === 400 && preconditionOf(answer.text) === 'valid-sync-token')) {
      throw new ProviderError('SYNC_CURSOR_INVALID', `The CalDAV server refused the sync-token of ${collectionUrl} (HTTP ${answer.status})`);
    }
    if (answer.status !== 207) throw statusError(answer, action);
    const multistatus = readMultistatus(answer, action);
    if (multistatus.syncToken === null) throw new ProviderError('UNKNOWN', `The CalDAV server sent no sync-token for ${collectionUrl}`);
    const self = pathOf(answer.url);
    let truncated = false;
    for (const response of multistatus.responses) {
      const path = pathOf(new URL(response.href, answer.url).toString());
      if (path === self) {
        if (response.status === 507) truncated = true;
        else if (response.status === 404) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
        continue;
      }
      if (response.status === 404) {
        result.changed.delete(path);
        result.removed.add(path);
      } else {
        result.removed.delete(path);
        result.changed.set(path, { href: response.href, etag: propText(response, GET_ETAG) ?? '' });
      }
    }
    result.token = multistatus.syncToken;
    if (!truncated) return result;
  }
  throw new ProviderError('UNKNOWN', `The CalDAV server kept truncating the changes of ${collectionUrl} after ${MAX_SYNC_PAGES} pages`);
}

/**
 * Reads calendar objects with calendar-multiget (RFC 4791 section 7.9), in batches, sending
 * each href as the server wrote it. `gone` holds the paths the server answered 404 for (deleted
 * meanwhile); a member in neither was not returned at all.
 * @throws ProviderError NOT_FOUND when the collection is gone, as DavSession.multistatus otherwise.
 */
export async function readObjects(
  session: DavSession,
  collectionUrl: string,
  members: Member[],
): Promise<{ objects: Map<string, CalendarObject>; gone: Set<string> }> {
  const objects = new Map<string, CalendarObject>();
  const gone = new Set<string>();
  for (let offset = 0; offset < members.length; offset += MULTIGET_BATCH) {
    const batch = members.slice(offset, offset + MULTIGET_BATCH);
    const { url, multistatus } = await session.multistatus(
      {
        method: 'REPORT',
        url: collectionUrl,
        depth: '1',
        body: multigetBody(
          [GET_ETAG, CALENDAR_DATA],
          batch.map((member) => member.href),
        ),
      },
      `calendar-multiget REPORT on ${collectionUrl}`,
    );
    for (const response of multistatus.responses) {
      const path = pathOf(new URL(response.href, url).toString());
      const data = response.props.get(CALENDAR_DATA)?.textContent;
      if (response.status === 404) gone.add(path);
      else if (typeof data === 'string') objects.set(path, { href: response.href, etag: propText(response, GET_ETAG) ?? '', data });
    }
  }
  return { objects, gone };
}

/**
 * Every calendar object of a collection in one calendar-query REPORT (RFC 4791 section 7.8)
 * whose filter matches any VCALENDAR: no time-range, so the server evaluates no recurrence. On
 * Radicale, Xandikos and SabreDAV this is several times faster than listing and multiget, and
 * on Xandikos some forty times (its multiget looks every href up anew). Null when the server
 * refuses or fails the query, or the answer is too large: the caller then reads the listed
 * members with calendar-multiget.
 * @throws ProviderError AUTH_REVOKED, TEMPORARY (those concern the account and the server, not the query).
 */
export async function queryObjects(session: DavSession, collectionUrl: string): Promise<Map<string, CalendarObject> | null> {
  try {
    const { url, multistatus } = await session.multistatus(
      { method: 'REPORT', url: collectionUrl, depth: '1', body: calendarQueryBody([GET_ETAG, CALENDAR_DATA]) },
      `calendar-query REPORT on ${collectionUrl}`,
    );
    const objects = new Map<string, CalendarObject>();
    for (const response of multistatus.responses) {
      const data = response.props.get(CALENDAR_DATA)?.textContent;
      if (typeof data === 'string')
        objects.set(pathOf(new URL(response.href, url).toString()), { href: response.href, etag: propText(response, GET_ETAG) ?? '', data });
    }
    return objects;
  } catch (error) {
    if (error instanceof ProviderError && (error.code === 'AUTH_REVOKED' || error.code === 'TEMPORARY')) throw error;
    return null;
  }
}

/**
 * Reads one calendar object with a GET: its text and ETag; null when it is gone (404, 410); the
 * reason when the answer is not iCalendar or the status another failure.
 * @throws ProviderError as DavSession.send.
 */
export async function readObject(session: DavSession, url: string): Promise<{ data: string; etag: string } | null | string> {
  const answer = await session.send({ method: 'GET', url });
  if (answer.status === 404 || answer.status === 410) return null;
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  if (!/^\s*BEGIN:VCALENDAR/i.test(answer.text.replace(/^\uFEFF/, ''))) return 'not an iCalendar object';
  return { data: answer.text, etag: answer.headers.get('etag') ?? '' };
}

/**
 * The decoded path of an absolute URL without a final slash, the key under which members and
 * collections are compared across answers (servers differ in percent-encoding and in the slash).
 */
export function pathOf(url: string): string {
  const pathname = new URL(url).pathname.replace(/(.)\/+$/, '$1');
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
