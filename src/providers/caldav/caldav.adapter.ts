import {
  calendarMultiGet,
  createAccount,
  fetchCalendarObjects,
  fetchCalendars,
  getBasicAuthHeaders,
  isCollectionDirty,
  propfind,
  syncCollection,
  type DAVAccount,
  type DAVCalendar,
} from 'tsdav';
import { expandCalendar } from '../ical/expand-calendar';
import { exportEventToIcs } from '../ical/export-event';
import {
  ProviderError,
  type CalDavCredentials,
  type CalendarProvider,
  type CalendarWriter,
  type ChangeSet,
  type DiscoveredCalendar,
  type ExportedEventRef,
  type ExportEvent,
  type FetchOptions,
  type FetchResult,
  type NormalizedEvent,
} from '../provider';
import { decodeCalDavCursor, encodeCalDavCursor } from './caldav-cursor';
import { caldavFetch } from './caldav-fetch';
import { deleteObject, exportObjectUrl, putObject } from './caldav-write';

/** iCloud's CalDAV entry point; Apple accounts connect with an app-specific password. */
export const ICLOUD_CALDAV_URL = 'https://caldav.icloud.com';

/** One calendar object as read from the server. */
interface CalendarObject {
  /** Path of the object resource, e.g. `/alice/work/meeting.ics`. */
  path: string;
  data: unknown;
}

/** What the objects of a collection expand to in a window, with the UIDs each object holds there. */
interface Expansion {
  events: NormalizedEvent[];
  skipped: FetchResult['skipped'];
  uidsByPath: Record<string, string[]>;
}

/**
 * CalDAV adapter (RFC 4791) over tsdav: account discovery (RFC 6764 well-known URL, principal,
 * calendar-home-set), calendar listing, time-range queries and incremental sync with
 * `sync-collection` (RFC 6578), falling back to the collection's ctag where the server has no
 * sync-token. Recurring series are expanded client-side with ical.js because servers such as
 * Radicale do not expand them. Appointments are written as one calendar object each,
 * `<exportId>.ics`, with conditional PUTs (see caldav-write.ts).
 */
export class CalDavAdapter implements CalendarProvider, CalendarWriter {
  /**
   * Logs in and lists the account's calendar collections that hold events.
   * @throws ProviderError AUTH_REVOKED when the server refuses the credentials, TEMPORARY when
   *   it cannot be reached or fails, NOT_FOUND when no CalDAV service is found at the URL.
   */
  async listCalendars(credentials: CalDavCredentials): Promise<DiscoveredCalendar[]> {
    const account = await this.login(credentials);
    const calendars = await fetchCalendars({ account, headers: this.headers(credentials), fetch: caldavFetch });
    return calendars
      .filter((calendar) => !calendar.components || calendar.components.includes('VEVENT'))
      .map((calendar, index) => toDiscoveredCalendar(calendar, index === 0));
  }

  /**
   * Fetches the events of one collection overlapping the window with a `calendar-query` REPORT
   * and a `time-range` filter (RFC 4791 section 7.8.1), then expands every series client-side.
   * Events are in UTC; floating and all-day times are read in `options.timeZone`.
   * @throws ProviderError as {@link listCalendars}; NOT_FOUND when the collection is gone.
   */
  async fetchEvents(credentials: CalDavCredentials, collectionUrl: string, options: FetchOptions): Promise<FetchResult> {
    const { events, skipped } = await this.queryWindow(credentials, collectionUrl, options);
    return { events, skipped };
  }

  /**
   * Changes since `cursor` (see caldav-cursor.ts). With a sync-token: a `sync-collection` REPORT
   * names the changed and deleted objects, a `calendar-multiget` reads the changed ones, and the
   * UIDs the changed or deleted objects held are reported in `deletedIds` (their occurrences not
   * sent again are gone). With a ctag: one PROPFIND, and the whole window when it moved. Without
   * a cursor: the whole window, and the sync-token (read first, so that no change slips between
   * the token and the query) becomes the cursor.
   * @throws ProviderError SYNC_CURSOR_INVALID when the server refuses the sync-token (RFC 6578
   *   section 3.2, DAV:valid-sync-token); otherwise as {@link fetchEvents}.
   * @see https://www.rfc-editor.org/rfc/rfc6578#section-3.2
   */
  async fetchChanges(credentials: CalDavCredentials, collectionUrl: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const state = decodeCalDavCursor(cursor);
    if (state && 'token' in state) return this.changesSince(credentials, collectionUrl, state.token, state.objects, options);
    if (state && 'ctag' in state && !(await this.ctagMoved(credentials, collectionUrl, state.ctag))) {
      return { events: [], deletedIds: [], skipped: [], nextCursor: cursor, full: false };
    }
    const token = await this.syncToken(credentials, collectionUrl);
    const ctag = token === null ? await this.ctag(credentials, collectionUrl) : null;
    const { events, skipped, uidsByPath } = await this.queryWindow(credentials, collectionUrl, options);
    const next = token !== null ? { token, objects: uidsByPath } : ctag !== null ? { ctag } : null;
    return { events, skipped, deletedIds: [], nextCursor: next ? encodeCalDavCursor(next) : null, full: true };
  }

  /**
   * Stores the appointment as `<collection URL><exportId>.ics` (a new object: PUT with
   * `If-None-Match: *`, RFC 4791 section 5.3.2); when an earlier attempt already stored it
   * (412), overwrites that one with `If-Match`. Returns the object's absolute URL and ETag.
   * @throws ProviderError NOT_FOUND when the collection is gone, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async createEvent(credentials: CalDavCredentials, collectionUrl: string, event: ExportEvent): Promise<ExportedEventRef> {
    return putObject(exportObjectUrl(collectionUrl, event.exportId), exportEventToIcs(event), this.headers(credentials), { create: true });
  }

  /**
   * Overwrites the object `ref.providerEventId` with `If-Match: ref.etag`; when it changed
   * meanwhile (412), writes again over its current ETag. Returns the new ETag.
   * @throws ProviderError NOT_FOUND when the object is gone, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async updateEvent(credentials: CalDavCredentials, _collectionUrl: string, ref: ExportedEventRef, event: ExportEvent): Promise<ExportedEventRef> {
    return putObject(ref.providerEventId, exportEventToIcs(event), this.headers(credentials), { create: false, etag: ref.etag });
  }

  /**
   * Deletes the object `ref.providerEventId` (DELETE with `If-Match`, without it after a 412);
   * an object already gone counts as deleted.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  async deleteEvent(credentials: CalDavCredentials, _collectionUrl: string, ref: ExportedEventRef): Promise<void> {
    await deleteObject(ref.providerEventId, ref.etag, this.headers(credentials));
  }

  private async changesSince(
    credentials: CalDavCredentials,
    collectionUrl: string,
    token: string,
    objects: Record<string, string[]>,
    options: FetchOptions,
  ): Promise<ChangeSet> {
    const responses = await syncCollection({
      url: collectionUrl,
      props: { 'd:getetag': {} },
      syncLevel: 1,
      syncToken: token,
      headers: this.headers(credentials),
      fetch: caldavFetch,
    });
    const refused = responses.find((response) => response.status === 403 || response.status === 409);
    if (refused) throw new ProviderError('SYNC_CURSOR_INVALID', `The CalDAV server refused the sync-token of ${collectionUrl}`);
    const failed = responses.find((response) => response.status === 404 && pathOf(response.href ?? '', collectionUrl) === pathOf(collectionUrl, collectionUrl));
    if (failed) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
    const nextToken = (responses[0]?.raw as { multistatus?: { syncToken?: unknown } } | undefined)?.multistatus?.syncToken;
    if (typeof nextToken !== 'string') throw new ProviderError('UNKNOWN', `The CalDAV server sent no sync-token for ${collectionUrl}`);

    const changed: string[] = [];
    const remaining = { ...objects };
    const deletedIds: string[] = [];
    for (const response of responses) {
      if (!response.href) continue;
      const path = pathOf(response.href, collectionUrl);
      if (path === pathOf(collectionUrl, collectionUrl)) continue;
      deletedIds.push(...(remaining[path] ?? []));
      delete remaining[path];
      if (response.status !== 404) changed.push(path);
    }
    const read = changed.length === 0 ? [] : await this.multiGet(credentials, collectionUrl, changed);
    const { events, skipped, uidsByPath } = expandObjects(read, options);
    return {
      events,
      skipped,
      deletedIds,
      nextCursor: encodeCalDavCursor({ token: nextToken, objects: { ...remaining, ...uidsByPath } }),
      full: false,
    };
  }

  private async queryWindow(credentials: CalDavCredentials, collectionUrl: string, options: FetchOptions): Promise<Expansion> {
    const objects = await fetchCalendarObjects({
      calendar: { url: collectionUrl },
      timeRange: { start: options.window.from.toISOString(), end: options.window.to.toISOString() },
      headers: this.headers(credentials),
      fetch: caldavFetch,
    }).catch((error: Error) => rethrow(error, collectionUrl));
    return expandObjects(objects.map((object) => ({ path: pathOf(object.url, collectionUrl), data: object.data })), options);
  }

  private async multiGet(credentials: CalDavCredentials, collectionUrl: string, paths: string[]): Promise<CalendarObject[]> {
    const responses = await calendarMultiGet({
      url: collectionUrl,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      objectUrls: paths,
      depth: '1',
      headers: this.headers(credentials),
      fetch: caldavFetch,
    }).catch((error: Error) => rethrow(error, collectionUrl));
    return responses
      .filter((response) => response.ok && response.href)
      .map((response) => ({ path: pathOf(response.href!, collectionUrl), data: calendarData(response.props?.calendarData) }));
  }

  /** The collection's DAV:sync-token (RFC 6578 section 4), or null when the server has none. */
  private async syncToken(credentials: CalDavCredentials, collectionUrl: string): Promise<string | null> {
    const [response] = await propfind({ url: collectionUrl, props: { 'd:sync-token': {} }, depth: '0', headers: this.headers(credentials), fetch: caldavFetch }).catch(
      (error: Error) => rethrow(error, collectionUrl),
    );
    if (response?.status === 404) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
    const token = response?.props?.syncToken;
    return typeof token === 'string' && token !== '' ? token : null;
  }

  private async ctag(credentials: CalDavCredentials, collectionUrl: string): Promise<string | null> {
    const { newCtag } = await isCollectionDirty({ collection: { url: collectionUrl }, headers: this.headers(credentials), fetch: caldavFetch }).catch((error: Error) =>
      rethrow(error, collectionUrl),
    );
    return newCtag ?? null;
  }

  private async ctagMoved(credentials: CalDavCredentials, collectionUrl: string, ctag: string): Promise<boolean> {
    return (await this.ctag(credentials, collectionUrl)) !== ctag;
  }

  private async login(credentials: CalDavCredentials): Promise<DAVAccount> {
    try {
      return await createAccount({
        account: { serverUrl: credentials.serverUrl, accountType: 'caldav' },
        headers: this.headers(credentials),
        fetch: caldavFetch,
      });
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError('NOT_FOUND', `No CalDAV service found at ${credentials.serverUrl}: ${(error as Error).message}`);
    }
  }

  private headers(credentials: CalDavCredentials): Record<string, string> {
    return getBasicAuthHeaders({ username: credentials.username, password: credentials.password });
  }
}

/** Expands calendar objects in the window, noting the UIDs each object has occurrences of there. */
function expandObjects(objects: CalendarObject[], options: FetchOptions): Expansion {
  const result: Expansion = { events: [], skipped: [], uidsByPath: {} };
  for (const object of objects) {
    if (typeof object.data !== 'string' || object.data.trim() === '') {
      result.skipped.push({ uid: null, reason: `Empty calendar object ${object.path}` });
      continue;
    }
    const expanded = expandCalendar(object.data, options);
    result.events.push(...expanded.events);
    result.skipped.push(...expanded.skipped);
    const uids = [...new Set(expanded.events.map((event) => event.seriesId ?? event.externalId))];
    if (uids.length > 0) result.uidsByPath[object.path] = uids;
  }
  return result;
}

/** tsdav reports failed REPORTs as "... failed: <status> ..." errors. */
function rethrow(error: Error, collectionUrl: string): never {
  if (error instanceof ProviderError) throw error;
  if (/\b404\b/.test(error.message)) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
  throw new ProviderError('UNKNOWN', `CalDAV request to ${collectionUrl} failed: ${error.message}`);
}

/** The decoded path of an href or URL, so that responses and stored cursors compare equal. */
function pathOf(href: string, base: string): string {
  return decodeURIComponent(new URL(href, base).pathname);
}

/** tsdav gives calendar-data as text, or as `{ _cdata }` when the server wrapped it in CDATA. */
function calendarData(value: unknown): unknown {
  return value && typeof value === 'object' && '_cdata' in value ? (value as { _cdata: unknown })._cdata : value;
}

function toDiscoveredCalendar(calendar: DAVCalendar, first: boolean): DiscoveredCalendar {
  const name = typeof calendar.displayName === 'string' && calendar.displayName !== '' ? calendar.displayName : lastPathSegment(calendar.url);
  return {
    providerCalendarId: calendar.url,
    name,
    color: typeof calendar.calendarColor === 'string' ? calendar.calendarColor : null,
    timeZone: calendar.timezone ? timeZoneIdOf(calendar.timezone) : null,
    primary: first,
    canWrite: true,
    ctag: typeof calendar.ctag === 'string' ? calendar.ctag : null,
  };
}

function lastPathSegment(url: string): string {
  return decodeURIComponent(url.replace(/\/+$/, '').split('/').pop() ?? url);
}

/** `calendar-timezone` holds a whole VTIMEZONE (RFC 4791 section 5.2.2); keep its TZID. */
function timeZoneIdOf(vtimezone: string): string | null {
  return /^TZID:(.+)$/m.exec(vtimezone)?.[1]?.trim() ?? null;
}
