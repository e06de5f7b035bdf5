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
import { differsFromExport, toGraphEventCreate, toGraphEventWrite, type GraphWrittenEvent } from './graph-export.mapper';
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
/**
 * Longest subscription asked for, minutes. Graph allows up to 10,080 minutes (under 7 days) for
 * Outlook events today and allowed 4,230 before; asking for the older limit works with both,
 * and renewal by PATCH costs one request every few days.
 */
const MAX_SUBSCRIPTION_MINUTES = 4_230;
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
   * One delta round of a calendar view. Without a cursor it starts at
   * `GET /me/calendars/{id}/calendarView/delta?startDateTime=..&endDateTime=..` (the window,
   * UTC) and returns the whole window (`full`); with a cursor it GETs that deltaLink, which
   * keeps the original window, and returns only what changed. Either way it follows
   * `@odata.nextLink` until the `@odata.deltaLink` that becomes `nextCursor`.
   * Removed, cancelled and declined events become `deletedIds`; an id seen twice in one round
   * keeps its last state.
   * @param cursor a deltaLink from an earlier round, or null.
   * @throws ProviderError SYNC_CURSOR_INVALID when Graph expired the delta token (410,
   *   syncStateNotFound, ...) or the cursor is not a link on `graphUrl`; AUTH_REVOKED (401);
   *   NOT_FOUND (unknown calendar); TEMPORARY (429/5xx/network after retries); UNKNOWN.
   * @see https://learn.microsoft.com/graph/api/event-delta
   * @see https://learn.microsoft.com/graph/delta-query-events
   */
  async fetchChanges(credentials: ProviderCredentials, calendarId: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const access = oauthAccessOf(credentials);
    const action = `syncing calendar ${calendarId}`;
    const events = new Map<string, NormalizedEvent>();
    const deleted = new Set<string>();
    const skipped: SkippedEvent[] = [];
    let path = cursor === null ? windowDeltaPath(calendarId, options) : this.pathOf(cursor, 'SYNC_CURSOR_INVALID');
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
      const deltaLink = page['@odata.deltaLink'];
      if (next) path = this.pathOf(next, 'UNKNOWN');
      else if (deltaLink) return { events: [...events.values()], deletedIds: [...deleted], skipped, nextCursor: deltaLink, full: cursor === null };
      else throw new ProviderError('UNKNOWN', `Microsoft Graph ended a page without nextLink or deltaLink while ${action}`);
    }
  }

  /**
   * Subscribes to changes of the calendar's events (`POST /subscriptions`, resource
   * `me/calendars/{id}/events`, every change type, `request.token` as `clientState`). Graph
   * first POSTs `?validationToken=` to `request.address` and creates the subscription only when
   * the token is echoed within 10 seconds. The expiry is `request.expiresAt` capped at 4,230
   * minutes from now (see MAX_SUBSCRIPTION_MINUTES); `channelId` is the subscription id.
   * @throws ProviderError AUTH_REVOKED, NOT_FOUND, TEMPORARY, UNKNOWN (validation failed: 400).
   * @see https://learn.microsoft.com/graph/api/subscription-post-subscriptions
   * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
   */
  async watch(credentials: ProviderCredentials, calendarId: string, request: WatchRequest): Promise<WatchChannel> {
    const body = {
      changeType: SUBSCRIPTION_CHANGE_TYPES,
      notificationUrl: request.address,
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
   * Creates the exported event: `POST /me/calendars/{id}/events` with `transactionId`
   * `calsync-<exportId>` and the appointment id as an extended property (see
   * toGraphEventCreate). Graph does not create a second event for a transactionId it already
   * has (a retry after a timeout, or after a crash before Calsync committed the first answer): it
   * answers with the existing event, whose content is that of the earlier attempt; when it
   * differs from `event`, it is brought up to date with a PATCH. A retried POST is therefore safe,
   * and each request is retried while TEMPORARY.
   * @returns Graph's event id; etag null (Graph needs none to update).
   * @throws ProviderError AUTH_REVOKED (401), NOT_FOUND (unknown calendar), TEMPORARY
   *   (429/5xx/network after retries), UNKNOWN (e.g. 403 on a read-only calendar).
   * @see https://learn.microsoft.com/graph/api/calendar-post-events
   * @see https://learn.microsoft.com/graph/api/resources/event (transactionId)
   */
  async createEvent(credentials: ProviderCredentials, calendarId: string, event: ExportEvent): Promise<ExportedEventRef> {
    const access = oauthAccessOf(credentials);
    const path = `/me/calendars/${encodeURIComponent(calendarId)}/events`;
    const action = `exporting appointment ${event.appointmentId} to calendar ${calendarId}`;
    const created = await this.request<GraphWrittenEvent>(access, 'POST', path, action, { body: toGraphEventCreate(event), prefer: WRITE_PREFER });
    const ref = { providerEventId: created.id, etag: null };
    if (differsFromExport(created, event)) await this.patchEvent(access, ref, event, action);
    return ref;
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
    { body, prefer, signal }: { body?: object; prefer?: string; signal?: AbortSignal } = {},
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
    return withRetry(attempt, DEFAULT_RETRY_POLICY, signal);
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

function windowDeltaPath(calendarId: string, { window }: FetchOptions): string {
  const query = `startDateTime=${window.from.toISOString()}&endDateTime=${window.to.toISOString()}`;
  return `/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta?${query}`;
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
