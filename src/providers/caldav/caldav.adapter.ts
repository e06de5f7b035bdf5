import { createAccount, fetchCalendarObjects, fetchCalendars, getBasicAuthHeaders, isCollectionDirty, type DAVAccount, type DAVCalendar } from 'tsdav';
import { expandCalendar } from '../ical/expand-calendar';
import {
  ProviderError,
  type CalDavCredentials,
  type CalendarProvider,
  type ChangeSet,
  type DiscoveredCalendar,
  type FetchOptions,
  type FetchResult,
} from '../provider';
import { caldavFetch } from './caldav-fetch';

/** iCloud's CalDAV entry point; Apple accounts connect with an app-specific password. */
export const ICLOUD_CALDAV_URL = 'https://caldav.icloud.com';

/**
 * CalDAV adapter (RFC 4791) over tsdav: account discovery (RFC 6764 well-known URL, principal,
 * calendar-home-set), calendar listing and time-range queries. Recurring series are expanded
 * client-side with ical.js because servers such as Radicale do not expand them.
 */
export class CalDavAdapter implements CalendarProvider {
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
    const objects = await fetchCalendarObjects({
      calendar: { url: collectionUrl },
      timeRange: { start: options.window.from.toISOString(), end: options.window.to.toISOString() },
      headers: this.headers(credentials),
      fetch: caldavFetch,
    }).catch((error: Error) => {
      if (error instanceof ProviderError) throw error;
      // tsdav reports a failed REPORT as "Collection query failed: <status> ...".
      if (/\b404\b/.test(error.message)) throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
      throw new ProviderError('UNKNOWN', `CalDAV query of ${collectionUrl} failed: ${error.message}`);
    });
    const result: FetchResult = { events: [], skipped: [] };
    for (const object of objects) {
      if (typeof object.data !== 'string' || object.data.trim() === '') {
        result.skipped.push({ uid: null, reason: `Empty calendar object ${object.url}` });
        continue;
      }
      const expanded = expandCalendar(object.data, options);
      result.events.push(...expanded.events);
      result.skipped.push(...expanded.skipped);
    }
    return result;
  }

  /**
   * Changes since `cursor`, a collection ctag (the CalendarServer `getctag` extension that
   * Radicale, SabreDAV, iCloud and most servers publish): an unchanged ctag costs one PROPFIND
   * and returns nothing; a changed one (or no cursor) fetches the whole window (`full`).
   * @throws ProviderError as {@link fetchEvents}.
   */
  async fetchChanges(credentials: CalDavCredentials, collectionUrl: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const { isDirty, newCtag } = await isCollectionDirty({
      collection: { url: collectionUrl, ctag: cursor ?? undefined },
      headers: this.headers(credentials),
      fetch: caldavFetch,
    }).catch((error: Error) => {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError('NOT_FOUND', `Calendar ${collectionUrl} no longer exists`);
    });
    if (!isDirty) return { events: [], deletedIds: [], skipped: [], nextCursor: cursor, full: false };
    const { events, skipped } = await this.fetchEvents(credentials, collectionUrl, options);
    return { events, deletedIds: [], skipped, nextCursor: newCtag ?? null, full: true };
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
