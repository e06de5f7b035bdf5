import { randomUUID } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import {
  ProviderError,
  type CalendarProvider,
  type ChangeSet,
  type DiscoveredCalendar,
  type FetchOptions,
  type FetchResult,
  type NormalizedEvent,
  type OAuthAccess,
  type TimeWindow,
  type WatchChannel,
  type WatchChannelRef,
  type WatchRequest,
} from '../provider';
import { withRetry } from '../retry';
import { mapGoogleEvent } from './google-event.mapper';
import { parseGoogleError } from './parse-google-error';

/** Google's largest page of events.list. */
const EVENTS_PAGE_SIZE = 2500;
/** Google's largest page of calendarList.list. */
const CALENDARS_PAGE_SIZE = 250;
/** How long one request may take before Google counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Google's default channel lifetime (`params.ttl` unset): one week. */
const DEFAULT_CHANNEL_TTL_SECONDS = 604_800;

/**
 * Google Calendar API v3 adapter over `@googleapis/calendar`. Recurring series come expanded by
 * Google (`singleEvents=true`); incremental sync follows Google's sync-token protocol. Every
 * request goes through {@link withRetry}; the client's own retry is off so that there is one
 * policy, which honours `Retry-After`.
 * @see https://developers.google.com/calendar/api/guides/sync
 */
export class GoogleCalendarAdapter implements CalendarProvider {
  private readonly api: calendar_v3.Calendar;

  /** @param options.apiUrl base URL of the API, `https://www.googleapis.com` in production. */
  constructor(options: { apiUrl: string }) {
    this.api = calendar({
      version: 'v3',
      rootUrl: `${options.apiUrl.replace(/\/+$/, '')}/`,
      retry: false,
      timeout: REQUEST_TIMEOUT_MS,
      // gaxios otherwise loads node-fetch with a dynamic import(), which fails inside vm
      // sandboxes such as jest's; Node's own fetch does the same job.
      fetchImplementation: fetch,
    });
  }

  /**
   * Lists the calendars in the account's calendar list, all pages: name is the owner's
   * `summaryOverride` when set, `canWrite` is an `owner` or `writer` access role.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY (after retries), UNKNOWN.
   * @see https://developers.google.com/calendar/api/v3/reference/calendarList/list
   */
  async listCalendars(access: OAuthAccess): Promise<DiscoveredCalendar[]> {
    const calendars: DiscoveredCalendar[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call('Listing calendars', () =>
        this.api.calendarList.list({ maxResults: CALENDARS_PAGE_SIZE, pageToken }, this.auth(access)),
      );
      for (const entry of page.items ?? []) {
        if (entry.id) calendars.push(toDiscoveredCalendar(entry, entry.id));
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return calendars;
  }

  /**
   * Every occurrence of the calendar overlapping the window: the full listing of
   * {@link fetchChanges} without its cursor.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, NOT_FOUND, UNKNOWN.
   */
  async fetchEvents(access: OAuthAccess, calendarId: string, options: FetchOptions): Promise<FetchResult> {
    const { events, skipped } = await this.fetchChanges(access, calendarId, null, options);
    return { events, skipped };
  }

  /**
   * Without a cursor, lists the window (`timeMin`/`timeMax`, overlap semantics) with
   * `singleEvents=true`, pages of 2,500, to the last page, whose `nextSyncToken` becomes
   * `nextCursor`; `full` is true. With a cursor, lists what changed since it with `syncToken`
   * alone (Google refuses it with timeMin/timeMax and always includes deletions); `full` is false.
   * A sync token reports changes at any date, so occurrences outside the window are not
   * returned as events but as `deletedIds`: one moved out of the window must stop blocking it.
   * Deleted, cancelled and declined occurrences are `deletedIds`; unreadable ones `skipped`.
   * All-day occurrences are placed in `options.timeZone`.
   * @throws ProviderError SYNC_CURSOR_INVALID on HTTP 410 (the token expired: call again with
   *   null), AUTH_REVOKED, TEMPORARY, NOT_FOUND, UNKNOWN.
   * @see https://developers.google.com/calendar/api/v3/reference/events/list
   * @see https://developers.google.com/calendar/api/guides/sync
   */
  async fetchChanges(access: OAuthAccess, calendarId: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const query: calendar_v3.Params$Resource$Events$List =
      cursor === null
        ? { calendarId, singleEvents: true, maxResults: EVENTS_PAGE_SIZE, timeMin: options.window.from.toISOString(), timeMax: options.window.to.toISOString() }
        : { calendarId, singleEvents: true, maxResults: EVENTS_PAGE_SIZE, syncToken: cursor };
    const changes: ChangeSet = { events: [], deletedIds: [], skipped: [], nextCursor: null, full: cursor === null };
    let pageToken: string | undefined;
    do {
      const page = await this.call(`Listing events of calendar ${calendarId}`, () =>
        this.api.events.list({ ...query, pageToken }, this.auth(access)),
      );
      for (const item of page.items ?? []) {
        const outcome = mapGoogleEvent(item, options.timeZone);
        if (outcome.kind === 'skipped') changes.skipped.push(outcome.skipped);
        else if (outcome.kind === 'deleted') changes.deletedIds.push(outcome.externalId);
        else if (overlaps(outcome.event, options.window)) changes.events.push(outcome.event);
        else changes.deletedIds.push(outcome.event.externalId);
      }
      pageToken = page.nextPageToken ?? undefined;
      changes.nextCursor = page.nextSyncToken ?? null;
    } while (pageToken);
    return changes;
  }

  /**
   * Opens a notification channel on the calendar's events (`events.watch`, type `web_hook`)
   * with a new UUID as channel id and `request.token` as channel token; Google then POSTs a
   * `sync` message and, on every change, an `exists` message to `request.address`. The TTL is
   * what `request.expiresAt` leaves, or Google's default of a week; Google may grant less, and
   * the returned `expiresAt` is what it granted (`expiration`, epoch milliseconds).
   * @throws ProviderError AUTH_REVOKED, NOT_FOUND, TEMPORARY, UNKNOWN (e.g. an address Google refuses).
   * @see https://developers.google.com/calendar/api/guides/push
   * @see https://developers.google.com/calendar/api/v3/reference/events/watch
   */
  async watch(access: OAuthAccess, calendarId: string, request: WatchRequest): Promise<WatchChannel> {
    const ttlSeconds = request.expiresAt ? Math.max(1, Math.ceil((request.expiresAt.getTime() - Date.now()) / 1000)) : DEFAULT_CHANNEL_TTL_SECONDS;
    const requestBody: calendar_v3.Schema$Channel = {
      id: randomUUID(),
      type: 'web_hook',
      address: request.address,
      token: request.token,
      params: { ttl: String(ttlSeconds) },
    };
    const channel = await this.call(`Watching events of calendar ${calendarId}`, () =>
      this.api.events.watch({ calendarId, requestBody }, this.auth(access)),
    );
    if (!channel.id || !channel.resourceId) throw new ProviderError('UNKNOWN', `Watching events of calendar ${calendarId}: Google answered a channel without id or resourceId`);
    const expiration = Number(channel.expiration);
    return {
      channelId: channel.id,
      resourceId: channel.resourceId,
      expiresAt: new Date(Number.isFinite(expiration) && expiration > 0 ? expiration : Date.now() + ttlSeconds * 1000),
    };
  }

  /**
   * Stops a channel (`channels.stop` with its id and resourceId). A channel Google does not
   * know (404: expired or stopped already) counts as stopped.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://developers.google.com/calendar/api/guides/push#stopping-notifications
   */
  async unwatch(access: OAuthAccess, channel: WatchChannelRef): Promise<void> {
    try {
      await this.call(`Stopping channel ${channel.channelId}`, () =>
        this.api.channels.stop({ requestBody: { id: channel.channelId, resourceId: channel.resourceId ?? undefined } }, this.auth(access)),
      );
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NOT_FOUND')) throw error;
    }
  }

  private auth(access: OAuthAccess): { headers: Record<string, string> } {
    return { headers: { Authorization: `Bearer ${access.accessToken}` } };
  }

  private async call<T>(action: string, request: () => Promise<{ data: T }>): Promise<T> {
    return withRetry(async () => {
      try {
        return (await request()).data;
      } catch (error) {
        throw parseGoogleError(error, action);
      }
    });
  }
}

function toDiscoveredCalendar(entry: calendar_v3.Schema$CalendarListEntry, id: string): DiscoveredCalendar {
  return {
    providerCalendarId: id,
    name: entry.summaryOverride ?? entry.summary ?? id,
    color: entry.backgroundColor ?? null,
    timeZone: entry.timeZone ?? null,
    primary: entry.primary === true,
    canWrite: entry.accessRole === 'owner' || entry.accessRole === 'writer',
    ctag: null,
  };
}

function overlaps(event: NormalizedEvent, window: TimeWindow): boolean {
  return event.startsAt < window.to && event.endsAt > window.from;
}
