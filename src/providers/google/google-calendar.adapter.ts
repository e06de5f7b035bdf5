import { randomUUID } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { eventInWindow } from '../../common/window';
import {
  ProviderError,
  type CalendarProvider,
  type CalendarWriter,
  type ChangeSet,
  type DiscoveredCalendar,
  type ExportEvent,
  type ExportedEventRef,
  type FetchOptions,
  type FetchResult,
  type OAuthAccess,
  type WatchChannel,
  type WatchChannelRef,
  type WatchRequest,
} from '../provider';
import { DEFAULT_RETRY_POLICY, withRetry } from '../retry';
import { mapGoogleEvent } from './google-event.mapper';
import { googleEventIdOf, toGoogleEventBody } from './google-export.mapper';
import { parseGoogleError } from './parse-google-error';

/** Google's largest page of events.list. */
const EVENTS_PAGE_SIZE = 2500;
/** Google's largest page of calendarList.list. */
const CALENDARS_PAGE_SIZE = 250;
/** How long one request may take before Google counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Google's default channel lifetime (`params.ttl` unset): one week. */
const DEFAULT_CHANNEL_TTL_SECONDS = 604_800;
/** events.insert: the client-chosen id exists in the calendar (live, or deleted: Google keeps deleted ids). */
const ID_TAKEN = new Set([409]);
/** The event is unknown (404) or deleted and gone for good (410 `deleted`). */
const EVENT_GONE = new Set([404, 410]);
/** events.get of an id Google never held. */
const EVENT_UNKNOWN = new Set([404]);

/**
 * Google Calendar API v3 adapter over `@googleapis/calendar`. Recurring series come expanded by
 * Google (`singleEvents=true`); incremental sync follows Google's sync-token protocol. Every
 * request goes through {@link withRetry}; the client's own retry is off so that there is one
 * policy, which honours `Retry-After`. Appointments are exported under deterministic event ids
 * derived from their exportId, looked up before they are inserted, so that every write can be
 * retried without duplicating an event.
 * @see https://developers.google.com/calendar/api/guides/sync
 */
export class GoogleCalendarAdapter implements CalendarProvider, CalendarWriter {
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
      const page = await this.call('Listing calendars', () => this.api.calendarList.list({ maxResults: CALENDARS_PAGE_SIZE, pageToken }, this.auth(access)));
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
    const changes: ChangeSet = { events: [], deletedIds: [], skipped: [], nextCursor: null, full: cursor === null };
    for await (const page of this.fetchChangePages(access, calendarId, cursor, options)) {
      changes.events.push(...page.events);
      changes.deletedIds.push(...page.deletedIds);
      changes.skipped.push(...page.skipped);
      changes.nextCursor = page.nextCursor;
    }
    return changes;
  }

  /**
   * {@link fetchChanges} page by page: one ChangeSet per events.list page, mapped; the next page
   * is requested when the caller asks for it, and the last page's `nextCursor` is Google's `nextSyncToken`.
   * @throws ProviderError as fetchChanges.
   * @see https://developers.google.com/calendar/api/v3/reference/events/list
   */
  async *fetchChangePages(access: OAuthAccess, calendarId: string, cursor: string | null, options: FetchOptions): AsyncGenerator<ChangeSet> {
    const query: calendar_v3.Params$Resource$Events$List =
      cursor === null
        ? { calendarId, singleEvents: true, maxResults: EVENTS_PAGE_SIZE, timeMin: options.window.from.toISOString(), timeMax: options.window.to.toISOString() }
        : { calendarId, singleEvents: true, maxResults: EVENTS_PAGE_SIZE, syncToken: cursor };
    let pageToken: string | undefined;
    do {
      // A run past its deadline stops paging; the request under way is aborted with it.
      options.signal?.throwIfAborted();
      const page = await this.call(
        `Listing events of calendar ${calendarId}`,
        () => this.api.events.list({ ...query, pageToken }, { ...this.auth(access), signal: options.signal }),
        options.signal,
      );
      const changes: ChangeSet = { events: [], deletedIds: [], skipped: [], nextCursor: page.nextSyncToken ?? null, full: cursor === null };
      for (const item of page.items ?? []) {
        const outcome = mapGoogleEvent(item, options.timeZone);
        if (outcome.kind === 'skipped') changes.skipped.push(outcome.skipped);
        else if (outcome.kind === 'deleted') changes.deletedIds.push(outcome.externalId);
        else if (eventInWindow(outcome.event, options.window)) changes.events.push(outcome.event);
        else changes.deletedIds.push(outcome.event.externalId);
      }
      pageToken = page.nextPageToken ?? undefined;
      yield changes;
    } while (pageToken);
  }

  /**
   * Opens a notification channel on the calendar's events (`events.watch`, type `web_hook`)
   * with a new UUID as channel id and `request.token` as channel token; Google then POSTs a
   * `sync` message and, on every change, an `exists` message to `request.address`. The TTL is
   * what `request.expiresAt` leaves, or Google's default of a week; Google may grant less, and
   * the returned `expiresAt` is what it granted (`expiration`, epoch milliseconds).
   * @throws ProviderError FORBIDDEN when Google sends no notifications for the calendar (400
   *   `pushNotSupportedForRequestedResource`: holidays, birthdays, week numbers), AUTH_REVOKED,
   *   NOT_FOUND, TEMPORARY, UNKNOWN (e.g. an address Google refuses).
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
    const channel = await this.call(`Watching events of calendar ${calendarId}`, () => this.api.events.watch({ calendarId, requestBody }, this.auth(access)));
    if (!channel.id || !channel.resourceId)
      throw new ProviderError('UNKNOWN', `Watching events of calendar ${calendarId}: Google answered a channel without id or resourceId`);
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

  /**
   * Writes the appointment under the deterministic id `cs` + exportId without dashes
   * ({@link googleEventIdOf}), `sendUpdates=none`. The id is looked up first (`events.get`): an
   * earlier attempt may have created it (a crash or a timeout after Google committed), and Google
   * "cannot guarantee that ID collisions will be detected at event creation time", so a 409 is
   * no proof. A live event under the id is overwritten (`events.update`); none is inserted
   * (`events.insert`), and a 409 `duplicate` on the insert means a concurrent attempt or a deleted
   * event, told apart by a second look. An event the user deleted keeps its id at Google
   * (`cancelled`), which no insert may reuse and no update may touch (403): CONFLICT.
   * @returns `{ providerEventId: Google's event id, etag: null }`.
   * @throws ProviderError CONFLICT (the id belongs to a deleted event: export under a new
   *   exportId), NOT_FOUND (unknown calendar, or no write access to it: 403), AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://developers.google.com/calendar/api/v3/reference/events/insert
   * @see https://developers.google.com/calendar/api/v3/reference/events/get
   * @see https://developers.google.com/calendar/api/v3/reference/events/update
   */
  async createEvent(access: OAuthAccess, calendarId: string, event: ExportEvent): Promise<ExportedEventRef> {
    const eventId = googleEventIdOf(event.exportId);
    const existing = await this.lookUp(access, calendarId, eventId);
    if (existing === 'live') return this.overwrite(access, calendarId, eventId, event);
    if (existing === 'absent') {
      const requestBody: calendar_v3.Schema$Event = { id: eventId, ...toGoogleEventBody(event) };
      const inserted = await this.callTolerating(`Creating event ${eventId} in calendar ${calendarId}`, ID_TAKEN, () =>
        this.api.events.insert({ calendarId, sendUpdates: 'none', requestBody }, this.auth(access)),
      );
      if ('data' in inserted) return { providerEventId: inserted.data.id ?? eventId, etag: null };
      if ((await this.lookUp(access, calendarId, eventId)) === 'live') return this.overwrite(access, calendarId, eventId, event);
    }
    throw new ProviderError('CONFLICT', `Creating event ${eventId} in calendar ${calendarId}: the id belongs to an event deleted at Google`);
  }

  /** Whether Google holds the event: live, deleted (`cancelled`: its id stays taken), or absent (404). */
  private async lookUp(access: OAuthAccess, calendarId: string, eventId: string): Promise<'live' | 'deleted' | 'absent'> {
    const found = await this.callTolerating(`Reading event ${eventId} of calendar ${calendarId}`, EVENT_UNKNOWN, () =>
      this.api.events.get({ calendarId, eventId }, this.auth(access)),
    );
    if (!('data' in found)) return 'absent';
    return found.data.status === 'cancelled' ? 'deleted' : 'live';
  }

  /**
   * Overwrites the event `ref.providerEventId` with the appointment (`events.update`, a PUT of
   * the whole resource, `sendUpdates=none`).
   * @returns the same ref, etag null.
   * @throws ProviderError NOT_FOUND when Google answers 404, 410, or 403 (what Google answers for
   *   an event the user deleted, https://github.com/googleapis/google-api-ruby-client/issues/1811):
   *   the event is gone, and the caller creates it again under a new exportId; AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://developers.google.com/calendar/api/v3/reference/events/update
   */
  async updateEvent(access: OAuthAccess, calendarId: string, ref: ExportedEventRef, event: ExportEvent): Promise<ExportedEventRef> {
    return this.overwrite(access, calendarId, ref.providerEventId, event);
  }

  /**
   * Deletes the event (`events.delete`, `sendUpdates=none`). 404 (unknown) and 410 (`deleted`:
   * already deleted) count as deleted, so that a retry after a lost answer succeeds.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN; NOT_FOUND only for a 403 (the account
   *   lost write access to the calendar: the event may still be there).
   * @see https://developers.google.com/calendar/api/v3/reference/events/delete
   */
  async deleteEvent(access: OAuthAccess, calendarId: string, ref: ExportedEventRef): Promise<void> {
    const eventId = ref.providerEventId;
    await this.callTolerating(`Deleting event ${eventId} of calendar ${calendarId}`, EVENT_GONE, () =>
      this.api.events.delete({ calendarId, eventId, sendUpdates: 'none' }, this.auth(access)),
    );
  }

  /** events.update of `eventId` with the appointment; 404/410 become NOT_FOUND (both callers need "gone", not a sync-cursor 410). */
  private async overwrite(access: OAuthAccess, calendarId: string, eventId: string, event: ExportEvent): Promise<ExportedEventRef> {
    const action = `Updating event ${eventId} of calendar ${calendarId}`;
    const updated = await this.callTolerating(action, EVENT_GONE, () =>
      this.api.events.update({ calendarId, eventId, sendUpdates: 'none', requestBody: toGoogleEventBody(event) }, this.auth(access)),
    );
    if (!('data' in updated)) throw new ProviderError('NOT_FOUND', `${action}: Google answered HTTP ${updated.status}: the event is gone`);
    return { providerEventId: updated.data.id ?? eventId, etag: null };
  }

  private auth(access: OAuthAccess): { headers: Record<string, string> } {
    return { headers: { Authorization: `Bearer ${access.accessToken}` } };
  }

  /** One request, retried while TEMPORARY (not once `signal`, a run's deadline, has aborted); failures parsed once. */
  private async call<T>(action: string, request: () => Promise<{ data: T }>, signal?: AbortSignal): Promise<T> {
    const attempt = async (): Promise<T> => {
      try {
        return (await request()).data;
      } catch (error) {
        throw parseGoogleError(error, action);
      }
    };
    return withRetry(attempt, DEFAULT_RETRY_POLICY, signal);
  }

  /** {@link call}, except that the HTTP statuses in `tolerated` are answered, not thrown: they mean something for the caller. */
  private async callTolerating<T>(
    action: string,
    tolerated: ReadonlySet<number>,
    request: () => Promise<{ data: T }>,
  ): Promise<{ data: T } | { status: number }> {
    return withRetry(async () => {
      try {
        return { data: (await request()).data };
      } catch (error) {
        const status = httpStatusOf(error);
        if (status !== undefined && tolerated.has(status)) return { status };
        throw parseGoogleError(error, action);
      }
    });
  }
}

/** The HTTP status of a gaxios error (matched by shape, like parseGoogleError does). */
function httpStatusOf(error: unknown): number | undefined {
  const { status, response } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; response?: { status?: unknown } };
  const value = response?.status ?? status;
  return typeof value === 'number' ? value : undefined;
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
