import { Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client';
import {
  ProviderError,
  type CalendarProvider,
  type ChangeSet,
  type DiscoveredCalendar,
  type ExportEvent,
  type ExportedEventRef,
  type FetchOptions,
  type FetchResult,
  type NormalizedEvent,
  type OAuthAccess,
  type ProviderCredentials,
  type SkippedEvent,
  type WatchChannel,
  type WatchChannelRef,
  type WatchRequest,
} from '../provider';
import { DEFAULT_RETRY_POLICY, withRetry } from '../retry';
import { mapGraphEvent, type GraphEvent } from './graph-event.mapper';
import { differsFromExport, EXPORT_PROPERTY_ID, toGraphEventCreate, toGraphEventWrite, type GraphWrittenEvent } from './graph-export.mapper';
import { parseGraphError } from './parse-graph-error';

/** Microsoft Graph's public endpoint, the default `graphUrl`. */
export const GRAPH_URL = 'https://graph.microsoft.com';

const GRAPH_VERSION = 'v1.0';
/** How long one Graph request may take before it counts as a network failure. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * Events per delta page. Graph caps what it honours and may send fewer; a larger page means
 * fewer round trips and so fewer throttled requests.
 */
const DELTA_PAGE_SIZE = 500;
/**
 * Event times in UTC whatever zone the mailbox uses, and big pages (fewer requests to be
 * throttled); RFC 7240 allows several preferences in one header.
 */
const DELTA_PREFER = `outlook.timezone="UTC", odata.maxpagesize=${DELTA_PAGE_SIZE}`;
/**
 * Writes are answered with the event as stored; asked for in UTC and with a text body, it can be
 * compared with what Calsync wrote (Graph answers HTML bodies unless asked otherwise).
 */
const WRITE_PREFER = 'outlook.timezone="UTC", outlook.body-content-type="text"';
/** The fields {@link differsFromExport} compares, asked for when an export is looked up. */
const WRITTEN_FIELDS = 'id,subject,body,location,start,end,attendees,showAs';
/**
 * Longest subscription asked for, minutes. Graph's table of maximum expiration times gives
 * Outlook events "10,080 minutes (under seven days)" (1,440 with resource data, which Calsync
 * does not ask for) and gave "4,230 minutes (under three days)" until late 2024; it adds "In the
 * future, any requests to create or renew a subscription beyond the maximum value will fail".
 * Asking for the older limit works with both. A lifecycleNotificationUrl changes no Outlook
 * limit: the rule that requires one beyond 1 hour is for Teams resources.
 * @see https://learn.microsoft.com/graph/change-notifications-overview#subscription-lifetime
 * @see https://learn.microsoft.com/graph/api/resources/subscription (lifecycleNotificationUrl)
 */
const MAX_SUBSCRIPTION_MINUTES = 4_230;
/**
 * Times a full round is begun again after Graph forgot its skip token in the middle (410
 * syncStateNotFound on a nextLink): the documented answer is to synchronize again from the start.
 * @see https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
 */
const MAX_ROUND_RESTARTS = 2;
/** A deltaLink of `/me/calendars/{id}/calendarView/delta`, documented in beta only. */
const LEGACY_CALENDAR_DELTA = /\/me\/calendars\/[^/?]+\/calendarView\/delta\?/;
/** Changes of events that warrant a sync: every kind. */
const SUBSCRIPTION_CHANGE_TYPES = 'created,updated,deleted';

/** A Graph `subscription` resource, the fields Calsync reads. */
interface GraphSubscription {
  id: string;
  expirationDateTime: string;
}

/** A Graph `calendar` resource, the fields Calsync reads. */
interface GraphCalendar {
  id: string;
  name: string;
  hexColor?: string | null;
  isDefaultCalendar?: boolean;
  canEdit?: boolean;
  changeKey?: string | null;
}

/** One page of an OData collection; delta pages end a round with `@odata.deltaLink`. */
interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Where a round begins: a delta round ends with a deltaLink, a calendarView list without one. */
interface RoundStart {
  path: string;
  delta: boolean;
  /** Whether the round returns the whole window (it began without a cursor). */
  full: boolean;
}

/** A delta item is an event, or only `id` and `@removed` when it left the calendar view. */
type DeltaItem = GraphEvent & { '@removed'?: { reason?: string } };

/**
 * Microsoft Graph adapter (Outlook / Microsoft 365 calendars) over
 * `@microsoft/microsoft-graph-client`. Reads calendars with `GET /me/calendars` and events with
 * the calendarView delta function, whose `@odata.deltaLink` is the incremental-sync cursor.
 * Graph expands recurring series server-side: every occurrence comes as its own event.
 * Writes appointments with `POST /me/calendars/{id}/events`, `PATCH` and `DELETE
 * /me/events/{id}`, made idempotent by the event's `transactionId`.
 *
 * The client runs with a bare middleware chain (HTTPMessageHandler only): its RetryHandler
 * would retry 429/503 on its own schedule on top of {@link withRetry}, and its
 * AuthenticationHandler only attaches the token for https Graph hosts. The bearer token is set
 * per request instead, and only ever sent to `graphUrl`.
 * @see https://learn.microsoft.com/graph/delta-query-events
 * @see https://learn.microsoft.com/graph/throttling
 */
export class GraphCalendarAdapter implements CalendarProvider {
  private readonly graphUrl: string;
  private readonly client: Client;

  /** @param options.graphUrl Graph's origin, `https://graph.microsoft.com` ({@link GRAPH_URL}) in production. */
  constructor(options: { graphUrl: string }) {
    this.graphUrl = options.graphUrl.replace(/\/+$/, '');
    this.client = Client.initWithMiddleware({
      middleware: new HTTPMessageHandler(),
      baseUrl: `${this.graphUrl}/`,
      defaultVersion: GRAPH_VERSION,
    });
  }

  /**
   * Lists the account's calendars (`GET /me/calendars`, every page). Graph states no time zone
   * per calendar, so `timeZone` is null; `ctag` is the calendar's changeKey.
   * @throws ProviderError AUTH_REVOKED (401), TEMPORARY (429/5xx/network after retries), UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/user-list-calendars
   */
  async listCalendars(credentials: ProviderCredentials): Promise<DiscoveredCalendar[]> {
    const access = oauthAccessOf(credentials);
    const calendars: DiscoveredCalendar[] = [];
    let path: string | undefined = '/me/calendars';
    while (path) {
      const page: GraphPage<GraphCalendar> = await this.request(access, 'GET', path, 'listing calendars');
      calendars.push(...page.value.map(toDiscoveredCalendar));
      path = page['@odata.nextLink'] && this.pathOf(page['@odata.nextLink'], 'UNKNOWN');
    }
    return calendars;
  }

  /**
   * Every occurrence of one calendar overlapping the window: a delta round without cursor.
   * Events come in UTC; all-day events are read in `options.timeZone`.
   * @throws ProviderError as {@link fetchChanges}.
   */
  async fetchEvents(credentials: ProviderCredentials, calendarId: string, options: FetchOptions): Promise<FetchResult> {
    const { events, skipped } = await this.fetchChanges(credentials, calendarId, null, options);
    return { events, skipped };
  }

  /**
   * One round of a calendar's events in the window, by the paths Graph v1.0 documents:
   * - the primary calendar (`GET /me/calendar`) by delta: without a cursor
   *   `GET /me/calendarView/delta?startDateTime=..&endDateTime=..` (the window, UTC) returns the
   *   whole window (`full`); with a cursor it GETs that deltaLink, which keeps the original
   *   window, and returns only what changed. Either way it follows `@odata.nextLink` until the
   *   `@odata.deltaLink` that becomes `nextCursor`. v1.0 documents calendarView delta for the
   *   primary calendar only (`/calendars/{id}/calendarView/delta` is beta, "not supported in
   *   production");
   * - any other calendar by `GET /me/calendars/{id}/calendarView` (every page): the whole window
   *   each time, `nextCursor` null, so that every sync of it is full and the engine removes
   *   what is gone. Change notifications still say when to read it.
   * A skip token Graph forgot in the middle of a full round (410 `syncStateNotFound`) begins the
   * round again, at most {@link MAX_ROUND_RESTARTS} times. Removed, cancelled and declined events
   * become `deletedIds`; an id seen twice in one round keeps its last state.
   * @param cursor a deltaLink from an earlier round, or null.
   * @throws ProviderError SYNC_CURSOR_INVALID when Graph expired the cursor's delta token (410,
   *   syncStateNotFound, ...) or the cursor is not a link on `graphUrl`; AUTH_REVOKED (401);
   *   NOT_FOUND (unknown calendar, or a mailbox Graph cannot serve); TEMPORARY (429/5xx/network
   *   after retries); UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/event-delta
   * @see https://learn.microsoft.com/graph/api/calendar-list-calendarview
   * @see https://learn.microsoft.com/graph/api/calendar-get
   */
  async fetchChanges(credentials: ProviderCredentials, calendarId: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const access = oauthAccessOf(credentials);
    // A deltaLink of the beta-only per-calendar delta (saved by earlier versions) is left for a full round.
    if (cursor !== null && !LEGACY_CALENDAR_DELTA.test(cursor)) {
      return this.round(access, calendarId, { path: this.pathOf(cursor, 'SYNC_CURSOR_INVALID'), delta: true, full: false }, options);
    }
    const primary = await this.request<{ id: string }>(access, 'GET', '/me/calendar?$select=id', `finding the primary calendar`, { signal: options.signal });
    const start: RoundStart =
      primary.id === calendarId
        ? { path: primaryDeltaPath(options), delta: true, full: true }
        : { path: calendarViewPath(calendarId, options), delta: false, full: true };
    for (let restarts = 0; ; restarts++) {
      try {
        return await this.round(access, calendarId, start, options);
      } catch (error) {
        if (!(error instanceof ProviderError && error.code === 'SYNC_CURSOR_INVALID') || restarts >= MAX_ROUND_RESTARTS) throw error;
      }
    }
  }

  /** One round from `start`, every nextLink followed. */
  private async round(access: OAuthAccess, calendarId: string, start: RoundStart, options: FetchOptions): Promise<ChangeSet> {
    const action = `syncing calendar ${calendarId}`;
    const { delta, full } = start;
    let path = start.path;
    const events = new Map<string, NormalizedEvent>();
    const deleted = new Set<string>();
    const skipped: SkippedEvent[] = [];
    for (;;) {
      // A run past its deadline stops paging; the request under way is aborted with it.
      options.signal?.throwIfAborted();
      const page: GraphPage<DeltaItem> = await this.request(access, 'GET', path, action, { prefer: DELTA_PREFER, signal: options.signal });
      for (const item of page.value) {
        const mapped = item['@removed'] ? ({ kind: 'deleted' } as const) : mapGraphEvent(item, options.timeZone);
        events.delete(item.id);
        deleted.delete(item.id);
        if (mapped.kind === 'event') events.set(item.id, mapped.event);
        else if (mapped.kind === 'deleted') deleted.add(item.id);
        else skipped.push({ uid: item.id, reason: mapped.reason });
      }
      const next = page['@odata.nextLink'];
      const deltaLink = page['@odata.deltaLink'] ?? null;
      if (next) path = this.pathOf(next, 'UNKNOWN');
      // A calendarView list ends without either link: there is no cursor to keep.
      else if (deltaLink || !delta) return { events: [...events.values()], deletedIds: [...deleted], skipped, nextCursor: deltaLink, full };
      else throw new ProviderError('UNKNOWN', `Microsoft Graph ended a page without nextLink or deltaLink while ${action}`);
    }
  }

  /**
   * Subscribes to changes of the calendar's events (`POST /subscriptions`, resource
   * `me/calendars/{id}/events`, every change type, `request.token` as `clientState`). Graph
   * first POSTs `?validationToken=` to `request.address` and creates the subscription only when
   * the token is echoed within 10 seconds. With `request.lifecycleAddress`, it is the
   * subscription's `lifecycleNotificationUrl` (validated by Graph the same way; it can only be set
   * here, at creation). The expiry is `request.expiresAt` capped at 4,230 minutes from now (see
   * MAX_SUBSCRIPTION_MINUTES); `channelId` is the subscription id.
   * @throws ProviderError AUTH_REVOKED, NOT_FOUND, TEMPORARY, UNKNOWN (validation failed: 400).
   * @see https://learn.microsoft.com/graph/api/subscription-post-subscriptions
   * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
   * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
   */
  async watch(credentials: ProviderCredentials, calendarId: string, request: WatchRequest): Promise<WatchChannel> {
    const body = {
      changeType: SUBSCRIPTION_CHANGE_TYPES,
      notificationUrl: request.address,
      ...(request.lifecycleAddress === undefined ? {} : { lifecycleNotificationUrl: request.lifecycleAddress }),
      resource: `me/calendars/${encodeURIComponent(calendarId)}/events`,
      expirationDateTime: cappedExpiry(request.expiresAt).toISOString(),
      clientState: request.token,
    };
    const subscription = await this.request<GraphSubscription>(oauthAccessOf(credentials), 'POST', '/subscriptions', `subscribing to calendar ${calendarId}`, {
      body,
    });
    return { channelId: subscription.id, resourceId: null, expiresAt: new Date(subscription.expirationDateTime) };
  }

  /**
   * Extends a subscription (`PATCH /subscriptions/{id}` with a new `expirationDateTime`, capped
   * as in {@link watch}).
   * @throws ProviderError NOT_FOUND when Graph removed the subscription, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/subscription-update
   */
  async renew(credentials: ProviderCredentials, channel: WatchChannelRef, expiresAt: Date): Promise<Date> {
    const body = { expirationDateTime: cappedExpiry(expiresAt).toISOString() };
    const path = `/subscriptions/${encodeURIComponent(channel.channelId)}`;
    const subscription = await this.request<GraphSubscription>(oauthAccessOf(credentials), 'PATCH', path, `renewing subscription ${channel.channelId}`, {
      body,
    });
    return new Date(subscription.expirationDateTime);
  }

  /**
   * Answers a `reauthorizationRequired` lifecycle notification: `POST
   * /subscriptions/{id}/reauthorize` (no body; 204), which keeps the expiry where it is, so that
   * renewal stays with {@link renew}. Retrying it is harmless.
   * @throws ProviderError NOT_FOUND when Graph removed the subscription, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/subscription-reauthorize
   * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events#responding-to-reauthorizationrequired-notifications
   */
  async reauthorize(credentials: ProviderCredentials, channel: WatchChannelRef): Promise<void> {
    const path = `/subscriptions/${encodeURIComponent(channel.channelId)}/reauthorize`;
    await this.request(oauthAccessOf(credentials), 'POST', path, `reauthorizing subscription ${channel.channelId}`);
  }

  /**
   * Deletes a subscription (`DELETE /subscriptions/{id}`); one Graph no longer knows (404)
   * counts as deleted.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/subscription-delete
   */
  async unwatch(credentials: ProviderCredentials, channel: WatchChannelRef): Promise<void> {
    const path = `/subscriptions/${encodeURIComponent(channel.channelId)}`;
    try {
      await this.request(oauthAccessOf(credentials), 'DELETE', path, `deleting subscription ${channel.channelId}`);
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NOT_FOUND')) throw error;
    }
  }

  /**
   * Creates the exported event, exactly once: each attempt first looks the export up by its
   * extended property `calsyncExportId` (`GET /me/events?$filter=singleValueExtendedProperties/
   * Any(ep: ep/id eq '...' and ep/value eq '<exportId>')`, the mailbox's events) and POSTs
   * (`POST /me/calendars/{id}/events`, see toGraphEventCreate) only when none is found. An event
   * an earlier attempt created (a timeout, or a crash before Calsync committed the answer) is
   * found so, and brought up to date with a PATCH when it differs from `event`. Graph's
   * `transactionId` is sent too, but it is documented only against identical retries.
   * @returns Graph's event id; etag null (Graph needs none to update).
   * @throws ProviderError AUTH_REVOKED (401), NOT_FOUND (unknown calendar), TEMPORARY
   *   (429/5xx/network after retries), UNKNOWN (e.g. 403 on a read-only calendar).
   * @see https://learn.microsoft.com/graph/api/calendar-post-events
   * @see https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
   * @see https://learn.microsoft.com/graph/api/resources/event (transactionId)
   */
  async createEvent(credentials: ProviderCredentials, calendarId: string, event: ExportEvent): Promise<ExportedEventRef> {
    const access = oauthAccessOf(credentials);
    const action = `exporting appointment ${event.appointmentId} to calendar ${calendarId}`;
    // Lookup and POST are retried together: a POST is never repeated without looking first.
    const { ref, stale } = await withRetry(() => this.createOnce(access, calendarId, event, action), DEFAULT_RETRY_POLICY);
    if (stale) await this.patchEvent(access, ref, event, action);
    return ref;
  }

  /** One attempt of {@link createEvent}: the export found (`stale` when it differs from `event`), or POSTed. */
  private async createOnce(access: OAuthAccess, calendarId: string, event: ExportEvent, action: string): Promise<{ ref: ExportedEventRef; stale: boolean }> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${EXPORT_PROPERTY_ID}' and ep/value eq '${event.exportId}')`;
    const lookup = `/me/events?$filter=${encodeURIComponent(filter)}&$select=${WRITTEN_FIELDS}`;
    const found = await this.request<GraphPage<GraphWrittenEvent>>(access, 'GET', lookup, action, { prefer: WRITE_PREFER, retry: false });
    const existing = found.value[0];
    if (existing) return { ref: { providerEventId: existing.id, etag: null }, stale: differsFromExport(existing, event) };
    const path = `/me/calendars/${encodeURIComponent(calendarId)}/events`;
    const created = await this.request<GraphWrittenEvent>(access, 'POST', path, action, {
      body: toGraphEventCreate(event),
      prefer: WRITE_PREFER,
      retry: false,
    });
    return { ref: { providerEventId: created.id, etag: null }, stale: false };
  }

  /**
   * Overwrites the exported event with `event`: `PATCH /me/events/{id}` with every field Calsync
   * writes (see toGraphEventWrite). The event id is unique in the mailbox, so the calendar is
   * not needed; a PATCH is idempotent, so it is retried while TEMPORARY.
   * @throws ProviderError NOT_FOUND (404: the event is gone; the caller then creates it),
   *   AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/event-update
   */
  async updateEvent(credentials: ProviderCredentials, calendarId: string, ref: ExportedEventRef, event: ExportEvent): Promise<ExportedEventRef> {
    const action = `updating the export of appointment ${event.appointmentId} in calendar ${calendarId}`;
    await this.patchEvent(oauthAccessOf(credentials), ref, event, action);
    return { providerEventId: ref.providerEventId, etag: null };
  }

  /**
   * Deletes the exported event: `DELETE /me/events/{id}` (204). An event Graph no longer has
   * (404) counts as deleted, so that a retry after a lost answer succeeds.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/event-delete
   */
  async deleteEvent(credentials: ProviderCredentials, calendarId: string, ref: ExportedEventRef): Promise<void> {
    const path = `/me/events/${encodeURIComponent(ref.providerEventId)}`;
    try {
      await this.request(oauthAccessOf(credentials), 'DELETE', path, `deleting exported event ${ref.providerEventId} from calendar ${calendarId}`);
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NOT_FOUND')) throw error;
    }
  }

  private async patchEvent(access: OAuthAccess, ref: ExportedEventRef, event: ExportEvent, action: string): Promise<void> {
    const path = `/me/events/${encodeURIComponent(ref.providerEventId)}`;
    await this.request(access, 'PATCH', path, action, { body: toGraphEventWrite(event), prefer: WRITE_PREFER });
  }

  /**
   * One request through the Graph client, retried while TEMPORARY; failures parsed once.
   * `signal` aborts it early (a sync run's deadline), its retries included.
   */
  private request<T>(
    access: OAuthAccess,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    action: string,
    { body, prefer, signal, retry = true }: { body?: object; prefer?: string; signal?: AbortSignal; retry?: boolean } = {},
  ): Promise<T> {
    const attempt = async (): Promise<T> => {
      try {
        const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        const request = this.client
          .api(path)
          .header('Authorization', `Bearer ${access.accessToken}`)
          .option('signal', signal ? AbortSignal.any([timeout, signal]) : timeout);
        if (prefer) request.header('Prefer', prefer);
        switch (method) {
          case 'GET':
            return (await request.get()) as T;
          case 'POST':
            return (await request.post(body)) as T;
          case 'PATCH':
            return (await request.patch(body)) as T;
          case 'DELETE':
            return (await request.delete()) as T;
        }
      } catch (error) {
        throw parseGraphError(error, action);
      }
    };
    return retry ? withRetry(attempt, DEFAULT_RETRY_POLICY, signal) : attempt();
  }

  /**
   * The path of a nextLink/deltaLink, relative to the client's base. Graph's links are absolute;
   * the client only recognises absolute `https://` URLs and would append any other to its base,
   * and a link to another host must not receive the token anyway.
   */
  private pathOf(link: string, codeWhenForeign: 'SYNC_CURSOR_INVALID' | 'UNKNOWN'): string {
    const base = `${this.graphUrl}/${GRAPH_VERSION}/`;
    if (!link.startsWith(base)) {
      const message =
        codeWhenForeign === 'SYNC_CURSOR_INVALID'
          ? `The saved delta link does not point into ${base} (was graphUrl changed?); a full sync is needed`
          : `Microsoft Graph sent a paging link outside ${base}`;
      throw new ProviderError(codeWhenForeign, message);
    }
    return link.slice(base.length - 1);
  }
}

function cappedExpiry(wanted: Date | undefined): Date {
  const longest = Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000;
  return new Date(Math.min(wanted?.getTime() ?? longest, longest));
}

function windowQuery({ window }: FetchOptions): string {
  return `startDateTime=${window.from.toISOString()}&endDateTime=${window.to.toISOString()}`;
}

function primaryDeltaPath(options: FetchOptions): string {
  return `/me/calendarView/delta?${windowQuery(options)}`;
}

function calendarViewPath(calendarId: string, options: FetchOptions): string {
  return `/me/calendars/${encodeURIComponent(calendarId)}/calendarView?${windowQuery(options)}&$top=${DELTA_PAGE_SIZE}`;
}

function toDiscoveredCalendar(calendar: GraphCalendar): DiscoveredCalendar {
  return {
    providerCalendarId: calendar.id,
    name: calendar.name,
    color: calendar.hexColor || null,
    timeZone: null,
    primary: calendar.isDefaultCalendar === true,
    canWrite: calendar.canEdit === true,
    ctag: calendar.changeKey ?? null,
  };
}

function oauthAccessOf(credentials: ProviderCredentials): OAuthAccess {
  if (!('accessToken' in credentials)) throw new ProviderError('AUTH_REVOKED', 'Microsoft Graph needs OAuth credentials, not a password');
  return credentials;
}
