/**
 * An in-process fake of the Google services Calsync talks to, served over real HTTP on
 * 127.0.0.1, so that the production adapters run unchanged against it (only their base URLs
 * differ). It follows Google's public reference to the letter where Calsync depends on it:
 *
 * - OAuth 2.0 web-server flow with PKCE: `GET /o/oauth2/v2/auth` (consent is granted at once:
 *   302 to `redirect_uri?state=&code=&scope=`, or `?error=access_denied` when told to deny),
 *   `POST /token` (`authorization_code` with the S256/plain `code_verifier` checked, one-time
 *   codes, `refresh_token`; a refresh token only on the first offline consent of the account or
 *   a forced one (`prompt=consent`), at most 100 live per account (`refreshTokenLimit`: the oldest
 *   silently invalidated), 7 days in Testing mode (`testingMode`, `advanceClock`): see
 *   google-fake-grants.ts and https://developers.google.com/identity/protocols/oauth2#expiration;
 *   client id and secret from the body or HTTP Basic; `invalid_grant`,
 *   `invalid_client`, `redirect_uri_mismatch` bodies), `POST /revoke` (token in the query or the
 *   body; revoking either token revokes the grant; `invalid_token` when unknown).
 *   https://developers.google.com/identity/protocols/oauth2/web-server
 * - `GET /oauth2/v3/userinfo` (OpenID Connect userinfo; `email` only with the email scope).
 *   https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo
 * - `GET /calendar/v3/users/me/calendarList` (`maxResults` default 100, max 250, page tokens).
 *   https://developers.google.com/calendar/api/v3/reference/calendarList/list
 * - `GET /calendar/v3/calendars/{calendarId}/events` with `singleEvents`, `timeMin` (exclusive
 *   bound on the end) / `timeMax` (exclusive bound on the start), `showDeleted`, `maxResults`
 *   (default 250, capped at 2500), page tokens, and sync tokens: `nextSyncToken` on the last
 *   page only, also after a window-restricted listing; a `syncToken` returns everything changed
 *   since, at any date, deletions included as `status: cancelled` stubs; it is refused (400)
 *   with timeMin/timeMax/q/orderBy/iCalUID/updatedMin or `showDeleted=false`; an expired one
 *   is 410 `fullSyncRequired`. `primary` names the primary calendar.
 *   https://developers.google.com/calendar/api/v3/reference/events/list
 *   https://developers.google.com/calendar/api/guides/sync
 * - Push notifications: `POST /calendar/v3/calendars/{calendarId}/events/watch` (body `{ id, type:
 *   'web_hook' | 'webhook', address, token, params: { ttl } }`, ttl in seconds, default 604800;
 *   answers `{ kind: 'api#channel', id, resourceId, resourceUri, token, expiration }` with
 *   `expiration` in epoch milliseconds as a string, the same `resourceId` for every channel on
 *   one calendar's events), then POSTs the `sync` message to the address; `POST
 *   /calendar/v3/channels/stop` (`{ id, resourceId }`, 204, 404 `notFound` for an unknown or
 *   stopped channel). Messages are POSTs with an empty body and the headers `X-Goog-Channel-ID`,
 *   `X-Goog-Channel-Token` (when set), `X-Goog-Channel-Expiration` (RFC 1123 date),
 *   `X-Goog-Resource-ID`, `X-Goog-Resource-URI`, `X-Goog-Resource-State` (`sync`, then `exists`)
 *   and `X-Goog-Message-Number` (counting per channel). The address must be https ("an HTTPS
 *   server", with a valid SSL certificate), else 400 `push.webhookUrlNotHttps` (a reason the fake
 *   chooses); plain http is allowed for loopback addresses only, for tests. The holiday, birthday
 *   and week-number calendars (`...#holiday@group.v.calendar.google.com`,
 *   `addressbook#contacts@...`, `...#weeknum@...`) answer 400 `pushNotSupportedForRequestedResource`
 *   "Push notifications are not supported by this resource." (observed in production:
 *   https://github.com/KeepSoftwareSimple/compass-calendar/pull/2111). https://developers.google.com/calendar/api/guides/push
 *   https://developers.google.com/calendar/api/v3/reference/events/watch
 *   https://developers.google.com/calendar/api/v3/reference/channels/stop
 * - Event writes: `POST /calendar/v3/calendars/{calendarId}/events` (events.insert: a client id
 *   must be base32hex, lowercase a-v and 0-9, 5 to 1024 long, else 400 `invalid`; an id the
 *   calendar already holds, deleted ones included because Google keeps them as `cancelled`, is
 *   409 `duplicate` "The requested identifier already exists."; without one Google's kind of id is
 *   generated; Google adds that it "cannot guarantee that ID collisions will be detected at event
 *   creation time", so Calsync looks an id up before inserting it), `PUT .../events/{eventId}`
 *   (events.update: replaces the writable fields, 404 for an unknown id, 403 `forbidden` for an
 *   event the user deleted: googleapis/google-api-ruby-client#1811, google-api-python-client#846), `DELETE .../events/{eventId}` (204; 410 `deleted` "Resource has
 *   been deleted" when already deleted, 404 when unknown), `GET .../events/{eventId}` (deleted
 *   events too, with status `cancelled`, as Google's get always returns them). Writes go into
 *   the same history as seeded events, so events.list and sync tokens see them (deletions as
 *   `cancelled` stubs), and keep `extendedProperties`. `sendUpdates` must be all, externalOnly
 *   or none; no mail is sent either way. A write needs the `calendar` or `calendar.events` scope
 *   (else 403 `insufficientPermissions`) and an owner or writer role on the calendar (else 403
 *   `requiredAccessLevel`). The sequence starts at 0 and grows by one per update unless the
 *   client sends one; one below the stored value is 400 `invalid`.
 *   https://developers.google.com/calendar/api/v3/reference/events/insert
 *   https://developers.google.com/calendar/api/v3/reference/events/update
 *   https://developers.google.com/calendar/api/v3/reference/events/delete
 *   https://developers.google.com/calendar/api/v3/reference/events/get
 * - Errors with Google's JSON body `{ error: { errors: [{ domain, reason, message }], code, message } }`:
 *   401 `authError` without a valid bearer token, 404 `notFound`, 503 `backendError`, and the
 *   usage limits with their documented messages, domain `usageLimits` (google-fake-errors.ts):
 *   429/403 `rateLimitExceeded`, 403 `userRateLimitExceeded`, 403 `quotaExceeded` ("Calendar
 *   usage limits exceeded."), 403 `dailyLimitExceeded`; `Retry-After` only when a test asks (Google
 *   documents none for them). https://developers.google.com/calendar/api/guides/errors
 *   https://developers.google.com/calendar/api/guides/quota
 *
 * `onWrite` lets a test hold a write's answer after the fake has stored it, e.g. to kill the
 * process that sent it between the provider's write and its own commit.
 *
 * Simplifications: deleted events and the cancelled instances of a deleted series are kept as
 * tombstones for good (Google keeps them for a while, reported as about six months, and lists them
 * with showDeleted and sync tokens: https://developers.google.com/calendar/api/v3/reference/events/list);
 * recurring series are stored as their instances (ids `${masterId}_${YYYYMMDDTHHMMSSZ}`
 * with `recurringEventId` and `originalStartTime`, like Google's) next to a master carrying the
 * RRULE, which only `singleEvents=false` lists; page tokens are offsets, so a change while
 * paging may shift a page; no `id_token` is issued. Google sends `exists` messages on its own
 * after every change; here a test calls `notify(calendarId)` after its changes, so that tests
 * not about push see no extra syncs. Loopback watch addresses may be plain http (Google wants
 * https with a valid certificate), the TTL is granted as asked, and a reused channel id is refused
 * with 400 `channelIdNotUnique` (a reason the fake chooses; Google documents none).
 */
import type { calendar_v3 } from '@googleapis/calendar';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import {
  generatedEventId,
  isValidEventId,
  isValidSendUpdates,
  nextSequence,
  refusalOf,
  scopeAllowsWrites,
  writableFields,
  type WriteRefusal,
} from './google-fake-writes';
import { FakeGrants, type FakeGrantOptions, type Grant } from './google-fake-grants';
import { domainOf, messageOf } from './google-fake-errors';

/** The only OAuth client the fake knows, and the account every grant belongs to. */
export const FAKE_CLIENT_ID = 'calsync-test.apps.googleusercontent.com';
export const FAKE_CLIENT_SECRET = 'fake-client-secret';
export const FAKE_ACCOUNT_EMAIL = 'owner@example.com';
export const ALL_SCOPES = 'https://www.googleapis.com/auth/calendar.calendarlist.readonly https://www.googleapis.com/auth/calendar.events openid email';

/** A failure the fake answers instead of serving the next requests. */
export interface FakeFailure {
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** `errors[].reason`; defaults by status (rateLimitExceeded, backendError). */
  reason?: string;
}

/** A daily (or every `intervalDays`) timed series, expanded to `count` instances. */
export interface SeriesSpec {
  id: string;
  summary?: string;
  /** First start, RFC 3339 with an offset. */
  start: string;
  durationMinutes: number;
  count: number;
  intervalDays?: number;
  /** IANA zone the series is written in. */
  timeZone: string;
}

/** The HTTP method of an event write: insert, update, delete. */
export type FakeWriteMethod = 'POST' | 'PUT' | 'DELETE';

/**
 * Called after a write is stored and before it is answered, with the calendar's own id (never
 * `primary`) and the event id; the answer waits for the returned promise. When the hook throws
 * or rejects, the connection is dropped without an answer: the write stays, as when the network
 * fails after Google committed.
 */
export type FakeWriteHook = (method: FakeWriteMethod, calendarId: string, eventId: string) => Promise<void> | void;

/** A running fake: its base URL (for every Google base URL of the app) and its control API. */
export interface GoogleFake {
  url: string;
  close(): Promise<void>;
  addCalendar(entry: calendar_v3.Schema$CalendarListEntry & { id: string }): void;
  /**
   * Takes a calendar off the user's list, as unsubscribing or deleting it does: calendarList.list
   * no longer returns it, and its events are gone (404 for the calendar).
   * https://developers.google.com/calendar/api/v3/reference/calendarList/delete
   */
  removeCalendar(id: string): void;
  /** Adds an event (id required); the fake fills kind, etag, status, updated. */
  addEvent(calendarId: string, event: calendar_v3.Schema$Event & { id: string }): void;
  /** Adds a series' master and its instances; returns the instances. */
  addSeries(calendarId: string, spec: SeriesSpec): calendar_v3.Schema$Event[];
  /** Shallow-merges `patch` into the event, as events.patch would. */
  updateEvent(calendarId: string, eventId: string, patch: calendar_v3.Schema$Event): void;
  /** Deletes the event (a series: with its instances); it stays as a `cancelled` tombstone for sync tokens. */
  deleteEvent(calendarId: string, eventId: string): void;
  /** Every sync token issued so far is answered with 410 from now on. */
  expireSyncTokens(): void;
  /** The next `count` requests (consent page excepted) fail with `failure`. */
  failNext(count: number, failure: FakeFailure): void;
  /** The consent page answers `error=access_denied` while true. */
  denyConsent(deny: boolean): void;
  /** A grant as if consent had been given: its tokens. */
  issueTokens(scope?: string): { accessToken: string; refreshToken: string };
  /** Revokes every grant: refresh -> 400 invalid_grant, API -> 401. */
  revokeGrant(): void;
  /** Moves the fake's clock on (refresh tokens age with it: Testing mode expires them after 7 days). */
  advanceClock(ms: number): void;
  /**
   * POSTs an `exists` message to every live channel watching the calendar's events, as Google
   * does after a change; resolves with the HTTP statuses the receivers answered.
   */
  notify(calendarId: string): Promise<number[]>;
  /** Every channel opened so far, stopped ones included. */
  readonly channels: readonly FakeChannel[];
  /** Every push message delivered, in order, with the receiver's HTTP status. */
  readonly deliveries: ReadonlyArray<{ channelId: string; state: string; status: number }>;
  /** Requests received on `path` (a pathname, without query). */
  requestCount(path: string): number;
  /** Every request received, in order. */
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams }>;
  /** The stored event, deleted ones (status `cancelled`) included; undefined when unknown. */
  storedEvent(calendarId: string, eventId: string): calendar_v3.Schema$Event | undefined;
  /** Every stored event of the calendar (series masters, instances, deleted ones included), in insertion order. */
  storedEvents(calendarId: string): calendar_v3.Schema$Event[];
  /** See {@link FakeWriteHook}; null (the default) answers at once. */
  onWrite: FakeWriteHook | null;
}

/** A notification channel opened with events.watch. */
export interface FakeChannel {
  id: string;
  resourceId: string;
  calendarId: string;
  address: string;
  token: string | null;
  /** Epoch milliseconds. */
  expiration: number;
  stopped: boolean;
  messageNumber: number;
}

interface StoredEvent {
  resource: calendar_v3.Schema$Event;
  /** Position in the change history of the fake; sync tokens remember one. */
  seq: number;
  role: 'single' | 'master' | 'instance';
}

interface FakeCalendar {
  entry: calendar_v3.Schema$CalendarListEntry & { id: string };
  events: Map<string, StoredEvent>;
}

interface PendingCode {
  redirectUri: string;
  scope: string;
  /** Decided at consent: a first offline consent, or a forced one (`prompt=consent`). */
  refreshToken: boolean;
  challenge: string | null;
  challengeMethod: string;
}

/**
 * Calendars Google sends no notifications for: the holiday, birthday (contacts) and week-number
 * calendars, whose ids end so (https://github.com/KeepSoftwareSimple/compass-calendar/pull/2111).
 */
const UNWATCHABLE_CALENDAR = /#(holiday|contacts|weeknum)@group\.v\.calendar\.google\.com$/;

/** Google wants an https address; plain http is let through for loopback receivers only, so tests need no certificate. */
function isHttpsOrLoopback(address: string): boolean {
  const url = new URL(address);
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Listing parameters that Google refuses next to a syncToken. */
const SYNC_RESTRICTIONS = ['timeMin', 'timeMax', 'q', 'orderBy', 'iCalUID', 'updatedMin', 'privateExtendedProperty', 'sharedExtendedProperty'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Starts the fake on a random port of 127.0.0.1. */
export async function startGoogleFake(options: FakeGrantOptions = {}): Promise<GoogleFake> {
  const calendars = new Map<string, FakeCalendar>();
  const codes = new Map<string, PendingCode>();
  const grants = new FakeGrants(options);
  const syncTokens = new Map<string, { calendarId: string; seq: number }>();
  const counts = new Map<string, number>();
  const requests: GoogleFake['requests'] = [];
  const channels: FakeChannel[] = [];
  const deliveries: Array<{ channelId: string; state: string; status: number }> = [];
  let seq = 0;
  let failures: { remaining: number; failure: FakeFailure } = { remaining: 0, failure: { status: 503 } };
  let denying = false;
  let onWrite: FakeWriteHook | null = null;

  const token = (prefix: string) => prefix + randomBytes(18).toString('base64url');
  const grantOf = (value: string | undefined) => grants.grantOf(value);
  const newAccessToken = (grant: Grant) => grants.accessTokenOf(grant);
  const calendarOf = (calendarId: string) => {
    if (calendarId === 'primary') return [...calendars.values()].find((calendar) => calendar.entry.primary);
    return calendars.get(calendarId);
  };
  const store = (calendarId: string, resource: calendar_v3.Schema$Event, role: StoredEvent['role']) => {
    const calendar = calendarOf(calendarId);
    if (!calendar || !resource.id) throw new Error(`Fake: no calendar ${calendarId} or no event id`);
    seq += 1;
    const stored: calendar_v3.Schema$Event = {
      kind: 'calendar#event',
      status: 'confirmed',
      eventType: 'default',
      iCalUID: `${resource.recurringEventId ?? resource.id}@google.com`,
      ...resource,
      etag: `"${seq}"`,
      updated: new Date().toISOString(),
    };
    calendar.events.set(resource.id, { resource: stored, seq, role });
  };
  /** Deletes an event as Google does: a `cancelled` tombstone; a series' instances with it. */
  const cancel = (calendarId: string, eventId: string) => {
    const event = existing(calendarId, eventId);
    store(calendarId, { ...event.resource, status: 'cancelled' }, event.role);
    // Deleting a series cancels its instances: that is what singleEvents=true lists.
    for (const instance of calendarOf(calendarId)?.events.values() ?? []) {
      if (instance.resource.recurringEventId === eventId && instance.resource.status !== 'cancelled') {
        store(calendarId, { ...instance.resource, status: 'cancelled' }, 'instance');
      }
    }
  };
  const existing = (calendarId: string, eventId: string) => {
    const event = calendarOf(calendarId)?.events.get(eventId);
    if (!event) throw new Error(`Fake: no event ${eventId} in ${calendarId}`);
    return event;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => send(res, 500, { error: { code: 500, message: error.message } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    requests.push({ method: req.method ?? 'GET', path, query: url.searchParams });
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const raw = await readBody(req);
    const body = new URLSearchParams(raw);

    if (path !== '/o/oauth2/v2/auth' && failures.remaining > 0) {
      failures.remaining -= 1;
      const { status, retryAfter, reason } = failures.failure;
      const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
      const failed = reason ?? (status === 429 || status === 403 ? 'rateLimitExceeded' : 'backendError');
      return apiError(res, status, failed, messageOf(failed), headers);
    }
    if (req.method === 'GET' && path === '/o/oauth2/v2/auth') return consent(url.searchParams, res);
    if (req.method === 'POST' && path === '/token') return issueToken(req, body, res);
    if (req.method === 'POST' && path === '/revoke') {
      const grant = grantOf(url.searchParams.get('token') ?? body.get('token') ?? undefined);
      if (!grant) return send(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
      grant.revoked = true;
      return send(res, 200, {});
    }

    const grant = grantOf(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]);
    if (req.method === 'GET' && path === '/oauth2/v3/userinfo') {
      if (!grant) return send(res, 401, { error: 'invalid_request', error_description: 'Invalid Credentials' });
      const email = grant.scope.split(' ').includes('email') ? { email: FAKE_ACCOUNT_EMAIL, email_verified: true } : {};
      return send(res, 200, { sub: '110169484474386276334', ...email });
    }
    if (!path.startsWith('/calendar/v3/')) return apiError(res, 404, 'notFound', 'Not Found');
    if (!grant) return apiError(res, 401, 'authError', 'Invalid Credentials', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
    if (req.method === 'GET' && path === '/calendar/v3/users/me/calendarList') return listCalendars(url.searchParams, res);
    const eventsPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (req.method === 'GET' && eventsPath) return listEvents(decodeURIComponent(eventsPath[1]), url.searchParams, res);
    const watchPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/watch$/.exec(path);
    if (req.method === 'POST' && watchPath) return watch(decodeURIComponent(watchPath[1]), jsonOf(raw), res);
    if (req.method === 'POST' && path === '/calendar/v3/channels/stop') return stopChannel(jsonOf(raw), res);
    if (req.method === 'POST' && eventsPath) return insertEvent(decodeURIComponent(eventsPath[1]), grant, url.searchParams, raw, res);
    const eventPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)$/.exec(path);
    if (eventPath) {
      const [calendarId, eventId] = [decodeURIComponent(eventPath[1]), decodeURIComponent(eventPath[2])];
      if (req.method === 'GET') return getEvent(calendarId, eventId, res);
      if (req.method === 'PUT') return replaceEvent(calendarId, eventId, grant, url.searchParams, raw, res);
      if (req.method === 'DELETE') return removeEvent(calendarId, eventId, grant, url.searchParams, res);
    }
    return apiError(res, 404, 'notFound', 'Not Found');
  }

  /** The calendar a write goes to, or the refusal: unknown calendar, missing scope or role, bad sendUpdates. */
  function writeTarget(calendarId: string, grant: Grant, query: URLSearchParams): FakeCalendar | WriteRefusal {
    const calendar = calendarOf(calendarId);
    if (!calendar) return { status: 404, reason: 'notFound', message: 'Not Found' };
    if (!scopeAllowsWrites(grant.scope)) return { status: 403, reason: 'insufficientPermissions', message: 'Request had insufficient authentication scopes.' };
    if (!['owner', 'writer', undefined].includes(calendar.entry.accessRole ?? undefined)) {
      return { status: 403, reason: 'requiredAccessLevel', message: 'You need to have writer access to this calendar.' };
    }
    if (!isValidSendUpdates(query.get('sendUpdates'))) return { status: 400, reason: 'invalid', message: 'Invalid value for: sendUpdates' };
    return calendar;
  }

  /** Awaits the test's hook, then answers; a failing hook drops the connection instead. */
  async function answerWrite(res: ServerResponse, method: FakeWriteMethod, calendarId: string, eventId: string, answer: () => void): Promise<void> {
    try {
      await onWrite?.(method, calendarId, eventId);
    } catch {
      res.destroy();
      return;
    }
    answer();
  }

  async function insertEvent(calendarId: string, grant: Grant, query: URLSearchParams, raw: string, res: ServerResponse): Promise<void> {
    const calendar = writeTarget(calendarId, grant, query);
    if ('status' in calendar) return refuse(res, calendar);
    const body = jsonOf<calendar_v3.Schema$Event>(raw);
    if (!body) return apiError(res, 400, 'parseError', 'Parse Error');
    const refusal = refusalOf(body);
    if (refusal) return refuse(res, refusal);
    if (body.id !== undefined && body.id !== null && !isValidEventId(body.id)) return apiError(res, 400, 'invalid', 'Invalid resource id value.');
    if (body.id && calendar.events.has(body.id)) return apiError(res, 409, 'duplicate', 'The requested identifier already exists.');
    const id = body.id ?? generatedEventId();
    const owner = { email: calendar.entry.id, self: true };
    store(
      calendar.entry.id,
      { ...writableFields(body, calendar.entry.id), id, sequence: body.sequence ?? 0, created: new Date().toISOString(), creator: owner, organizer: owner },
      'single',
    );
    await answerWrite(res, 'POST', calendar.entry.id, id, () => send(res, 200, existing(calendar.entry.id, id).resource));
  }

  async function replaceEvent(calendarId: string, eventId: string, grant: Grant, query: URLSearchParams, raw: string, res: ServerResponse): Promise<void> {
    const calendar = writeTarget(calendarId, grant, query);
    if ('status' in calendar) return refuse(res, calendar);
    const stored = calendar.events.get(eventId);
    if (!stored) return apiError(res, 404, 'notFound', 'Not Found');
    // Google refuses to update an event the user deleted (googleapis/google-api-ruby-client#1811).
    if (stored.resource.status === 'cancelled') return apiError(res, 403, 'forbidden', 'Forbidden');
    const body = jsonOf<calendar_v3.Schema$Event>(raw);
    if (!body) return apiError(res, 400, 'parseError', 'Parse Error');
    const refusal = refusalOf(body);
    if (refusal) return refuse(res, refusal);
    const sequence = nextSequence(stored.resource.sequence ?? 0, body.sequence);
    if (typeof sequence !== 'number') return refuse(res, sequence);
    const { id, iCalUID, created, creator, organizer, recurringEventId, originalStartTime } = stored.resource;
    // A PUT replaces what the client controls.
    const status = body.status ?? 'confirmed';
    const kept = { id, iCalUID, created, creator, organizer, ...(recurringEventId ? { recurringEventId, originalStartTime } : {}) };
    store(calendar.entry.id, { ...writableFields(body, calendar.entry.id), ...kept, status, sequence }, stored.role);
    await answerWrite(res, 'PUT', calendar.entry.id, eventId, () => send(res, 200, existing(calendar.entry.id, eventId).resource));
  }

  async function removeEvent(calendarId: string, eventId: string, grant: Grant, query: URLSearchParams, res: ServerResponse): Promise<void> {
    const calendar = writeTarget(calendarId, grant, query);
    if ('status' in calendar) return refuse(res, calendar);
    const stored = calendar.events.get(eventId);
    if (!stored) return apiError(res, 404, 'notFound', 'Not Found');
    if (stored.resource.status === 'cancelled') return apiError(res, 410, 'deleted', 'Resource has been deleted');
    cancel(calendar.entry.id, eventId);
    await answerWrite(res, 'DELETE', calendar.entry.id, eventId, () => res.writeHead(204).end());
  }

  function getEvent(calendarId: string, eventId: string, res: ServerResponse): void {
    const stored = calendarOf(calendarId)?.events.get(eventId);
    if (!stored) return apiError(res, 404, 'notFound', 'Not Found');
    send(res, 200, stored.resource);
  }

  function watch(calendarId: string, request: calendar_v3.Schema$Channel | null, res: ServerResponse): void {
    const calendar = calendarOf(calendarId);
    if (!calendar) return apiError(res, 404, 'notFound', 'Not Found');
    if (!request?.id || request.id.length > 64 || !/^[A-Za-z0-9\-_+/=]+$/.test(request.id)) return apiError(res, 400, 'invalid', 'Invalid channel id.');
    if (request.type !== 'web_hook' && request.type !== 'webhook') return apiError(res, 400, 'invalid', 'Invalid value for: type');
    if (UNWATCHABLE_CALENDAR.test(calendar.entry.id))
      return apiError(res, 400, 'pushNotSupportedForRequestedResource', messageOf('pushNotSupportedForRequestedResource'));
    if (!request.address || !/^https?:\/\//.test(request.address))
      return apiError(res, 400, 'push.webhookUrlUnauthorized', 'Unauthorized WebHook callback channel: ' + (request.address ?? ''));
    if (!isHttpsOrLoopback(request.address)) return apiError(res, 400, 'push.webhookUrlNotHttps', 'WebHook callback must be HTTPS: ' + request.address);
    if (channels.some((channel) => channel.id === request.id)) return apiError(res, 400, 'channelIdNotUnique', `Channel id ${request.id} not unique`);
    const ttl = Number(request.params?.ttl ?? 604_800);
    if (!(ttl > 0)) return apiError(res, 400, 'invalid', 'Invalid value for: params.ttl');
    const channel: FakeChannel = {
      id: request.id,
      resourceId: createHash('sha1').update(calendar.entry.id).digest('base64url').slice(0, 27),
      calendarId: calendar.entry.id,
      address: request.address,
      token: request.token ?? null,
      expiration: Date.now() + ttl * 1000,
      stopped: false,
      messageNumber: 0,
    };
    channels.push(channel);
    send<calendar_v3.Schema$Channel>(res, 200, {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: resourceUri(channel.calendarId),
      ...(channel.token === null ? {} : { token: channel.token }),
      expiration: String(channel.expiration),
    });
    // Google announces the channel with a `sync` message once it is open.
    setImmediate(() => void deliver(channel, 'sync'));
  }

  function stopChannel(request: calendar_v3.Schema$Channel | null, res: ServerResponse): void {
    const channel = channels.find((candidate) => candidate.id === request?.id && candidate.resourceId === request?.resourceId && !candidate.stopped);
    if (!channel) return apiError(res, 404, 'notFound', `Channel '${request?.id ?? ''}' not found for project '000000000000'`);
    channel.stopped = true;
    res.writeHead(204).end();
  }

  async function deliver(channel: FakeChannel, state: 'sync' | 'exists'): Promise<number> {
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      'x-goog-channel-id': channel.id,
      'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': resourceUri(channel.calendarId),
      'x-goog-resource-state': state,
      'x-goog-message-number': String(channel.messageNumber),
      ...(channel.token === null ? {} : { 'x-goog-channel-token': channel.token }),
    };
    const status = await fetch(channel.address, { method: 'POST', headers }).then(
      (response) => response.status,
      () => 0,
    );
    deliveries.push({ channelId: channel.id, state, status });
    return status;
  }

  function resourceUri(calendarId: string): string {
    return `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?alt=json`;
  }

  function consent(query: URLSearchParams, res: ServerResponse): void {
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== FAKE_CLIENT_ID || !redirectUri) return send(res, 400, { error: 'invalid_client' });
    if (query.get('response_type') !== 'code' || !query.get('scope')) return send(res, 400, { error: 'invalid_request' });
    const target = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (denying) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = token('4/');
      const challengeMethod = query.get('code_challenge_method') ?? 'plain';
      const scope = query.get('scope') ?? '';
      const forced = (query.get('prompt') ?? '').split(' ').includes('consent');
      const refreshToken = grants.sendsRefreshToken(scope, query.get('access_type') === 'offline', forced);
      codes.set(code, { redirectUri, scope, refreshToken, challenge: query.get('code_challenge'), challengeMethod });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', scope);
    }
    res.writeHead(302, { location: target.toString() }).end();
  }

  function issueToken(req: IncomingMessage, body: URLSearchParams, res: ServerResponse): void {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    if ((body.get('client_id') ?? basicId) !== FAKE_CLIENT_ID || (body.get('client_secret') ?? basicSecret) !== FAKE_CLIENT_SECRET) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    const grantType = body.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = body.get('code') ?? '';
      const pending = codes.get(code);
      codes.delete(code);
      if (!pending) return send(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      if (body.get('redirect_uri') !== pending.redirectUri) return send(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      if (pending.challenge !== null) {
        const verifier = body.get('code_verifier');
        if (!verifier) return send(res, 400, { error: 'invalid_grant', error_description: 'Missing code verifier.' });
        const computed = pending.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== pending.challenge) return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      }
      const grant = grants.create(pending.scope, pending.refreshToken);
      const refresh = grant.refreshToken ? { refresh_token: grant.refreshToken } : {};
      return send(res, 200, { access_token: newAccessToken(grant), expires_in: 3599, ...refresh, scope: grant.scope, token_type: 'Bearer' });
    }
    if (grantType === 'refresh_token') {
      const grant = grantOf(body.get('refresh_token') ?? undefined);
      if (!grant) return send(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return send(res, 200, { access_token: newAccessToken(grant), expires_in: 3599, scope: grant.scope, token_type: 'Bearer' });
    }
    send(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` });
  }

  function listCalendars(query: URLSearchParams, res: ServerResponse): void {
    const pageSize = Math.min(Number(query.get('maxResults') ?? 100), 250);
    if (!(pageSize >= 1)) return apiError(res, 400, 'invalid', 'Invalid value for: maxResults');
    const { offset } = decodePageToken(query.get('pageToken'), seq);
    const entries = [...calendars.values()].map(({ entry }): calendar_v3.Schema$CalendarListEntry => ({
      kind: 'calendar#calendarListEntry',
      etag: `"${entry.id}"`,
      accessRole: 'owner',
      backgroundColor: '#9fe1e7',
      foregroundColor: '#000000',
      defaultReminders: [],
      ...entry,
    }));
    const page = entries.slice(offset, offset + pageSize);
    const more = offset + pageSize < entries.length;
    send<calendar_v3.Schema$CalendarList>(res, 200, {
      kind: 'calendar#calendarList',
      etag: `"${seq}"`,
      ...(more ? { nextPageToken: encodePageToken(offset + pageSize, seq) } : { nextSyncToken: token('cl_') }),
      items: page,
    });
  }

  function listEvents(calendarId: string, query: URLSearchParams, res: ServerResponse): void {
    const calendar = calendarOf(calendarId);
    if (!calendar) return apiError(res, 404, 'notFound', 'Not Found');
    const pageSize = Math.min(Number(query.get('maxResults') ?? 250), 2500);
    if (!(pageSize >= 1)) return apiError(res, 400, 'invalid', 'Invalid value for: maxResults');
    const singleEvents = query.get('singleEvents') === 'true';
    const syncToken = query.get('syncToken');
    const listed = (role: StoredEvent['role']) => (singleEvents ? role !== 'master' : role !== 'instance');
    let matching: StoredEvent[];
    if (syncToken !== null) {
      if (SYNC_RESTRICTIONS.some((name) => query.has(name)) || query.get('showDeleted') === 'false') {
        return apiError(res, 400, 'invalid', 'Sync token cannot be used with other request restrictions.');
      }
      const known = syncTokens.get(syncToken);
      if (!known || known.calendarId !== calendar.entry.id) {
        return apiError(res, 410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
      }
      matching = [...calendar.events.values()].filter((event) => event.seq > known.seq && listed(event.role)).sort((a, b) => a.seq - b.seq);
    } else {
      const [timeMin, timeMax] = [query.get('timeMin'), query.get('timeMax')];
      for (const [name, value] of [
        ['timeMin', timeMin],
        ['timeMax', timeMax],
      ] as const) {
        if (value !== null && !RFC3339.test(value)) return apiError(res, 400, 'badRequest', `Bad Request: ${name}`);
      }
      const from = timeMin === null ? -Infinity : Date.parse(timeMin);
      const to = timeMax === null ? Infinity : Date.parse(timeMax);
      if (from >= to) return apiError(res, 400, 'timeRangeEmpty', 'The specified time range is empty.');
      const zone = calendar.entry.timeZone ?? 'UTC';
      const showDeleted = query.get('showDeleted') === 'true';
      matching = [...calendar.events.values()].filter(({ resource, role }) => {
        if (!listed(role) || (resource.status === 'cancelled' && !showDeleted)) return false;
        return millis(resource.end, zone) > from && millis(resource.start, zone) < to;
      });
    }
    // The sync token of the last page covers the changes made since the first page was served.
    const { offset, since } = decodePageToken(query.get('pageToken'), seq);
    const more = offset + pageSize < matching.length;
    const last = more ? {} : { nextSyncToken: rememberSyncToken(calendar.entry.id, since) };
    send<calendar_v3.Schema$Events>(res, 200, {
      kind: 'calendar#events',
      etag: `"${seq}"`,
      summary: calendar.entry.summary,
      updated: new Date().toISOString(),
      timeZone: calendar.entry.timeZone ?? 'UTC',
      accessRole: calendar.entry.accessRole ?? 'owner',
      defaultReminders: [],
      ...(more ? { nextPageToken: encodePageToken(offset + pageSize, since) } : last),
      items: matching.slice(offset, offset + pageSize).map(({ resource }) => (resource.status === 'cancelled' ? tombstone(resource) : resource)),
    });
  }

  function rememberSyncToken(calendarId: string, since: number): string {
    const value = token('CPDAlvWDx70CEPDAlvWDx70CGAU');
    syncTokens.set(value, { calendarId, seq: since });
    return value;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    channels,
    deliveries,
    notify: (calendarId) => {
      const watching = channels.filter(
        (channel) => channel.calendarId === calendarOf(calendarId)?.entry.id && !channel.stopped && channel.expiration > Date.now(),
      );
      return Promise.all(watching.map((channel) => deliver(channel, 'exists')));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    addCalendar: (entry) => calendars.set(entry.id, { entry, events: new Map() }),
    removeCalendar: (id) => calendars.delete(id),
    addEvent: (calendarId, event) => store(calendarId, event, 'single'),
    addSeries: (calendarId, spec) => {
      const first = DateTime.fromISO(spec.start, { zone: spec.timeZone });
      const wall = (time: DateTime) => ({ dateTime: time.toISO({ suppressMilliseconds: true }), timeZone: spec.timeZone });
      const interval = spec.intervalDays ?? 1;
      store(
        calendarId,
        {
          id: spec.id,
          summary: spec.summary,
          start: wall(first),
          end: wall(first.plus({ minutes: spec.durationMinutes })),
          recurrence: [`RRULE:FREQ=DAILY;INTERVAL=${interval};COUNT=${spec.count}`],
        },
        'master',
      );
      return Array.from({ length: spec.count }, (_, index) => {
        const start = first.plus({ days: index * interval });
        const instance: calendar_v3.Schema$Event = {
          id: `${spec.id}_${start.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
          summary: spec.summary,
          start: wall(start),
          end: wall(start.plus({ minutes: spec.durationMinutes })),
          recurringEventId: spec.id,
          originalStartTime: wall(start),
        };
        store(calendarId, instance, 'instance');
        return existing(calendarId, instance.id as string).resource;
      });
    },
    updateEvent: (calendarId, eventId, patch) => {
      const event = existing(calendarId, eventId);
      store(calendarId, { ...event.resource, ...patch, id: eventId }, event.role);
    },
    deleteEvent: cancel,
    storedEvent: (calendarId, eventId) => calendarOf(calendarId)?.events.get(eventId)?.resource,
    storedEvents: (calendarId) => [...(calendarOf(calendarId)?.events.values() ?? [])].map(({ resource }) => resource),
    get onWrite() {
      return onWrite;
    },
    set onWrite(hook: FakeWriteHook | null) {
      onWrite = hook;
    },
    expireSyncTokens: () => syncTokens.clear(),
    failNext: (count, failure) => {
      failures = { remaining: count, failure };
    },
    denyConsent: (deny) => {
      denying = deny;
    },
    issueTokens: (scope = ALL_SCOPES) => {
      const grant = grants.create(scope, true);
      return { accessToken: newAccessToken(grant), refreshToken: grant.refreshToken as string };
    },
    advanceClock: (ms) => grants.advanceClock(ms),
    revokeGrant: () => {
      grants.revokeAll();
    },
    requestCount: (path) => counts.get(path) ?? 0,
  };
}

/** What Google lists for a deleted event or cancelled instance: identity only. */
function tombstone(event: calendar_v3.Schema$Event): calendar_v3.Schema$Event {
  const { kind, etag, id, status, updated, recurringEventId, originalStartTime } = event;
  return { kind, etag, id, status, updated, ...(recurringEventId ? { recurringEventId, originalStartTime } : {}) };
}

/** An instant of an event time; all-day dates start at midnight in the calendar's zone. */
function millis(time: calendar_v3.Schema$EventDateTime | undefined, zone: string): number {
  if (time?.dateTime) return Date.parse(time.dateTime);
  if (time?.date) return DateTime.fromISO(time.date, { zone }).toMillis();
  return NaN;
}

/** Page tokens carry the offset of the page and the history position of the first page. */
function encodePageToken(offset: number, since: number): string {
  return Buffer.from(`${offset}:${since}`).toString('base64url');
}

function decodePageToken(pageToken: string | null, now: number): { offset: number; since: number } {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(pageToken ?? '', 'base64url').toString());
  return match ? { offset: Number(match[1]), since: Number(match[2]) } : { offset: 0, since: now };
}

function refuse(res: ServerResponse, refusal: WriteRefusal): void {
  apiError(res, refusal.status, refusal.reason, refusal.message);
}

function apiError(res: ServerResponse, status: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { error: { errors: [{ domain: domainOf(reason), reason, message }], code: status, message } }, headers);
}

/** Answers JSON; API answers are typed by googleapis' `calendar_v3.Schema$*` (OAuth and error bodies have no such type). */
function send<T = unknown>(res: ServerResponse, status: number, body: T, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }).end(JSON.stringify(body));
}

/** A JSON request body as an object, or null when it is not one. */
function jsonOf<T = calendar_v3.Schema$Channel>(raw: string): T | null {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as T) : null;
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The gateway configuration that points every Google endpoint at this fake. */
export function googleEnv(fake: GoogleFake): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: FAKE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    GOOGLE_ACCOUNTS_URL: fake.url,
    GOOGLE_OAUTH_URL: fake.url,
    GOOGLE_API_URL: fake.url,
  };
}
