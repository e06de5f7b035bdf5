import type { ReadBudget } from './read-budget';

/**
 * The port every calendar provider adapter implements, and the normalized shapes they return.
 *
 * An adapter speaks one wire protocol (CalDAV, Google Calendar v3, Microsoft Graph, ICS over
 * HTTP) and knows nothing of the database: it receives decrypted credentials and returns plain
 * values. Failures are thrown as {@link ProviderError} with a small code set that the sync
 * engine turns into retries, re-authentication or a failed run.
 */

/** The providers Calsync can connect to. */
export enum ProviderKind {
  GOOGLE = 'GOOGLE',
  MICROSOFT = 'MICROSOFT',
  APPLE = 'APPLE',
  CALDAV = 'CALDAV',
  ICS = 'ICS',
}

/** Providers whose accounts connect through OAuth consent (the others by credentials or URL). */
export const OAUTH_PROVIDERS: ReadonlySet<ProviderKind> = new Set([ProviderKind.GOOGLE, ProviderKind.MICROSOFT]);

/** Username/password credentials of a CalDAV account (Apple iCloud uses an app-specific password). */
export interface CalDavCredentials {
  serverUrl: string;
  username: string;
  password: string;
}

/** One calendar inside an account, as the provider describes it. */
export interface DiscoveredCalendar {
  /** The provider's own id: a Google calendar id, a Graph calendar id, a CalDAV collection URL. */
  providerCalendarId: string;
  name: string;
  /** CSS colour such as `#1e90ff`, when the provider has one. */
  color: string | null;
  /** IANA time zone of the calendar, when the provider states one. */
  timeZone: string | null;
  primary: boolean;
  /** Whether the account may create events in this calendar. */
  canWrite: boolean;
  /** CalDAV ctag (or equivalent change tag) at discovery time. */
  ctag: string | null;
}

/** Status of an event per RFC 5545 section 3.8.1.11, restricted to VEVENT values. */
export type EventStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

/** Time transparency per RFC 5545 section 3.8.2.7: only OPAQUE events consume time. */
export type EventTransparency = 'OPAQUE' | 'TRANSPARENT';

/**
 * One occurrence of an event, normalized. A recurring series yields one occurrence per
 * instance inside the requested window.
 */
export interface NormalizedEvent {
  /** Unique within the calendar: the UID for a single event, `UID#RECURRENCE-ID` for an occurrence. */
  externalId: string;
  /** The series' UID for an occurrence of a recurring series, otherwise null. */
  seriesId: string | null;
  /**
   * The occurrence's RECURRENCE-ID (RFC 5545 section 3.8.4.4), in basic iCalendar form: a UTC
   * `YYYYMMDDTHHMMSSZ` for timed series, `YYYYMMDD` for all-day series; null for single events.
   */
  recurrenceId: string | null;
  title: string | null;
  /** UTC instant. For all-day events: the start of `startDate` in the time zone asked for. */
  startsAt: Date;
  /** UTC instant, exclusive. For all-day events: the start of `endDate` in the time zone asked for. */
  endsAt: Date;
  allDay: boolean;
  /** First local date (`YYYY-MM-DD`) of an all-day event, otherwise null. */
  startDate: string | null;
  /** Day after the last local date (`YYYY-MM-DD`, exclusive) of an all-day event, otherwise null. */
  endDate: string | null;
  status: EventStatus;
  transparency: EventTransparency;
  /** The time zone the event was written in (IANA or the file's TZID), null when UTC/floating/date. */
  timeZone: string | null;
  /**
   * The Calsync appointment this event was exported from, read back from the mark the export
   * left on it (Google `extendedProperties.private.calsyncAppointmentId`, Graph `transactionId`
   * `calsync-<exportId>`, iCalendar `X-CALSYNC-APPOINTMENT`); absent or null for anything else.
   * Lets a sync recognise Calsync's own exports instead of counting them as busy twice.
   */
  appointmentId?: string | null;
}

/** A component that could not be turned into occurrences, with why. */
export interface SkippedEvent {
  /** UID of the component when it has one. */
  uid: string | null;
  reason: string;
}

/** A half-open UTC window [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/** Result of fetching one calendar over a window. */
export interface FetchResult {
  events: NormalizedEvent[];
  skipped: SkippedEvent[];
}

/** Error codes an adapter may raise; see STYLE.md "Errors as a state machine". */
export type ProviderErrorCode =
  /** 429, 503, network failure: worth retrying later. */
  | 'TEMPORARY'
  /** The incremental-sync cursor is no longer valid: sync the whole window again. */
  | 'SYNC_CURSOR_INVALID'
  /** The credentials were refused or the grant revoked: the owner must reconnect. */
  | 'AUTH_REVOKED'
  /** The calendar or account does not exist (any more). */
  | 'NOT_FOUND'
  /**
   * The provider refused this request for this account although its credentials are good
   * (HTTP 403 from a CalDAV server: a read-only collection, an object it may not change):
   * retrying will not help, and the account needs no new consent.
   */
  | 'FORBIDDEN'
  /**
   * The outbound address policy refused the URL (a private, loopback or link-local address, a
   * scheme other than http/https): the user's URL, or a host a server named.
   */
  | 'ADDRESS_REFUSED'
  /**
   * The id a write chose is taken for good at the provider (Google keeps the id of an event the
   * user deleted and answers 409 to an insert under it): write under another id.
   */
  | 'CONFLICT'
  /** The provider answered with a failure nothing else explains (a 500, an unreadable answer). */
  | 'UNKNOWN';

/** An error raised by a provider adapter, with a code the sync engine acts upon. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    /** Seconds to wait before retrying, from a `Retry-After` header. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Options every fetch receives. */
export interface FetchOptions {
  window: TimeWindow;
  /**
   * IANA time zone used for floating times and all-day dates (the resource's time zone): an
   * all-day event blocks the resource's whole local day.
   */
  timeZone: string;
  /**
   * Aborted when the sync run must stop: its deadline passed (SYNC_RUN_DEADLINE_SECONDS) or the
   * worker shuts down. An adapter should then stop its requests (pass it to fetch) and throw
   * soon; the sync engine stops waiting for it at once either way and drops a late answer.
   */
  signal?: AbortSignal;
  /**
   * The bytes the whole run may still read from a tenant-chosen server (CalDAV, feeds), shared by
   * the calendars of the run; an adapter reading such a server counts its bodies against it.
   */
  readBudget?: ReadBudget;
}

/** A bearer access token for an OAuth provider's API (Google Calendar v3, Microsoft Graph). */
export interface OAuthAccess {
  accessToken: string;
}

/** The address of an ICS feed: a secret, since whoever has it reads the calendar. */
export interface IcsFeedCredentials {
  /** An absolute http(s) URL (`webcal://` already read as https). */
  feedUrl: string;
}

/** Credentials an adapter receives, decrypted: a CalDAV password, an OAuth access token, or a feed address. */
export type ProviderCredentials = CalDavCredentials | OAuthAccess | IcsFeedCredentials;

/**
 * What an incremental fetch returns (STYLE.md: `{ events, deletedIds, nextCursor }`).
 * With a cursor, only what changed since it; without one (or after SYNC_CURSOR_INVALID), the
 * whole window, and then `full` is true: stored occurrences of the window that are not in
 * `events` are gone at the provider.
 */
export interface ChangeSet {
  /** New or changed occurrences, expanded (one per instance of a series). */
  events: NormalizedEvent[];
  /**
   * externalIds of occurrences deleted or cancelled at the provider, or declined by the owner; a
   * series id among them removes every stored occurrence of the series, in any window.
   */
  deletedIds: string[];
  /**
   * Series ids (iCalendar UIDs) whose occurrences inside the window are exactly those in
   * `events`: the stored ones of the window not sent again are gone, the ones outside the
   * window are left alone (a changed CalDAV or ICS object is expanded in the window only).
   */
  replacedIds?: string[];
  skipped: SkippedEvent[];
  /** Opaque cursor for the next call (Google nextSyncToken, Graph deltaLink, CalDAV sync-token). */
  nextCursor: string | null;
  full: boolean;
  /**
   * Seconds the source asks not to be read again sooner (an ICS feed's REFRESH-INTERVAL or
   * X-PUBLISHED-TTL); the schedule waits at least that long. Absent or null: no wish.
   */
  minIntervalSeconds?: number | null;
}

/**
 * The port: one implementation per wire protocol, looked up with `providerFor(kind)`
 * (src/providers/registry.ts). Implementations retry TEMPORARY failures themselves
 * (src/providers/retry.ts) and throw what remains as {@link ProviderError}. Providers that can
 * take appointments (Google, Graph, CalDAV; not ICS feeds) implement {@link CalendarWriter}.
 */
export interface CalendarProvider extends Partial<CalendarWriter> {
  /**
   * True when the account's calendar list cannot change (an ICS feed is one calendar): the daily
   * FULL sync then does not list it again (which for a feed would fetch it twice).
   */
  readonly fixedCalendars?: boolean;
  /**
   * Verifies the credentials and lists the account's event calendars.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, NOT_FOUND.
   */
  listCalendars(credentials: ProviderCredentials): Promise<DiscoveredCalendar[]>;
  /**
   * Every occurrence of one calendar overlapping the window, recurring series expanded.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, NOT_FOUND, UNKNOWN.
   */
  fetchEvents(credentials: ProviderCredentials, providerCalendarId: string, options: FetchOptions): Promise<FetchResult>;
  /**
   * The changes of one calendar since `cursor`, or the whole window when `cursor` is null.
   * @throws ProviderError SYNC_CURSOR_INVALID when the cursor expired (Google 410, Graph
   *   syncStateNotFound, CalDAV invalid sync-token): the caller then calls again with null.
   */
  fetchChanges(credentials: ProviderCredentials, providerCalendarId: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet>;
  /**
   * {@link fetchChanges} one provider page at a time, for providers whose answers come in pages
   * (Google events.list): each yielded ChangeSet is one page, with the same `full`; `nextCursor` is
   * set on the last. The next page is requested only when the caller asks for it, so that a caller
   * stores one page while the next is fetched and holds no more than two.
   * @throws ProviderError as fetchChanges, from the page whose request failed.
   */
  fetchChangePages?(credentials: ProviderCredentials, providerCalendarId: string, cursor: string | null, options: FetchOptions): AsyncIterable<ChangeSet>;
  /**
   * Push: asks the provider to POST to `request.address` whenever the calendar's events change
   * (Google `events.watch` channel, Graph change-notification subscription). Providers without
   * push (CalDAV, ICS) leave it out and are kept fresh by the schedule alone.
   * @throws ProviderError AUTH_REVOKED, NOT_FOUND (calendar), TEMPORARY, UNKNOWN (e.g. the
   *   provider could not reach or validate the address).
   */
  watch?(credentials: ProviderCredentials, providerCalendarId: string, request: WatchRequest): Promise<WatchChannel>;
  /**
   * Moves a channel's expiry to `expiresAt`, where the provider can (Graph `PATCH`); providers
   * without it (Google) are renewed by watching again and stopping the old channel.
   * @returns the expiry the provider granted.
   * @throws ProviderError NOT_FOUND when the provider no longer knows the channel.
   */
  renew?(credentials: ProviderCredentials, channel: WatchChannelRef, expiresAt: Date): Promise<Date>;
  /**
   * Answers a provider's reauthorization challenge for a channel (Graph `reauthorizationRequired`)
   * without moving its expiry, so that notifications keep flowing.
   * @throws ProviderError NOT_FOUND when the provider no longer knows the channel, AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  reauthorize?(credentials: ProviderCredentials, channel: WatchChannelRef): Promise<void>;
  /**
   * Stops a channel; one the provider no longer knows counts as stopped.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  unwatch?(credentials: ProviderCredentials, channel: WatchChannelRef): Promise<void>;
}

/**
 * An appointment as written to a provider calendar. Privacy is applied by the caller:
 * with SyncConfig.privateExport the title is "Busy" and description, location and attendees are
 * empty; the appointment id is always carried as a machine-readable mark (never shown to people),
 * so that a later sync recognises the event (see NormalizedEvent.appointmentId).
 */
export interface ExportEvent {
  /** Calsync's appointment id (a UUID). */
  appointmentId: string;
  /**
   * Stable for every retry of one export of one appointment, new when an appointment is exported
   * afresh after its event was removed: `<appointmentId>-<generation>`, at most 48 characters of
   * `[0-9a-f-]`. Adapters derive their idempotency keys from it: Google's event id
   * (`cs` + exportId without dashes: base32hex, RFC 4648 section 7), Graph's `transactionId`
   * (`calsync-<exportId>`), the iCalendar UID (`<exportId>@calsync`) and the CalDAV object name.
   */
  exportId: string;
  title: string;
  description: string | null;
  location: string | null;
  attendees: ExportAttendee[];
  /** UTC instant. */
  startsAt: Date;
  /** UTC instant, exclusive. */
  endsAt: Date;
  /** The resource's IANA time zone, for how the provider displays the event. */
  timeZone: string;
  status: 'CONFIRMED' | 'TENTATIVE';
  /** Increases with every change of the appointment (iCalendar SEQUENCE, RFC 5545 section 3.8.7.4). */
  sequence: number;
  /**
   * Whether the provider may mail the attendees (SyncConfig.inviteAttendees). Google
   * (`sendUpdates=none`) and CalDAV (`SCHEDULE-AGENT=NONE`) add attendees without mail and
   * ignore it; Graph, which invites every attendee it is given, gets them only when it is true
   * and otherwise finds them listed in the body.
   */
  inviteAttendees: boolean;
}

/** A person invited to an exported appointment. Providers are asked not to send invitations. */
export interface ExportAttendee {
  email: string;
  name: string | null;
}

/** Where an exported event lives at the provider. */
export interface ExportedEventRef {
  /** Google's event id, Graph's event id, or the CalDAV object's absolute URL. */
  providerEventId: string;
  /** CalDAV ETag of the stored object (for `If-Match`); null for Google and Graph. */
  etag: string | null;
}

/**
 * Writing appointments to a calendar. Every call is idempotent, so that a retry after
 * a crash or a timeout between the provider's write and Calsync's commit lands on the same event.
 */
export interface CalendarWriter {
  /**
   * Creates the event, or, when an earlier attempt with the same `exportId` already created it
   * (Google's events.get of the deterministic id, Graph's lookup by extended property, CalDAV 412 on
   * `If-None-Match: *`), brings that one up to date and returns it: never a second event.
   * @throws ProviderError CONFLICT when the event id of `exportId` is taken by an event deleted
   *   at the provider (the caller exports under a new exportId), AUTH_REVOKED, NOT_FOUND (calendar), TEMPORARY, UNKNOWN.
   */
  createEvent(credentials: ProviderCredentials, providerCalendarId: string, event: ExportEvent): Promise<ExportedEventRef>;
  /**
   * Overwrites the exported event with `event` (Calsync's appointment is authoritative: a CalDAV
   * `If-Match` conflict is resolved by writing again over the newer ETag).
   * @throws ProviderError NOT_FOUND when the event is gone (the caller then creates it), AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  updateEvent(credentials: ProviderCredentials, providerCalendarId: string, ref: ExportedEventRef, event: ExportEvent): Promise<ExportedEventRef>;
  /**
   * Deletes the exported event; one already gone counts as deleted.
   * @throws ProviderError AUTH_REVOKED, TEMPORARY, UNKNOWN.
   */
  deleteEvent(credentials: ProviderCredentials, providerCalendarId: string, ref: ExportedEventRef): Promise<void>;
}

/** What a push channel is asked for. */
export interface WatchRequest {
  /** The HTTPS URL the provider POSTs notifications to (`<PUBLIC_URL>/webhooks/<provider>`). */
  address: string;
  /**
   * A random secret echoed in every notification (Google `X-Goog-Channel-Token`, Graph
   * `clientState`, at most 128 characters): how a webhook tells a genuine notification.
   */
  token: string;
  /** The expiry wanted; the adapter caps it at the provider's maximum, and uses that maximum when absent. */
  expiresAt?: Date;
  /**
   * The HTTPS URL the provider POSTs lifecycle notifications to (Graph `lifecycleNotificationUrl`,
   * carrying the same `token`); providers without them ignore it.
   */
  lifecycleAddress?: string;
}

/** How a push channel is named at the provider. */
export interface WatchChannelRef {
  /** Google's channel id (chosen by the adapter), Graph's subscription id. */
  channelId: string;
  /** Google's id of the watched resource (needed to stop the channel); null for Graph. */
  resourceId: string | null;
}

/** A push channel the provider accepted. */
export interface WatchChannel extends WatchChannelRef {
  /** When the provider stops notifying (UTC), as it granted it. */
  expiresAt: Date;
}

/** OAuth 2.0 tokens of a connection (RFC 6749 section 5.1). */
export interface OAuthTokens {
  accessToken: string;
  /** Null when the provider returned none (then the old one stays valid). */
  refreshToken: string | null;
  /** When the access token expires, epoch milliseconds (UTC); null when unknown. */
  expiresAt: number | null;
  /** Granted scopes, space-separated. */
  scope: string | null;
}

/**
 * The authorization-code flow with PKCE (RFC 6749 section 4.1, RFC 7636) against one provider.
 * Endpoints come from configuration (their base URLs), so that tests point them at fakes.
 */
/** What a consent page URL is made of. */
export interface AuthorizationRequest {
  state: string;
  codeChallenge: string;
  redirectUri: string;
  consent?: boolean;
  loginHint?: string;
}

export interface OAuthClient {
  /** The scopes requested: the narrowest that read calendars and write events, plus offline access. */
  readonly scopes: string[];
  /**
   * The consent page URL for `state` and the S256 `codeChallenge` (RFC 7636 section 4.3).
   * `consent` asks for the consent page even when the account consented before (Google
   * `prompt=consent`: only then does Google send a new refresh token); `loginHint` names the
   * account expected. Providers without such a rule may ignore both.
   */
  authorizationUrl(params: AuthorizationRequest): string;
  /**
   * Exchanges an authorization code (RFC 6749 section 4.1.3).
   * @throws ProviderError AUTH_REVOKED for `invalid_grant`, TEMPORARY when unreachable.
   */
  exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string }): Promise<OAuthTokens>;
  /**
   * Refreshes the access token (RFC 6749 section 6); keeps the old refresh token when no new one comes.
   * @throws ProviderError AUTH_REVOKED for `invalid_grant` (consent revoked or expired).
   */
  refresh(tokens: OAuthTokens): Promise<OAuthTokens>;
  /** The account's email address (Google userinfo, Graph /me). */
  accountEmail(access: OAuthAccess): Promise<string>;
  /** Revokes the grant where the provider can (Google, RFC 7009); a no-op elsewhere. */
  revoke(tokens: OAuthTokens): Promise<void>;
}
