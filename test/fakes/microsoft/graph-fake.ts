/**
 * A fake of the Microsoft identity platform and of the slice of Microsoft Graph v1.0 that
 * Calsync reads, served over real HTTP on 127.0.0.1, with a control API for tests.
 *
 * Followed to the letter of Microsoft's public reference:
 * - Authorization-code flow with PKCE, `/{tenant}/oauth2/v2.0/authorize` and `/token`: 302 back
 *   to redirect_uri with `code` and `state` (or `error=access_denied`); the token endpoint takes
 *   a form with client_id/client_secret, checks the code_verifier against the S256 (or plain)
 *   challenge, answers `token_type`, `scope`, `expires_in`, `ext_expires_in`, `access_token` and
 *   `refresh_token` (only with offline_access), rotates the refresh token on every refresh
 *   without revoking the old one, and fails as RFC 6749 section 5.2 with AADSTS descriptions.
 *   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 *   https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 *   https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * - `GET /v1.0/me` (with `$select`), https://learn.microsoft.com/graph/api/user-get
 * - `GET /v1.0/me/calendars`, paged with `$skip` nextLinks,
 *   https://learn.microsoft.com/graph/api/user-list-calendars
 * - `GET /v1.0/me/calendar` (the primary calendar, with `$select`),
 *   https://learn.microsoft.com/graph/api/calendar-get
 * - `GET /v1.0/me/calendarView/delta` (v1.0 documents calendarView delta for the primary calendar
 *   only; `/me/calendars/{id}/calendarView/delta` is beta and not served here):
 *   startDateTime/endDateTime (events that overlap), `Prefer: odata.maxpagesize` (answered with
 *   `Preference-Applied`), absolute `@odata.nextLink` with `$skiptoken` and `@odata.deltaLink`
 *   with `$deltatoken`; a deltatoken round returns only what changed since (within the original
 *   window), removals as `{ "@removed": { "reason": "deleted" }, "id": ... }`; the first round
 *   returns the events as they are when it starts. Tokens may expire at any time, even in the
 *   middle of a round (expireDeltaTokens, expireDeltaTokensAfter): 410 syncStateNotFound.
 *   https://learn.microsoft.com/graph/api/event-delta,
 *   https://learn.microsoft.com/graph/delta-query-events,
 *   https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
 * - `GET /v1.0/me/calendars/{id}/calendarView` with startDateTime/endDateTime, `$top` and `$skip`
 *   nextLinks, https://learn.microsoft.com/graph/api/calendar-list-calendarview
 * - `GET /v1.0/me/events?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '..' and
 *   ep/value eq '..')`: the mailbox's live events with that property (name case-sensitive, value
 *   not), https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
 * - Change notifications (graph-fake-subscriptions.ts): `POST /v1.0/subscriptions` (changeType
 *   from created/updated/deleted, notificationUrl, resource `me/calendars/{id}/events`,
 *   expirationDateTime at most 10,080 minutes ahead, clientState of at most 128 characters)
 *   first POSTs `{notificationUrl}?validationToken=...` (text/plain) and creates the subscription
 *   (201) only when the token comes back as text/plain with 200 within 10 seconds, else 400
 *   `InvalidRequest`; `PATCH /v1.0/subscriptions/{id}` moves expirationDateTime;
 *   `DELETE /v1.0/subscriptions/{id}` (204); an unknown id is 404. Notifications are POSTs of
 *   `{ value: [{ subscriptionId, subscriptionExpirationDateTime, changeType, resource,
 *   resourceData, clientState, tenantId }] }`; one POST may carry items of several
 *   subscriptions sharing the URL (`notifyBatch`), and a POST not answered 2xx within 3 seconds
 *   is sent again, for up to 4 hours (`redeliverLast` sends one again, unchanged).
 *   https://learn.microsoft.com/graph/api/subscription-post-subscriptions,
 *   https://learn.microsoft.com/graph/api/resources/subscription,
 *   https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 * - Subscription lifetime: Outlook events "10,080 minutes (under seven days)" (1,440 with
 *   resource data, which the fake does not serve); a lifecycleNotificationUrl does not change it
 *   (the rule requiring one beyond 1 hour is for Teams resources).
 *   https://learn.microsoft.com/graph/change-notifications-overview#subscription-lifetime,
 *   https://learn.microsoft.com/graph/api/resources/subscription
 * - notificationUrl and lifecycleNotificationUrl "must make use of the HTTPS protocol" (400
 *   otherwise; plain http is let through for loopback hosts only, where the tests listen).
 *   https://learn.microsoft.com/graph/api/resources/subscription
 * - Lifecycle notifications: a `lifecycleNotificationUrl` given at creation is validated with a
 *   validationToken like the notificationUrl (both URLs are validated even when equal); it cannot
 *   be added or changed by PATCH (400 here); a subscription without one gets no lifecycle
 *   notification. `sendLifecycle` POSTs `{ value: [{ subscriptionId,
 *   subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent }] }` (no resource) with
 *   `reauthorizationRequired`, `missed` or `subscriptionRemoved`; the last removes the
 *   subscription (PATCH then 404). `POST /v1.0/subscriptions/{id}/reauthorize` answers 204 and
 *   keeps the expiry.
 *   https://learn.microsoft.com/graph/change-notifications-lifecycle-events,
 *   https://learn.microsoft.com/graph/api/subscription-reauthorize
 * - Events: `POST /v1.0/me/calendars/{id}/events` (201 with the event; 403 ErrorAccessDenied on
 *   a calendar without canEdit), `GET`, `PATCH` (only the properties sent change; 200 with the
 *   event) and `DELETE` (204) of `/v1.0/me/events/{id}` and `/v1.0/me/calendars/{cid}/events/{id}`;
 *   an unknown or deleted id, or one of another calendar, is 404 ErrorItemNotFound. What a body
 *   may hold is in graph-fake-writes.ts. Written events show in calendarView delta like seeded
 *   ones, deletions as `@removed`. `transactionId` is returned (null when none was set) and
 *   cannot change once set (400). `singleValueExtendedProperties` are stored and returned only
 *   by a GET of one event with `$expand=singleValueExtendedProperties($filter=id eq '...')`.
 *   Event bodies are HTML unless `Prefer: outlook.body-content-type="text"`.
 *   https://learn.microsoft.com/graph/api/calendar-post-events,
 *   https://learn.microsoft.com/graph/api/event-get, https://learn.microsoft.com/graph/api/event-update,
 *   https://learn.microsoft.com/graph/api/event-delete,
 *   https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
 * - transactionId: Graph documents it as "a custom identifier specified by a client app for the
 *   server to avoid redundant POST operations in case of client retries to create the same
 *   event", and no more (https://learn.microsoft.com/graph/api/resources/event). So only a POST
 *   that repeats a live event's write exactly (same transactionId, same fields) creates nothing
 *   and answers 201 with that event; a POST with the same transactionId and any other change
 *   creates a second event, the least a client may assume.
 * - Mail to attendees, recorded in `mailSent`: an invitation to every attendee of a created
 *   event ("when an event is sent, the server sends invitations to all the attendees",
 *   https://learn.microsoft.com/graph/api/calendar-post-events), an update after a PATCH of an
 *   event with attendees (https://learn.microsoft.com/graph/api/event-update), a cancellation
 *   when one is deleted (https://learn.microsoft.com/graph/api/event-delete).
 * - Errors as `{ "error": { "code", "message", "innerError" } }`: 401 InvalidAuthenticationToken,
 *   404 ErrorItemNotFound, 410 syncStateNotFound, 429/503 with Retry-After, and any status and
 *   code a test asks for, such as 404 MailboxNotEnabledForRESTAPI ("The mailbox is either
 *   inactive, soft-deleted, or is hosted on-premise.", https://learn.microsoft.com/graph/hybrid-rest-support).
 *   https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/throttling,
 *   https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
 *
 * Simplified, where Microsoft documents no exact rule: event times are always answered in UTC
 * (Graph's default, and what the adapter asks for); all-day dates are UTC midnights for the
 * window overlap; the delta page size defaults to 10 and is capped at 1000 (Outlook's collection
 * paging); an event changed outside the window is reported as removed; no id_token is issued.
 * Besides the HTTP endpoints, tests change events through the control API, and may hold the
 * answer of an HTTP write with `onWrite` (see GraphFake.onWrite).
 * Graph notifies on its own after every change; here a test calls `notify(calendarId)` after its
 * changes, so that tests not about push see no extra syncs; lifecycle notifications likewise
 * come only when a test sends them (`sendLifecycle`). What Graph answers a PATCH naming
 * lifecycleNotificationUrl, or a plain-http URL, is not documented beyond "can't" and "must":
 * the fake's 400 InvalidRequest is a guess the gateway does not rely on.
 */
import type * as Graph from '@microsoft/microsoft-graph-types';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LifecycleEventType } from '@microsoft/microsoft-graph-types';
import { fakeSubscriptions, type FakeDelivery, type FakeSubscription } from './graph-fake-subscriptions';
import { bodyAsPreferred, InvalidEventBody, readEventWrite, type EventWriteFields, type FakeAttendee, type FakeExtendedProperty } from './graph-fake-writes';

export type { FakeDelivery, FakeSubscription } from './graph-fake-subscriptions';

/** An event as a test describes it; times are ISO instants, or `YYYY-MM-DD` when all-day. */
export interface FakeEventInput {
  id?: string;
  subject?: string | null;
  start: string;
  end: string;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: Graph.FreeBusyStatus;
  type?: Graph.EventType;
  seriesMasterId?: string | null;
  /** Instant of the occurrence's slot in its series. */
  originalStart?: string | null;
  originalStartTimeZone?: string;
  response?: Graph.ResponseType;
  /** Set by the app that created the event; unique among the mailbox's live events. */
  transactionId?: string | null;
  body?: { contentType: 'text' | 'html'; content: string };
  /** `location.displayName`. */
  location?: string;
  attendees?: FakeAttendee[];
  singleValueExtendedProperties?: FakeExtendedProperty[];
}

/** An event as the fake stores it, for tests to assert on; deleted ones included. */
export interface FakeStoredEvent {
  id: string;
  calendarId: string;
  deleted: boolean;
  /** The Graph `event` resource as served (body as stored, before any `Prefer` conversion). */
  resource: EventResource;
  singleValueExtendedProperties: FakeExtendedProperty[];
}

/** What an HTTP write of an event did, as {@link GraphFake.onWrite} receives it. */
export interface FakeWrite {
  calendarId: string;
  /** True for a POST answered with the existing event of its transactionId: nothing was stored. */
  replayed: boolean;
}

export interface FakeCalendarInput {
  name: string;
  hexColor?: string;
  isDefaultCalendar?: boolean;
  canEdit?: boolean;
}

export interface GraphFake {
  /** Origin of both the login and the Graph endpoints, e.g. `http://127.0.0.1:41234`. */
  url: string;
  clientId: string;
  clientSecret: string;
  user: { mail: string | null; userPrincipalName: string };
  /** The calendar every account has (`isDefaultCalendar`). */
  defaultCalendarId: string;
  /** Every request served, in order, with its `Prefer` header. */
  requests: Array<{ method: string; path: string; status: number; prefer: string | null }>;
  /** Requests whose path contains `pathPart`. */
  requestCount(pathPart: string): number;
  /** An access token as if the OAuth flow had run. */
  issueAccessToken(): string;
  addCalendar(input: FakeCalendarInput): string;
  addEvent(calendarId: string, input: FakeEventInput): string;
  updateEvent(calendarId: string, id: string, patch: Partial<FakeEventInput>): void;
  deleteEvent(calendarId: string, id: string): void;
  /** Every event of the calendar as stored, deleted ones included, in insertion order. */
  events(calendarId: string): FakeStoredEvent[];
  /**
   * Called for every successful HTTP write of an event (POST, PATCH, DELETE) after the fake has
   * stored it and before it answers; the answer waits for the returned promise. A test can so
   * hold the answer while it kills the client, leaving a write the provider made but the client
   * never saw. A rejection answers 500 instead (the write stays stored). Unset: answered at once.
   */
  onWrite?: (method: 'POST' | 'PATCH' | 'DELETE', eventId: string, write: FakeWrite) => Promise<void>;
  /**
   * POSTs a change notification for the calendar's events to every live subscription on them,
   * as Graph does after a change; resolves with the HTTP statuses the receivers answered.
   */
  notify(calendarId: string, changeType?: 'created' | 'updated' | 'deleted'): Promise<number[]>;
  /**
   * Batched delivery: ONE POST per notification URL carrying an item for every live subscription
   * on each of the calendars, as Graph may send items of several subscriptions together.
   */
  notifyBatch(calendarIds: string[], changeType?: 'created' | 'updated' | 'deleted'): Promise<number[]>;
  /** Duplicated delivery: POSTs the last delivery again, unchanged, as Graph's retry does; resolves with the status. */
  redeliverLast(): Promise<number>;
  /**
   * POSTs a lifecycle notification of the subscription to its lifecycleNotificationUrl (throws
   * when it has none); `subscriptionRemoved` removes the subscription first. Resolves with the status.
   */
  sendLifecycle(subscriptionId: string, lifecycleEvent: LifecycleEventType): Promise<number>;
  /** Every subscription created so far, deleted ones included. */
  subscriptions: FakeSubscription[];
  /** Every notification POST made so far (validations excluded), in order. */
  deliveries: FakeDelivery[];
  /** Every delta and skip token issued so far answers 410 syncStateNotFound from now on. */
  expireDeltaTokens(): void;
  /**
   * The next `count` Graph API requests fail with `status`, with `Retry-After` when given, and the
   * error `code` and `message` given (429 TooManyRequests, other statuses ServiceNotAvailable).
   */
  failNext(count: number, failure: FakeFailure): void;
  /**
   * After `pages` more delta pages, every skip and delta token issued so far answers 410
   * syncStateNotFound: Graph's sync state expiring in the middle of a round.
   * https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
   */
  expireDeltaTokensAfter(pages: number): void;
  /**
   * Mail Graph sent on the organizer's behalf because of a write: an invitation to every attendee
   * of a created event, an update after a PATCH of an event with attendees, a cancellation when
   * one is deleted. https://learn.microsoft.com/graph/api/calendar-post-events ("when an event
   * is sent, the server sends invitations to all the attendees"),
   * https://learn.microsoft.com/graph/api/event-update, https://learn.microsoft.com/graph/api/event-delete
   * ("deleting the event on the organizer's calendar sends a cancellation message").
   */
  mailSent: FakeMail[];
  /** Consent withdrawn: every token dies (refresh -> invalid_grant, API -> 401). */
  revokeGrant(): void;
  /** The next consent page is declined by the user. */
  denyConsent(): void;
  close(): Promise<void>;
}

/** A failure {@link GraphFake.failNext} answers with. */
export interface FakeFailure {
  status: number;
  retryAfter?: number;
  code?: string;
  message?: string;
}

/** One message Graph sent to attendees (see GraphFake.mailSent). */
export interface FakeMail {
  kind: 'invitation' | 'update' | 'cancellation';
  eventId: string;
  to: string[];
}

/** A Graph `event` resource as this fake serves it, typed by Microsoft's published types. */
export type EventResource = Graph.Event & { id: string; '@odata.type': '#microsoft.graph.event'; '@odata.etag': string };

/** A Graph `calendar` resource, typed by Microsoft's published types. */
type CalendarResource = Graph.Calendar & { id: string };

/** What a delta round says of an event that left the calendar view. */
interface RemovedItem {
  '@removed': { reason: 'changed' | 'deleted' };
  id: string;
}

/** One page of an OData collection as Graph answers it. */
interface ODataPage<T> {
  '@odata.context': string;
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface StoredEvent {
  input: FakeEventInput;
  resource: EventResource;
  startMs: number;
  endMs: number;
  /** Change sequence of its last add/update/delete. */
  seq: number;
  deleted: boolean;
}

/** An event found by id, with where it is. */
interface FoundEvent {
  id: string;
  calendarId: string;
  event: StoredEvent;
}

interface StoredCalendar {
  resource: CalendarResource;
  events: Map<string, StoredEvent>;
}

interface Round {
  calendarId: string;
  from: number;
  to: number;
  /** Changes up to this sequence are in the round; later ones go to the next. */
  seq: number;
  items: Array<EventResource | RemovedItem>;
  offset: number;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 1000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: object,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');
const graphId = () => `AAMkAD${randomBytes(18).toString('base64')}=`;
/** Graph writes 7 fractional digits and no offset: `2024-01-01T10:00:00.0000000`. */
const graphDateTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '0000');

function graphError(status: number, code: string, message: string, headers?: Record<string, string>): HttpError {
  const innerError = { date: new Date().toISOString().slice(0, 19), 'request-id': randomBytes(16).toString('hex') };
  return new HttpError(status, { error: { code, message, innerError } }, headers);
}

function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(status, { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1])] });
}

/** Starts the fake on a random port of 127.0.0.1. */
export async function startGraphFake(): Promise<GraphFake> {
  const calendars = new Map<string, StoredCalendar>();
  const codes = new Map<string, { challenge: string; method: string; redirectUri: string; scope: string }>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Map<string, string>(); // refresh token -> granted scope
  const rounds = new Map<string, Round>(); // skip and delta tokens alike
  const failures: FakeFailure[] = [];
  /** Delta pages still served before every skip and delta token is forgotten; null: never. */
  let pagesBeforeTokensExpire: number | null = null;
  let seq = 0;
  let denyNextConsent = false;

  const server = createServer((req, res) => {
    handle(req)
      .then(([status, body, headers]) => send(req, res, status, body, headers))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(req, res, error.status, error.body, error.headers);
        send(req, res, 500, { error: { code: 'generalException', message: String(error) } });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'calsync-test-client';
  const subscriptions = fakeSubscriptions({
    url,
    clientId,
    hasCalendar: (calendarId) => calendars.has(calendarId),
    fail: (status, code, message) => graphError(status, code, message),
  });

  const fake: GraphFake = {
    url,
    clientId,
    clientSecret: 'calsync-test-secret',
    user: { mail: 'adele.vance@contoso.example', userPrincipalName: 'AdeleV@contoso.example' },
    defaultCalendarId: '',
    requests: [],
    subscriptions: subscriptions.subscriptions,
    deliveries: subscriptions.deliveries,
    notify: subscriptions.notify,
    notifyBatch: subscriptions.notifyBatch,
    redeliverLast: subscriptions.redeliverLast,
    sendLifecycle: subscriptions.sendLifecycle,
    requestCount: (pathPart) => fake.requests.filter((request) => request.path.includes(pathPart)).length,
    issueAccessToken() {
      const accessToken = `eyJ0eXAiOiJKV1Qi.${token()}`;
      accessTokens.add(accessToken);
      return accessToken;
    },
    addCalendar(input) {
      const id = graphId();
      const resource: CalendarResource = {
        id,
        name: input.name,
        color: 'auto',
        hexColor: input.hexColor ?? '',
        isDefaultCalendar: input.isDefaultCalendar ?? false,
        changeKey: token(12),
        canShare: true,
        canViewPrivateItems: true,
        canEdit: input.canEdit ?? true,
        isRemovable: !input.isDefaultCalendar,
        owner: { name: 'Adele Vance', address: fake.user.mail },
      };
      calendars.set(id, { resource, events: new Map() });
      return id;
    },
    addEvent(calendarId, input) {
      const id = input.id ?? graphId();
      calendarOf(calendarId).events.set(id, storedEvent(id, input));
      return id;
    },
    updateEvent(calendarId, id, patch) {
      const events = calendarOf(calendarId).events;
      const current = events.get(id);
      if (!current || current.deleted) throw new Error(`No event ${id} in calendar ${calendarId}`);
      events.set(id, storedEvent(id, { ...current.input, ...patch }, current.resource.createdDateTime ?? undefined));
    },
    deleteEvent(calendarId, id) {
      const event = calendarOf(calendarId).events.get(id);
      if (!event || event.deleted) throw new Error(`No event ${id} in calendar ${calendarId}`);
      Object.assign(event, { deleted: true, seq: ++seq });
    },
    events: (calendarId) =>
      [...calendarOf(calendarId).events.entries()].map(([id, event]) => ({
        id,
        calendarId,
        deleted: event.deleted,
        resource: event.resource,
        singleValueExtendedProperties: event.input.singleValueExtendedProperties ?? [],
      })),
    expireDeltaTokens: () => rounds.clear(),
    expireDeltaTokensAfter(pages) {
      pagesBeforeTokensExpire = pages;
    },
    mailSent: [],
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    revokeGrant() {
      accessTokens.clear();
      refreshTokens.clear();
    },
    denyConsent() {
      denyNextConsent = true;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  fake.defaultCalendarId = fake.addCalendar({ name: 'Calendar', hexColor: '#1e90ff', isDefaultCalendar: true });
  return fake;

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    fake.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', status, prefer: req.headers.prefer?.toString() ?? null });
    if (status === 302 || status === 204) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage): Promise<[number, unknown, Record<string, string>?]> {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    const query = new Map([...requestUrl.searchParams].map(([key, value]) => [key.toLowerCase(), value]));
    if (req.method === 'GET' && /^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(path)) return authorize(query);
    if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) return issueTokens(new URLSearchParams(await readBody(req)));
    if (!path.startsWith('/v1.0/')) throw graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`);

    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      const code = failure.code ?? (failure.status === 429 ? 'TooManyRequests' : 'ServiceNotAvailable');
      const message = failure.message ?? (failure.status === 429 ? 'Please retry again later.' : 'Service unavailable.');
      throw graphError(failure.status, code, message, headers);
    }
    authenticate(req);
    if (path === '/v1.0/subscriptions' && req.method === 'POST') return subscriptions.create(parseJson(await readBody(req)));
    const subscriptionPath = /^\/v1\.0\/subscriptions\/([^/]+)(\/reauthorize)?$/.exec(path);
    if (subscriptionPath?.[2] && req.method === 'POST') return subscriptions.reauthorize(decodeURIComponent(subscriptionPath[1]!));
    if (subscriptionPath && !subscriptionPath[2] && (req.method === 'PATCH' || req.method === 'DELETE')) {
      return subscriptions.change(req.method, decodeURIComponent(subscriptionPath[1]!), parseJson(await readBody(req)));
    }
    const eventsPath = /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/.exec(path);
    if (eventsPath && req.method === 'POST') return createEvent(decodeURIComponent(eventsPath[1]!), parseJson(await readBody(req)), req);
    const eventPath = /^\/v1\.0\/me(?:\/calendars\/([^/]+))?\/events\/([^/]+)$/.exec(path);
    if (eventPath && (req.method === 'GET' || req.method === 'PATCH' || req.method === 'DELETE')) {
      const calendarId = eventPath[1] === undefined ? null : decodeURIComponent(eventPath[1]);
      const found = findEvent(calendarId, decodeURIComponent(eventPath[2]!));
      if (req.method === 'GET')
        return [200, entity(found.event.resource, req, expandedProperties(found.event, query.get('$expand'))), bodyPreferenceApplied(req)];
      if (req.method === 'PATCH') return patchEvent(found, parseJson(await readBody(req)), req);
      return removeEvent(found);
    }
    if (req.method !== 'GET') throw graphError(405, 'Request_BadRequest', 'Only GET is served by this fake.');
    if (path === '/v1.0/me') return [200, me(query.get('$select'))];
    if (path === '/v1.0/me/calendars') return [200, listCalendars(query, req)];
    if (path === '/v1.0/me/calendar') return [200, select(calendarOf(fake.defaultCalendarId).resource, query.get('$select'))];
    if (path === '/v1.0/me/calendarView/delta') return calendarViewDelta(fake.defaultCalendarId, query, req);
    const calendarView = /^\/v1\.0\/me\/calendars\/([^/]+)\/calendarView$/.exec(path);
    if (calendarView) return [200, listCalendarView(decodeURIComponent(calendarView[1]!), query, req)];
    if (path === '/v1.0/me/events' && query.has('$filter')) return [200, eventsWithProperty(query.get('$filter')!, req), bodyPreferenceApplied(req)];
    throw graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
  }

  /** `POST /v1.0/me/calendars/{id}/events`; a retry of the same event is not created twice (see the header). */
  async function createEvent(calendarId: string, body: Record<string, unknown>, req: IncomingMessage): Promise<[number, unknown, Record<string, string>]> {
    const calendar = calendars.get(calendarId);
    if (!calendar) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (calendar.resource.canEdit === false) throw graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const fields = eventWriteOf(body);
    if (!fields.start || !fields.end) throw graphError(400, 'ErrorInvalidRequest', 'An event needs a start and an end.');
    const existing = fields.transactionId === undefined ? undefined : liveEventWithTransaction(fields.transactionId);
    if (existing && sameWrite(existing.event.input, fields)) {
      await afterWrite('POST', existing.id, { calendarId: existing.calendarId, replayed: true });
      return [201, entity(existing.event.resource, req), bodyPreferenceApplied(req)];
    }
    const id = graphId();
    const event = writtenEvent(id, { ...fields, start: fields.start, end: fields.end, response: 'organizer' });
    calendar.events.set(id, event);
    mail('invitation', event);
    await afterWrite('POST', id, { calendarId, replayed: false });
    return [201, entity(event.resource, req), bodyPreferenceApplied(req)];
  }

  /** `PATCH` of one event: the properties sent replace the stored ones, the others stay. */
  async function patchEvent(found: FoundEvent, body: Record<string, unknown>, req: IncomingMessage): Promise<[number, unknown, Record<string, string>]> {
    const fields = eventWriteOf(body);
    const current = found.event.input;
    if (fields.transactionId !== undefined && current.transactionId && fields.transactionId !== current.transactionId) {
      throw graphError(400, 'ErrorInvalidRequest', 'The transactionId of an event cannot be changed.');
    }
    const extended = new Map((current.singleValueExtendedProperties ?? []).map((property) => [property.id.toLowerCase(), property]));
    for (const property of fields.singleValueExtendedProperties ?? []) extended.set(property.id.toLowerCase(), property);
    const merged = { ...current, ...fields, singleValueExtendedProperties: [...extended.values()] };
    const event = writtenEvent(found.id, merged, found.event.resource.createdDateTime ?? undefined);
    calendarOf(found.calendarId).events.set(found.id, event);
    mail('update', event);
    await afterWrite('PATCH', found.id, { calendarId: found.calendarId, replayed: false });
    return [200, entity(event.resource, req), bodyPreferenceApplied(req)];
  }

  async function removeEvent(found: FoundEvent): Promise<[number, unknown]> {
    Object.assign(found.event, { deleted: true, seq: ++seq });
    mail('cancellation', found.event);
    await afterWrite('DELETE', found.id, { calendarId: found.calendarId, replayed: false });
    return [204, null];
  }

  async function afterWrite(method: 'POST' | 'PATCH' | 'DELETE', eventId: string, write: FakeWrite): Promise<void> {
    if (fake.onWrite) await fake.onWrite(method, eventId, write);
  }

  function eventWriteOf(body: Record<string, unknown>): EventWriteFields {
    try {
      return readEventWrite(body);
    } catch (error) {
      if (error instanceof InvalidEventBody) throw graphError(400, error.code, error.message);
      throw error;
    }
  }

  /** A stored event from written fields; an end before the start is refused as Exchange does. */
  function writtenEvent(id: string, input: FakeEventInput, createdDateTime?: string): StoredEvent {
    const event = storedEvent(id, input, createdDateTime);
    if (event.endMs < event.startMs) throw graphError(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date occurs before the start date.');
    return event;
  }

  /** A live event of the mailbox (any calendar) by id; only in `calendarId` when one is given. */
  function findEvent(calendarId: string | null, id: string): FoundEvent {
    for (const [candidateCalendarId, calendar] of calendars) {
      if (calendarId !== null && candidateCalendarId !== calendarId) continue;
      const event = calendar.events.get(id);
      if (event && !event.deleted) return { id, calendarId: candidateCalendarId, event };
    }
    throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  }

  /** Records the mail a write of an event with attendees makes Graph send (see GraphFake.mailSent). */
  function mail(kind: FakeMail['kind'], event: StoredEvent): void {
    const to = (event.input.attendees ?? []).map((attendee) => attendee.address);
    if (to.length > 0) fake.mailSent.push({ kind, eventId: event.resource.id, to });
  }

  /**
   * `GET /v1.0/me/events?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '{id}' and ep/value
   * eq '{value}')`: the live events of the mailbox with that string property; the id's name is
   * compared case-sensitively, the value case-insensitively.
   * https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
   */
  function eventsWithProperty(filter: string, req: IncomingMessage): object {
    const match = /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '((?:[^']|'')+)' and ep\/value eq '((?:[^']|'')*)'\)$/i.exec(filter);
    if (!match) throw graphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
    const [id, value] = [match[1]!.replace(/''/g, "'"), match[2]!.replace(/''/g, "'").toLowerCase()];
    const found = [...calendars.values()].flatMap((calendar) =>
      [...calendar.events.values()].filter(
        (event) =>
          !event.deleted && (event.input.singleValueExtendedProperties ?? []).some((property) => property.id === id && property.value.toLowerCase() === value),
      ),
    );
    const page: ODataPage<EventResource> = {
      '@odata.context': `${url}/v1.0/$metadata#users('me')/events`,
      value: found.map((event) => present(event.resource, req)),
    };
    return page;
  }

  /**
   * `GET /v1.0/me/calendars/{id}/calendarView?startDateTime=..&endDateTime=..`: the events that
   * overlap the window, `$top` a page (default 10), nextLinks with `$skip`.
   * https://learn.microsoft.com/graph/api/calendar-list-calendarview
   */
  function listCalendarView(calendarId: string, query: Map<string, string>, req: IncomingMessage): object {
    const calendar = calendars.get(calendarId);
    if (!calendar) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const { from, to } = requireWindow(query);
    const all = [...calendar.events.values()].filter((event) => !event.deleted && overlaps(event, from, to));
    const skip = Number(query.get('$skip') ?? 0);
    const size = Math.min(Number(query.get('$top') ?? 0) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const body: ODataPage<EventResource> = {
      '@odata.context': `${url}/v1.0/$metadata#users('me')/calendars('${calendarId}')/calendarView`,
      value: all.slice(skip, skip + size).map((event) => present(event.resource, req)),
    };
    if (skip + size < all.length) {
      const window = `startDateTime=${query.get('startdatetime')}&endDateTime=${query.get('enddatetime')}`;
      body['@odata.nextLink'] = `${url}/v1.0/me/calendars/${encodeURIComponent(calendarId)}/calendarView?${window}&$top=${size}&$skip=${skip + size}`;
    }
    return body;
  }

  function liveEventWithTransaction(transactionId: string): FoundEvent | undefined {
    for (const [calendarId, calendar] of calendars) {
      for (const [id, event] of calendar.events) {
        if (!event.deleted && event.input.transactionId === transactionId) return { id, calendarId, event };
      }
    }
    return undefined;
  }

  /**
   * An event resource as one request sees it: the body in the format its `Prefer` asks for, and
   * the extended properties it expanded.
   */
  function present(resource: EventResource, req: IncomingMessage, expanded?: FakeExtendedProperty[]): EventResource {
    const body = bodyAsPreferred(resource.body as { contentType: 'text' | 'html'; content: string }, String(req.headers.prefer ?? ''));
    return { ...resource, body, ...(expanded ? { singleValueExtendedProperties: expanded } : {}) };
  }

  /** {@link present} as the answer about one event, with its OData context. */
  function entity(resource: EventResource, req: IncomingMessage, expanded?: FakeExtendedProperty[]): EventResource & { '@odata.context': string } {
    return { '@odata.context': `${url}/v1.0/$metadata#users('me')/events/$entity`, ...present(resource, req, expanded) };
  }

  /** `$expand=singleValueExtendedProperties($filter=id eq '...')`, or every one without a filter. */
  function expandedProperties(event: StoredEvent, expand: string | undefined): FakeExtendedProperty[] | undefined {
    if (!expand?.startsWith('singleValueExtendedProperties')) return undefined;
    const wanted = /\$filter=id eq '([^']+)'/i.exec(expand)?.[1]?.toLowerCase();
    return (event.input.singleValueExtendedProperties ?? []).filter((property) => wanted === undefined || property.id.toLowerCase() === wanted);
  }

  function bodyPreferenceApplied(req: IncomingMessage): Record<string, string> {
    return /outlook\.body-content-type="?text"?/i.test(String(req.headers.prefer ?? '')) ? { 'preference-applied': 'outlook.body-content-type="text"' } : {};
  }

  function authorize(query: Map<string, string>): [number, unknown, Record<string, string>] {
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== fake.clientId)
      throw oauthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${query.get('client_id')}' was not found.`);
    if (!redirectUri || query.get('response_type') !== 'code')
      throw oauthError(400, 'invalid_request', 'AADSTS900144: The request body must contain the following parameter: redirect_uri or response_type=code.');
    const back = new URL(redirectUri);
    if (denyNextConsent) {
      denyNextConsent = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    } else {
      const code = token(32);
      const challenge = query.get('code_challenge') ?? '';
      codes.set(code, { challenge, method: query.get('code_challenge_method') ?? 'plain', redirectUri, scope: query.get('scope') ?? '' });
      back.searchParams.set('code', code);
    }
    if (query.has('state')) back.searchParams.set('state', query.get('state')!);
    return [302, null, { location: back.toString() }];
  }

  function issueTokens(form: URLSearchParams): [number, unknown] {
    if (form.get('client_id') !== fake.clientId || form.get('client_secret') !== fake.clientSecret) {
      throw oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    let scope: string;
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code) throw oauthError(400, 'invalid_grant', 'AADSTS54005: OAuth2 Authorization code was already redeemed or is unknown.');
      if (form.get('redirect_uri') !== code.redirectUri)
        throw oauthError(400, 'invalid_grant', 'AADSTS50148: The redirect_uri does not match the one of the authorization request.');
      const verifier = form.get('code_verifier') ?? '';
      const derived = code.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || derived !== code.challenge)
        throw oauthError(400, 'invalid_grant', 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      scope = code.scope;
    } else if (form.get('grant_type') === 'refresh_token') {
      const granted = refreshTokens.get(form.get('refresh_token') ?? '');
      if (granted === undefined) {
        throw oauthError(
          400,
          'invalid_grant',
          'AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired. The user must first sign in and grant the client application access to the requested scope.',
        );
      }
      scope = granted;
    } else {
      throw oauthError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    const scopes = scope.split(' ').filter(Boolean);
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopes.filter((name) => name !== 'offline_access').join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: fake.issueAccessToken(),
    };
    if (scopes.includes('offline_access')) {
      body.refresh_token = `M.C5${token(32)}`;
      refreshTokens.set(body.refresh_token as string, scope);
    }
    return [200, body];
  }

  function authenticate(req: IncomingMessage): void {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) throw graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': 'Bearer realm=""' });
    if (!accessTokens.has(bearer)) throw graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  }

  function me(select: string | undefined): object {
    const user: Graph.User = { id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', displayName: 'Adele Vance', ...fake.user };
    if (!select) return { '@odata.context': `${url}/v1.0/$metadata#users/$entity`, ...user };
    const fields = select.split(',');
    const picked = Object.fromEntries(Object.entries(user).filter(([key]) => fields.includes(key)));
    return { '@odata.context': `${url}/v1.0/$metadata#users(${select})/$entity`, ...picked };
  }

  function listCalendars(query: Map<string, string>, req: IncomingMessage): object {
    const all = [...calendars.values()].map((calendar) => calendar.resource);
    const skip = Number(query.get('$skip') ?? 0);
    const size = Number(query.get('$top') ?? 0) || pageSize(req).size;
    const body: ODataPage<CalendarResource> = { '@odata.context': `${url}/v1.0/$metadata#users('me')/calendars`, value: all.slice(skip, skip + size) };
    if (skip + size < all.length) body['@odata.nextLink'] = `${url}/v1.0/me/calendars?$top=${size}&$skip=${skip + size}`;
    return body;
  }

  function calendarViewDelta(calendarId: string, query: Map<string, string>, req: IncomingMessage): [number, unknown, Record<string, string>] {
    const calendar = calendars.get(calendarId);
    if (!calendar) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (pagesBeforeTokensExpire !== null && pagesBeforeTokensExpire-- <= 0) {
      pagesBeforeTokensExpire = null;
      rounds.clear();
    }
    const given = query.get('$skiptoken') ?? query.get('$deltatoken');
    let round: Round;
    if (given !== undefined) {
      const known = rounds.get(given);
      // Tokens stay valid after use, as Graph's do: a client that crashed before saving the new
      // deltaLink replays the old one.
      if (!known || known.calendarId !== calendarId)
        throw graphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
      round = query.has('$deltatoken') ? changesSince(calendar, known) : known;
    } else {
      const { from, to } = requireWindow(query);
      const items = [...calendar.events.values()].filter((event) => !event.deleted && overlaps(event, from, to)).map((event) => event.resource);
      round = { calendarId, from, to, seq, items, offset: 0 };
    }
    const { size, applied } = pageSize(req);
    const page = round.items.slice(round.offset, round.offset + size);
    const next = { ...round, offset: round.offset + size };
    const link = `${url}/v1.0/me/calendarView/delta`;
    const value = page.map((item) => ('@removed' in item ? item : present(item, req)));
    const body: ODataPage<EventResource | RemovedItem> = { '@odata.context': `${url}/v1.0/$metadata#Collection(event)`, value };
    const issued = token();
    if (next.offset < round.items.length) {
      rounds.set(issued, next);
      body['@odata.nextLink'] = `${link}?$skiptoken=${issued}`;
    } else {
      rounds.set(issued, { ...next, items: [], offset: 0 });
      body['@odata.deltaLink'] = `${link}?$deltatoken=${issued}`;
    }
    const preferences = [applied ? `odata.maxpagesize=${size}` : null, bodyPreferenceApplied(req)['preference-applied'] ?? null].filter(Boolean);
    return [200, body, preferences.length > 0 ? { 'preference-applied': preferences.join(', ') } : {}];
  }

  /** The items of an incremental round: what changed after the previous round's sequence. */
  function changesSince(calendar: StoredCalendar, previous: Round): Round {
    const changed = [...calendar.events.values()].filter((event) => event.seq > previous.seq).sort((a, b) => a.seq - b.seq);
    const items = changed.map((event) =>
      !event.deleted && overlaps(event, previous.from, previous.to)
        ? event.resource
        : ({ '@removed': { reason: 'deleted' }, id: event.resource.id } as RemovedItem),
    );
    return { ...previous, seq, items, offset: 0 };
  }

  function storedEvent(id: string, input: FakeEventInput, createdDateTime?: string): StoredEvent {
    const allDay = input.isAllDay ?? false;
    const startMs = Date.parse(allDay ? `${input.start}T00:00:00Z` : input.start);
    const endMs = Date.parse(allDay ? `${input.end}T00:00:00Z` : input.end);
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) throw new Error(`Unreadable times ${input.start} - ${input.end}`);
    const changeKey = token(12);
    const now = graphDateTime(Date.now()) + 'Z';
    const resource: EventResource = {
      '@odata.type': '#microsoft.graph.event',
      '@odata.etag': `W/"${changeKey}"`,
      id,
      createdDateTime: createdDateTime ?? now,
      lastModifiedDateTime: now,
      changeKey,
      subject: input.subject ?? null,
      isAllDay: allDay,
      isCancelled: input.isCancelled ?? false,
      showAs: input.showAs ?? 'busy',
      type: input.type ?? 'singleInstance',
      seriesMasterId: input.seriesMasterId ?? null,
      originalStart: input.originalStart ?? null,
      originalStartTimeZone: input.originalStartTimeZone ?? 'UTC',
      originalEndTimeZone: input.originalStartTimeZone ?? 'UTC',
      responseStatus: { response: input.response ?? 'organizer', time: '0001-01-01T00:00:00Z' },
      transactionId: input.transactionId ?? null,
      body: input.body ?? { contentType: 'html', content: '' },
      bodyPreview: (input.body?.content ?? '').slice(0, 255),
      location: { displayName: input.location ?? '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
      attendees: (input.attendees ?? []).map((attendee) => ({
        type: attendee.type,
        status: { response: 'none', time: '0001-01-01T00:00:00Z' },
        // Graph names an attendee sent without a name by the address.
        emailAddress: { name: attendee.name ?? attendee.address, address: attendee.address },
      })),
      isOrganizer: true,
      organizer: { emailAddress: { name: 'Adele Vance', address: fake.user.mail } },
      start: { dateTime: graphDateTime(startMs), timeZone: 'UTC' },
      end: { dateTime: graphDateTime(endMs), timeZone: 'UTC' },
    };
    return { input, resource, startMs, endMs, seq: ++seq, deleted: false };
  }

  function calendarOf(calendarId: string): StoredCalendar {
    const calendar = calendars.get(calendarId);
    if (!calendar) throw new Error(`No calendar ${calendarId}`);
    return calendar;
  }
}

function overlaps(event: StoredEvent, from: number, to: number): boolean {
  return event.startMs < to && event.endMs > from;
}

function pageSize(req: IncomingMessage): { size: number; applied: boolean } {
  const asked = Number(/odata\.maxpagesize=(\d+)/i.exec(String(req.headers.prefer ?? ''))?.[1]);
  return asked > 0 ? { size: Math.min(asked, MAX_PAGE_SIZE), applied: true } : { size: DEFAULT_PAGE_SIZE, applied: false };
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** The gateway configuration that points every Microsoft endpoint at this fake. */
export function microsoftEnv(fake: GraphFake): Record<string, string> {
  return {
    MICROSOFT_CLIENT_ID: fake.clientId,
    MICROSOFT_CLIENT_SECRET: fake.clientSecret,
    MICROSOFT_LOGIN_URL: fake.url,
    MICROSOFT_GRAPH_URL: fake.url,
  };
}

/** The `startDateTime`/`endDateTime` window a calendar view requires (400 without one). */
function requireWindow(query: Map<string, string>): { from: number; to: number } {
  const from = Date.parse(query.get('startdatetime') ?? '');
  const to = Date.parse(query.get('enddatetime') ?? '');
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw graphError(
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  return { from, to };
}

/** Whether a create repeats the stored event's write exactly: a retry "to create the same event". */
function sameWrite(stored: FakeEventInput, fields: EventWriteFields): boolean {
  const written = Object.fromEntries(Object.keys(fields).map((key) => [key, stored[key as keyof FakeEventInput]]));
  return JSON.stringify(written) === JSON.stringify(fields);
}

/** A resource with only the `$select`ed fields (and its id), as OData answers. */
function select<T extends object>(resource: T, fields: string | undefined): Partial<T> {
  if (!fields) return resource;
  const wanted = new Set(['id', ...fields.split(',')]);
  return Object.fromEntries(Object.entries(resource).filter(([key]) => wanted.has(key))) as Partial<T>;
}
