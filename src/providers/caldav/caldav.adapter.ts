import { expandCalendar } from '../ical/expand-calendar';
import { exportEventToIcs } from '../ical/export-event';
import type {
  CalDavCredentials,
  CalendarProvider,
  CalendarWriter,
  ChangeSet,
  DiscoveredCalendar,
  ExportedEventRef,
  ExportEvent,
  FetchOptions,
  FetchResult,
  NormalizedEvent,
} from '../provider';
import {
  changesSince,
  collectionState,
  listCollections,
  listMembers,
  queryObjects,
  readObject,
  readObjects,
  type CalendarObject,
  type CollectionInfo,
  type Member,
} from './caldav-collections';
import { decodeCalDavCursor, diffListing, encodeCalDavCursor, type CalDavCursor, type KnownObject } from './caldav-cursor';
import { discoverHomes } from './caldav-discovery';
import { deleteObject, exportObjectUrl, putObject } from './caldav-write';
import { DavSession, type DavTransport } from './dav-session';

/** iCloud's CalDAV entry point; Apple accounts connect with an app-specific password. */
export const ICLOUD_CALDAV_URL = 'https://caldav.icloud.com';

/** What some calendar objects expand to in a window, with every UID each object holds. */
interface Expansion {
  events: NormalizedEvent[];
  skipped: FetchResult['skipped'];
  uidsByPath: Map<string, string[]>;
}

/**
 * CalDAV adapter (RFC 4791): discovery (RFC 6764, current-user-principal, calendar-home-set, on
 * whatever hosts the server names), calendar listing with write privileges (RFC 3744), and
 * reading that never lets the server decide which occurrences exist: a collection's objects are
 * listed with their ETags (depth-1 PROPFIND) and read all at once with a calendar-query that has
 * no time-range, or, after the first sync, only the changes are listed (sync-collection, RFC 6578,
 * or an ETag comparison where the server has no sync-token) and read with calendar-multiget; then
 * Calsync's expander (ical.js) expands and clips them.
 * Appointments are written as one calendar object each, `<exportId>.ics`, with conditional PUTs
 * (caldav-write.ts). Every request goes through a {@link DavSession} (authentication, redirects,
 * explicit headers, size and time limits).
 */
export class CalDavAdapter implements CalendarProvider, CalendarWriter {
  constructor(private readonly transport: DavTransport) {}

  /**
   * Logs in, discovers the account and lists its calendar collections that hold events; the
   * first is reported as primary.
   * @throws ProviderError AUTH_REVOKED when the server refuses the credentials, TEMPORARY when
   *   it cannot be reached or is overloaded, NOT_FOUND when no CalDAV service is found at the
   *   URL (the message says what each place tried answered), UNKNOWN for answers it cannot use.
   */
  async listCalendars(credentials: CalDavCredentials): Promise<DiscoveredCalendar[]> {
    const session = this.session(credentials);
    const collections = new Map<string, CollectionInfo>();
    for (const home of await discoverHomes(session, credentials.serverUrl)) {
      for (const collection of await listCollections(session, home)) if (!collections.has(collection.url)) collections.set(collection.url, collection);
    }
    return [...collections.values()].map((collection, index) => toDiscoveredCalendar(collection, index === 0));
  }

  /**
   * Every occurrence of one collection overlapping the window: all its objects read (listing and
   * calendar-query, multiget for what the query left out) and expanded.
   * Events are in UTC; floating and all-day times are read in `options.timeZone`.
   * @throws ProviderError NOT_FOUND when the collection is gone, FORBIDDEN when the account may
   *   not read it, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async fetchEvents(credentials: CalDavCredentials, collectionUrl: string, options: FetchOptions): Promise<FetchResult> {
    const session = this.session(credentials, options);
    const members = await listMembers(session, collectionUrl);
    const skipped: FetchResult['skipped'] = [];
    const expansion = expandObjects(await this.read(session, collectionUrl, members, skipped, await queryObjects(session, collectionUrl)), options);
    return { events: expansion.events, skipped: [...skipped, ...expansion.skipped] };
  }

  /**
   * Changes since `cursor` (see caldav-cursor.ts), or the whole window without one.
   * - With a sync-token: a sync-collection REPORT names the changed and removed objects.
   * - Without (the server has none): the ctag tells whether anything changed; when it moved, or
   *   the server has no ctag either, the members are listed and their ETags compared.
   * Only changed objects whose ETag differs from the cursor's are read. Their UIDs go to
   *   `replacedIds` (their occurrences in the window are those sent), the UIDs of removed objects
   *   to `deletedIds`. Without a cursor, every object is read; the sync-token and ctag are read
   *   first, so that no change slips between them and the listing.
   * @throws ProviderError SYNC_CURSOR_INVALID when the server refuses the sync-token (RFC 6578
   *   section 3.2); otherwise as {@link fetchEvents}.
   * @see https://www.rfc-editor.org/rfc/rfc6578#section-3.2
   */
  async fetchChanges(credentials: CalDavCredentials, collectionUrl: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const session = this.session(credentials, options);
    const known = decodeCalDavCursor(cursor);
    if (!known) return this.everything(session, collectionUrl, options);
    if (known.token !== null) {
      const changes = await changesSince(session, collectionUrl, known.token);
      const changed = [...changes.changed].filter(([path, member]) => member.etag === '' || known.objects.get(path)?.etag !== member.etag);
      return this.changed(session, collectionUrl, known, { token: changes.token, ctag: known.ctag }, new Map(changed), [...changes.removed], options);
    }
    const state = await collectionState(session, collectionUrl);
    if (state.ctag !== null && state.ctag === known.ctag) return { events: [], deletedIds: [], skipped: [], nextCursor: cursor, full: false };
    const members = await listMembers(session, collectionUrl);
    const { changed, removed } = diffListing(known.objects, members);
    return this.changed(session, collectionUrl, known, state, new Map(changed.map((path) => [path, members.get(path)!])), removed, options);
  }

  /** The whole window: every object read, and a cursor holding them all. */
  private async everything(session: DavSession, collectionUrl: string, options: FetchOptions): Promise<ChangeSet> {
    const state = await collectionState(session, collectionUrl);
    const members = await listMembers(session, collectionUrl);
    const skipped: FetchResult['skipped'] = [];
    const read = await this.read(session, collectionUrl, members, skipped, await queryObjects(session, collectionUrl));
    const expansion = expandObjects(read, options);
    const objects = new Map<string, KnownObject>();
    for (const [path, object] of read) remember(objects, path, object, expansion);
    return {
      events: expansion.events,
      skipped: [...skipped, ...expansion.skipped],
      deletedIds: [],
      nextCursor: encodeCalDavCursor({ ...state, objects }),
      full: true,
    };
  }

  /** Reads the changed objects and turns them and the removed ones into a change set against the cursor. */
  private async changed(
    session: DavSession,
    collectionUrl: string,
    known: CalDavCursor,
    state: Pick<CalDavCursor, 'token' | 'ctag'>,
    changed: Map<string, Member>,
    removed: string[],
    options: FetchOptions,
  ): Promise<ChangeSet> {
    const skipped: FetchResult['skipped'] = [];
    const read = changed.size === 0 ? new Map<string, CalendarObject>() : await this.read(session, collectionUrl, changed, skipped, null);
    const expansion = expandObjects(read, options);
    const objects = new Map(known.objects);
    const before = [...removed, ...read.keys()].flatMap((path) => known.objects.get(path)?.uids ?? []);
    for (const path of removed) objects.delete(path);
    for (const [path, object] of read) remember(objects, path, object, expansion);
    const remaining = new Set([...objects.values()].flatMap((object) => object.uids));
    return {
      events: expansion.events,
      skipped: [...skipped, ...expansion.skipped],
      deletedIds: [...new Set(before.filter((uid) => !remaining.has(uid)))],
      replacedIds: [...new Set([...expansion.uidsByPath.values()].flat())],
      nextCursor: encodeCalDavCursor({ ...state, objects }),
      full: false,
    };
  }

  /**
   * Reads the listed members: those a calendar-query already returned (`queried`, see
   * queryObjects) as it returned them, the others with calendar-multiget. One the multiget does
   * not return either (Xandikos keeps an object stored without `.ics` as
   * application/octet-stream, without calendar-data) is read with a GET; one that is not
   * iCalendar is skipped with a reason and stays out of the cursor, so that the next sync tries
   * it again. The ETag kept is the one read with the data, else the listing's.
   */
  private async read(
    session: DavSession,
    collectionUrl: string,
    listed: Map<string, Member>,
    skipped: FetchResult['skipped'],
    queried: Map<string, CalendarObject> | null,
  ): Promise<Map<string, CalendarObject>> {
    const objects = new Map([...(queried ?? [])].filter(([path]) => listed.has(path)));
    const rest = [...listed].filter(([path]) => !objects.has(path)).map(([, member]) => member);
    const { objects: multigot, gone } =
      rest.length === 0 ? { objects: new Map<string, CalendarObject>(), gone: new Set<string>() } : await readObjects(session, collectionUrl, rest);
    for (const [path, object] of multigot) objects.set(path, object);
    for (const [path, member] of listed) {
      const object = objects.get(path);
      if (object) object.etag ||= member.etag;
      else if (!gone.has(path)) {
        const fetched = await readObject(session, new URL(member.href, collectionUrl).toString());
        if (typeof fetched === 'string') skipped.push({ uid: null, reason: `Calendar object ${member.href} could not be read: ${fetched}` });
        else if (fetched) objects.set(path, { ...member, ...fetched, etag: fetched.etag || member.etag });
      }
    }
    return objects;
  }

  /**
   * Stores the appointment as `<collection URL><exportId>.ics` (a new object: PUT with
   * `If-None-Match: *`, RFC 4791 section 5.3.2); when an earlier attempt already stored it
   * (412), overwrites that one with `If-Match`. Returns the object's absolute URL and ETag.
   * @throws ProviderError NOT_FOUND when the collection is gone, FORBIDDEN when the account may
   *   not write there (403), AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async createEvent(credentials: CalDavCredentials, collectionUrl: string, event: ExportEvent): Promise<ExportedEventRef> {
    return putObject(this.session(credentials), exportObjectUrl(collectionUrl, event.exportId), exportEventToIcs(event), { create: true });
  }

  /**
   * Overwrites the object `ref.providerEventId` with `If-Match: ref.etag`; when it changed
   * meanwhile (412), writes again over its current ETag. Returns the new ETag.
   * @throws ProviderError NOT_FOUND when the object is gone, FORBIDDEN, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async updateEvent(credentials: CalDavCredentials, _collectionUrl: string, ref: ExportedEventRef, event: ExportEvent): Promise<ExportedEventRef> {
    return putObject(this.session(credentials), ref.providerEventId, exportEventToIcs(event), { create: false, etag: ref.etag });
  }

  /**
   * Deletes the object `ref.providerEventId` (DELETE with `If-Match`, without it after a 412);
   * an object already gone counts as deleted.
   * @throws ProviderError FORBIDDEN, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async deleteEvent(credentials: CalDavCredentials, _collectionUrl: string, ref: ExportedEventRef): Promise<void> {
    await deleteObject(this.session(credentials), ref.providerEventId, ref.etag);
  }

  private session(credentials: CalDavCredentials, run?: Pick<FetchOptions, 'signal' | 'readBudget'>): DavSession {
    return new DavSession(credentials, this.transport, run);
  }
}

/**
 * Puts an object read into the cursor with the UIDs it expanded to; one left unexpanded (over the
 * calendar's budget) keeps what the cursor knew, so that the next sync reads it again.
 */
function remember(objects: Map<string, KnownObject>, path: string, object: CalendarObject, expansion: Expansion): void {
  const uids = expansion.uidsByPath.get(path);
  if (uids) objects.set(path, { etag: object.etag, uids });
}

/**
 * Occurrences one calendar may yield in a window. Past it the remaining objects are not expanded
 * (reported skipped, and left out of the cursor), so that a hostile or broken server cannot make
 * a sync store millions of rows.
 */
export const MAX_OCCURRENCES_PER_CALENDAR = 100_000;

/** Expands calendar objects in the window, noting every UID each object holds. */
function expandObjects(objects: Map<string, CalendarObject>, options: FetchOptions): Expansion {
  const result: Expansion = { events: [], skipped: [], uidsByPath: new Map() };
  let left = 0;
  for (const [path, object] of objects) {
    if (result.events.length >= MAX_OCCURRENCES_PER_CALENDAR) {
      left += 1;
      continue;
    }
    if (object.data.trim() === '') {
      result.skipped.push({ uid: null, reason: `Empty calendar object ${object.href}` });
      result.uidsByPath.set(path, []);
      continue;
    }
    const expanded = expandCalendar(object.data, options);
    // One by one: spreading a large array into push overflows the stack.
    for (const event of expanded.events) result.events.push(event);
    for (const skip of expanded.skipped) result.skipped.push(skip);
    result.uidsByPath.set(path, expanded.uids);
  }
  if (left > 0) {
    result.skipped.push({
      uid: null,
      reason: `The calendar has more than ${MAX_OCCURRENCES_PER_CALENDAR} occurrences in the window; ${left} objects were not read`,
    });
  }
  return result;
}

function toDiscoveredCalendar(collection: CollectionInfo, first: boolean): DiscoveredCalendar {
  return {
    providerCalendarId: collection.url,
    name: collection.displayName ?? lastPathSegment(collection.url),
    color: collection.color,
    timeZone: collection.timezone ? timeZoneIdOf(collection.timezone) : null,
    primary: first,
    canWrite: collection.canWrite,
    ctag: collection.ctag,
  };
}

function lastPathSegment(url: string): string {
  const segment = new URL(url).pathname.replace(/\/+$/, '').split('/').pop() ?? url;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `calendar-timezone` holds a whole VTIMEZONE (RFC 4791 section 5.2.2); keep its TZID. */
function timeZoneIdOf(vtimezone: string): string | null {
  return /^TZID:(.+)$/m.exec(vtimezone)?.[1]?.trim() ?? null;
}
