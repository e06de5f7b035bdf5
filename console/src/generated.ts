import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** A wall-clock time of day, `HH:mm` (24-hour); `24:00` is the end of the day. */
  LocalTime: { input: string; output: string; }
};

/** An API key of the tenant, as listed: never its secret or hash, only the first characters. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** When the key last authenticated a request, to the minute. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** A name to recognise the key by. */
  name: Scalars['String']['output'];
  /** The first characters of the key (`csk_AbCd`). */
  prefix: Scalars['String']['output'];
  /** Whether every mutation is refused (FORBIDDEN); queries and subscriptions work. */
  readOnly: Scalars['Boolean']['output'];
  /** The resource a RESOURCE key is limited to; null for a TENANT key. */
  resourceId?: Maybe<Scalars['ID']['output']>;
  /** When the key was revoked; it no longer authenticates. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scope: ApiKeyScope;
};

/** What an API key reaches. */
export type ApiKeyScope =
  /** One resource and what hangs off it (a staff token); anything else looks as if it did not exist. */
  | 'RESOURCE'
  /** Every resource of the tenant (an app token). */
  | 'TENANT';

/** A new or rotated API key with its secret, shown only in this answer: store it now. */
export type ApiKeySecretPayload = {
  __typename?: 'ApiKeySecretPayload';
  apiKey: ApiKey;
  /** The key to send as `Authorization: Bearer csk_...`; only its hash is stored. */
  secret: Scalars['String']['output'];
};

/** A booking of a resource, exported to its write calendar. */
export type Appointment = {
  __typename?: 'Appointment';
  /** Booked over busy time on purpose; such appointments still block others. */
  allowOverlap: Scalars['Boolean']['output'];
  attendees: Array<Attendee>;
  cancellationReason?: Maybe<Scalars['String']['output']>;
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** End (UTC, exclusive). */
  endsAt: Scalars['DateTime']['output'];
  /** The calendar that holds the exported event, when one does. */
  exportCalendar?: Maybe<ProviderCalendar>;
  /** Why the export FAILED or was SKIPPED. */
  exportError?: Maybe<Scalars['String']['output']>;
  exportStatus: ExportStatus;
  /** When the provider last accepted a write (UTC). */
  exportedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  location?: Maybe<Scalars['String']['output']>;
  /** The event's id at the provider (Google or Graph event id, CalDAV object URL). */
  providerEventId?: Maybe<Scalars['String']['output']>;
  resource: Resource;
  /** Start (UTC). */
  startsAt: Scalars['DateTime']['output'];
  status: AppointmentStatus;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** Increases with every change (iCalendar SEQUENCE of the exported event). */
  version: Scalars['Int']['output'];
};

/** A page of Appointment items (Relay connection). */
export type AppointmentConnection = {
  __typename?: 'AppointmentConnection';
  edges: Array<AppointmentEdge>;
  pageInfo: PageInfo;
};

/** An edge to a Appointment. */
export type AppointmentEdge = {
  __typename?: 'AppointmentEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: Appointment;
};

/** An appointment after a change of it or of its export. */
export type AppointmentExportEvent = {
  __typename?: 'AppointmentExportEvent';
  /** `appointment(id)` reads it whole. */
  appointmentId: Scalars['ID']['output'];
  exportError?: Maybe<Scalars['String']['output']>;
  exportStatus: ExportStatus;
  /** When the change was published (UTC). */
  occurredAt: Scalars['DateTime']['output'];
  providerEventId?: Maybe<Scalars['String']['output']>;
  resourceId: Scalars['ID']['output'];
  status: AppointmentStatus;
  version: Scalars['Int']['output'];
};

/** Which appointments to list. */
export type AppointmentFilter = {
  exportStatuses?: InputMaybe<Array<ExportStatus>>;
  /** Appointments ending after this instant. */
  from: Scalars['DateTime']['input'];
  /** Only these resources (up to 100). */
  resourceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  statuses?: InputMaybe<Array<AppointmentStatus>>;
  /** Appointments starting before this instant; at most 366 days after `from`. */
  to: Scalars['DateTime']['input'];
};

/** CONFIRMED and TENTATIVE block time; CANCELLED does not. */
export type AppointmentStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'TENTATIVE';

/** A person attending an appointment. */
export type Attendee = {
  __typename?: 'Attendee';
  email: Scalars['String']['output'];
  name?: Maybe<Scalars['String']['output']>;
};

/** A person attending an appointment. */
export type AttendeeInput = {
  /** E-mail address. */
  email: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Free slots of a resource, with the merged free and busy intervals they come from. */
export type Availability = {
  __typename?: 'Availability';
  /** Time blocked by external events, with the resource's buffers, merged and clipped to the window. */
  busy: Array<TimeInterval>;
  /** Working time not blocked by anything, merged. */
  free: Array<TimeInterval>;
  /** True when `syncExternal` refreshed the calendars and the sync finished, successfully, before the answer (it waits up to 5 s). */
  fresh: Scalars['Boolean']['output'];
  /** Slots of slotMinutes inside free time, on a grid of stepMinutes from local midnight. */
  slots: Array<TimeSlot>;
  /** How old the external data is: the oldest last sync (UTC) among the resource's read calendars; null when one was never synced or there are none. */
  syncedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** One thing that keeps an instant from being free. */
export type AvailabilityBlock = {
  __typename?: 'AvailabilityBlock';
  /** The appointment, for APPOINTMENT and the buffers around one. */
  appointment?: Maybe<Appointment>;
  /** End of the blocking interval (UTC, exclusive). */
  end?: Maybe<Scalars['DateTime']['output']>;
  /** The event, for EXTERNAL_EVENT and the buffers: its calendar, its title unless imported privately, its series and occurrence. */
  externalEvent?: Maybe<ExternalEvent>;
  kind: BlockKind;
  /** Start of the blocking interval (UTC), when it is one. */
  start?: Maybe<Scalars['DateTime']['output']>;
};

/** Whether one instant is free for a resource, and if not, everything that blocks it. */
export type AvailabilityExplanation = {
  __typename?: 'AvailabilityExplanation';
  at: Scalars['DateTime']['output'];
  /** Empty when free. */
  blocks: Array<AvailabilityBlock>;
  free: Scalars['Boolean']['output'];
};

/** An availability question: one resource, a window of at most 92 days, slot length and step. */
export type AvailabilityInput = {
  /** Window start (inclusive). */
  from: Scalars['DateTime']['input'];
  /** Slots must start at least this many minutes from now (0..525600). */
  minimumNoticeMinutes?: Scalars['Int']['input'];
  resourceId: Scalars['ID']['input'];
  /** Slot length in minutes, 5..1440. */
  slotMinutes?: Scalars['Int']['input'];
  /** Minutes between slot starts, 5..1440; defaults to slotMinutes. */
  stepMinutes?: InputMaybe<Scalars['Int']['input']>;
  /** Ingest the resource's calendars over the window before answering. */
  syncExternal?: Scalars['Boolean']['input'];
  /** IANA time zone whose local midnight anchors the step grid; defaults to the resource's. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** Window end (exclusive), after `from`. */
  to: Scalars['DateTime']['input'];
};

/** OUTSIDE_WORKING_HOURS (weekly hours), DATE_OVERRIDE (a day off or special hours that exclude the instant), OUTSIDE_VALIDITY (before validFrom or after validUntil), EXTERNAL_EVENT (a blocking event), APPOINTMENT (a CONFIRMED or TENTATIVE appointment), BUFFER_BEFORE / BUFFER_AFTER (the buffer before or after a blocking event or appointment). */
export type BlockKind =
  | 'APPOINTMENT'
  | 'BUFFER_AFTER'
  | 'BUFFER_BEFORE'
  | 'DATE_OVERRIDE'
  | 'EXTERNAL_EVENT'
  | 'OUTSIDE_VALIDITY'
  | 'OUTSIDE_WORKING_HOURS';

/** Partner items of one resource to deactivate (up to 1,000 ids). */
export type BulkDeactivateExternalEventsInput = {
  /** externalIds of PARTNER_PUSH items, up to 1,000. */
  externalIds: Array<Scalars['String']['input']>;
  resourceId: Scalars['ID']['input'];
};

/** The outcome of bulkDeactivateExternalEvents: one result per externalId, in order. */
export type BulkDeactivateExternalEventsPayload = {
  __typename?: 'BulkDeactivateExternalEventsPayload';
  results: Array<ExternalEventDeactivateItemResult>;
};

/** Partner items to create or update for one resource (up to 1,000). */
export type BulkUpsertExternalEventsInput = {
  /** Up to 1,000 items, each externalId once. */
  items: Array<PartnerEventItemInput>;
  resourceId: Scalars['ID']['input'];
};

/** The outcome of bulkUpsertExternalEvents: one result per item, in order. */
export type BulkUpsertExternalEventsPayload = {
  __typename?: 'BulkUpsertExternalEventsPayload';
  results: Array<ExternalEventUpsertItemResult>;
};

/** Slots where enough of the resources are free together. */
export type CommonAvailability = {
  __typename?: 'CommonAvailability';
  /** Time when at least minimumResources are free, merged. */
  free: Array<TimeInterval>;
  slots: Array<TimeSlot>;
};

/** Slots where all (or at least `minimumResources`) of several resources are free. */
export type CommonAvailabilityInput = {
  from: Scalars['DateTime']['input'];
  /** Slots must start at least this many minutes from now. */
  minimumNoticeMinutes?: Scalars['Int']['input'];
  /** How many of the resources must be free; defaults to all of them. */
  minimumResources?: InputMaybe<Scalars['Int']['input']>;
  /** 1..100 resources. */
  resourceIds: Array<Scalars['ID']['input']>;
  /** Slot length in minutes, a positive multiple of stepMinutes. */
  slotMinutes?: Scalars['Int']['input'];
  /** Minutes between slot starts; defaults to slotMinutes. */
  stepMinutes?: InputMaybe<Scalars['Int']['input']>;
  /** IANA time zone of the step grid; defaults to the first resource's. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** After `from`, at most 92 days later. */
  to: Scalars['DateTime']['input'];
};

/** Connect a CalDAV account (any CalDAV server, or Apple iCloud with an app-specific password). */
export type ConnectByCredentialsInput = {
  /** Stored encrypted (AES-256-GCM) and never returned. */
  password: Scalars['String']['input'];
  /** CALDAV or APPLE. */
  provider: ProviderKind;
  resourceId: Scalars['ID']['input'];
  /** CalDAV server URL; required for CALDAV, defaults to https://caldav.icloud.com for APPLE. */
  serverUrl?: InputMaybe<Scalars['String']['input']>;
  username: Scalars['String']['input'];
};

/** Connect a Google or Microsoft account through OAuth. */
export type ConnectExternalCalendarInput = {
  /** GOOGLE or MICROSOFT. */
  provider: ProviderKind;
  /** Where the browser is sent after consent, with `externalCalendarId`, `status` and, on failure, `error` query parameters. Without it a small HTML page says how it went. */
  redirectUrl?: InputMaybe<Scalars['String']['input']>;
  resourceId: Scalars['ID']['input'];
};

/** A PENDING connection and the consent page to send its owner to. */
export type ConnectExternalCalendarPayload = {
  __typename?: 'ConnectExternalCalendarPayload';
  /** The provider's consent page (authorization request with PKCE); its state expires after OAUTH_STATE_TTL_MINUTES and works once. */
  authUrl: Scalars['String']['output'];
  externalCalendar: ExternalCalendar;
};

/** Subscribes a resource to a published calendar (an ICS feed), read-only. */
export type ConnectIcsFeedInput = {
  /** The calendar's name; the feed's own NAME / X-WR-CALNAME (else its host) when absent. 1 to 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  resourceId: Scalars['ID']['input'];
  /** The published calendar address: https://, http:// or webcal:// (read as https). A secret (whoever has it reads the calendar): stored encrypted (AES-256-GCM), never returned; shown as its host with the path masked. */
  url: Scalars['String']['input'];
};

/** OAUTH (consent page), CREDENTIALS (user name and password), URL (ICS feed). */
export type ConnectMethod =
  | 'CREDENTIALS'
  | 'OAUTH'
  | 'URL';

/** A new API key. */
export type CreateApiKeyInput = {
  /** A name to recognise the key by (1..200 characters). */
  name: Scalars['String']['input'];
  /** Refuse every mutation with FORBIDDEN. */
  readOnly?: Scalars['Boolean']['input'];
  /** Limit the key to this resource (a RESOURCE key); omitted: the whole tenant. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};

/** A new appointment of a resource. */
export type CreateAppointmentInput = {
  /** Book even when the time is not available (outside working hours or over busy time). */
  allowOverlap?: Scalars['Boolean']['input'];
  /** Up to 100. */
  attendees?: InputMaybe<Array<AttendeeInput>>;
  /** Up to 8,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** End, exclusive; at most 7 days after the start. */
  endsAt: Scalars['DateTime']['input'];
  /** Up to 200 characters. Repeating a create with the same key returns the appointment it made; the same key with other values is a CONFLICT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Up to 500 characters. */
  location?: InputMaybe<Scalars['String']['input']>;
  resourceId: Scalars['ID']['input'];
  /** Start (UTC instant or ISO 8601 with offset). */
  startsAt: Scalars['DateTime']['input'];
  /** CONFIRMED or TENTATIVE. */
  status?: AppointmentStatus;
  /** 1..200 characters. */
  title: Scalars['String']['input'];
};

/** A new bookable resource. */
export type CreateResourceInput = {
  /** Minutes kept free after each busy interval (0..1440). */
  bufferAfterMinutes?: Scalars['Int']['input'];
  /** Minutes kept free before each busy interval (0..1440). */
  bufferBeforeMinutes?: Scalars['Int']['input'];
  /** Special hours or days off on given dates. */
  dateOverrides?: InputMaybe<Array<DateOverrideInput>>;
  kind?: ResourceKind;
  name: Scalars['String']['input'];
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: Scalars['String']['input'];
  /** First bookable local date, `YYYY-MM-DD`. */
  validFrom?: InputMaybe<Scalars['String']['input']>;
  /** Last bookable local date, `YYYY-MM-DD`, inclusive. */
  validUntil?: InputMaybe<Scalars['String']['input']>;
  /** Weekly working hours; omitted or empty means around the clock. */
  workingHours?: InputMaybe<Array<WorkingHoursInput>>;
};

/** A new webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** At most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The event types to receive: at least one; WEBHOOK_TEST is not subscribable (every endpoint can be sent one). */
  eventTypes: Array<WebhookEventType>;
  /** Only events of these resources (at most 100); null or absent for every resource of the tenant. */
  resourceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** http or https URL, at most 2,000 characters, without user or password; no private, loopback or link-local address unless the operator allows them. */
  url: Scalars['String']['input'];
};

/** Hours of one local date that replace the weekly working hours; no hours is a day off. */
export type DateOverride = {
  __typename?: 'DateOverride';
  /** Local date, `YYYY-MM-DD`, in the resource time zone. */
  date: Scalars['String']['output'];
  /** The working time of that date; empty for a day off. */
  hours: Array<LocalTimeRange>;
};

/** Hours of one local date that replace the weekly working hours; no hours is a day off. */
export type DateOverrideInput = {
  /** Local date, `YYYY-MM-DD`, in the resource time zone. */
  date: Scalars['String']['input'];
  /** The working time of that date; empty for a day off. */
  hours: Array<LocalTimeRangeInput>;
};

/** The outcome of deleteWebhookEndpoint. */
export type DeleteWebhookEndpointPayload = {
  __typename?: 'DeleteWebhookEndpointPayload';
  /** The id of the endpoint deleted, with its deliveries. */
  id: Scalars['ID']['output'];
};

/** PENDING (waiting for the worker), EXPORTED (the calendar holds the current version), FAILED (see exportError; temporary failures are retried), SKIPPED (nothing to write to), REMOVED (taken out of the calendar). */
export type ExportStatus =
  | 'EXPORTED'
  | 'FAILED'
  | 'PENDING'
  | 'REMOVED'
  | 'SKIPPED';

/** One connection of a resource to one provider account. */
export type ExternalCalendar = {
  __typename?: 'ExternalCalendar';
  /** The account: an email address or the CalDAV user name. */
  accountEmail?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Why the last sync or connection attempt failed, for people. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** The newest sync run of this connection (requested for it alone; resource-wide ingests are in `syncRuns(filter: {resourceId})`); null before the first. */
  lastSyncRun?: Maybe<SyncRun>;
  /** When the last successful sync of this connection finished (UTC). */
  lastSyncedAt?: Maybe<Scalars['DateTime']['output']>;
  provider: ProviderKind;
  /** Calendars found in the account. */
  providerCalendars: Array<ProviderCalendar>;
  resource: Resource;
  /** The CalDAV server URL, or the ICS feed address with its path masked (the address is a secret); null for OAuth providers. */
  serverUrl?: Maybe<Scalars['String']['output']>;
  status: ExternalCalendarStatus;
  syncConfig: SyncConfig;
  updatedAt: Scalars['DateTime']['output'];
};

/** PENDING (waiting for consent) -> CONNECTED; ERROR, REAUTH_REQUIRED (credentials refused) and DISCONNECTED. */
export type ExternalCalendarStatus =
  | 'CONNECTED'
  | 'DISCONNECTED'
  | 'ERROR'
  | 'PENDING'
  | 'REAUTH_REQUIRED';

/** A connection whose status changed: CONNECTED after consent, ERROR, REAUTH_REQUIRED (grant revoked), DISCONNECTED. */
export type ExternalCalendarStatusEvent = {
  __typename?: 'ExternalCalendarStatusEvent';
  /** The connection. */
  externalCalendarId: Scalars['ID']['output'];
  /** Why the last sync or connection attempt failed, for people. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** When the change was published. */
  occurredAt: Scalars['DateTime']['output'];
  /** The provider of the connection. */
  provider: ProviderKind;
  /** The resource the connection belongs to. */
  resourceId: Scalars['ID']['output'];
  /** The status after this change. */
  status: ExternalCalendarStatus;
};

/** One occurrence of an external event that can block time. */
export type ExternalEvent = {
  __typename?: 'ExternalEvent';
  /** False once deactivated by a partner; inactive events never block. */
  active: Scalars['Boolean']['output'];
  /** All-day event: it spans the resource's whole local days from startDate to endDate. */
  allDay: Scalars['Boolean']['output'];
  /** The calendar the event is in; null for a PARTNER_PUSH event, which comes from no provider calendar. */
  calendar?: Maybe<ProviderCalendar>;
  /** Local date after the last day (`YYYY-MM-DD`, exclusive) of an all-day event. */
  endDate?: Maybe<Scalars['String']['output']>;
  /** End, UTC instant, exclusive. */
  endsAt: Scalars['DateTime']['output'];
  /** The connection the event was synced through; null for a PARTNER_PUSH event, which belongs to no connection. */
  externalCalendar?: Maybe<ExternalCalendar>;
  /** Unique within its calendar: the UID, or `UID#RECURRENCE-ID` for an occurrence of a series. For a PARTNER_PUSH event: the id the partner gave it, unique within its resource. */
  externalId: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** RFC 5545 RECURRENCE-ID of the occurrence: `YYYYMMDDTHHMMSSZ` (UTC) or `YYYYMMDD` (all-day). */
  recurrenceId?: Maybe<Scalars['String']['output']>;
  /** The resource whose time the event can block. */
  resource: Resource;
  /** The series' UID when this is an occurrence of a recurring event. */
  seriesId?: Maybe<Scalars['String']['output']>;
  source: ExternalEventSource;
  /** First local date (`YYYY-MM-DD`) of an all-day event. */
  startDate?: Maybe<Scalars['String']['output']>;
  /** Start, UTC instant. */
  startsAt: Scalars['DateTime']['output'];
  status: ExternalEventStatus;
  /** The time zone the event was written in, when it had one. */
  timeZone?: Maybe<Scalars['String']['output']>;
  /** Title; null when the connection imports privately. */
  title?: Maybe<Scalars['String']['output']>;
  transparency: Transparency;
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of ExternalEvent items (Relay connection). */
export type ExternalEventConnection = {
  __typename?: 'ExternalEventConnection';
  edges: Array<ExternalEventEdge>;
  pageInfo: PageInfo;
};

/** The outcome for one externalId, in the order of the input. */
export type ExternalEventDeactivateItemResult = {
  __typename?: 'ExternalEventDeactivateItemResult';
  externalId: Scalars['String']['output'];
  result: ExternalEventDeactivateResult;
};

/** DEACTIVATED: was active; UNCHANGED: already inactive; NOT_FOUND: no partner item of the resource has this id. */
export type ExternalEventDeactivateResult =
  | 'DEACTIVATED'
  | 'NOT_FOUND'
  | 'UNCHANGED';

/** An edge to a ExternalEvent. */
export type ExternalEventEdge = {
  __typename?: 'ExternalEventEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: ExternalEvent;
};

/** Which external events to list: a window (both ends required, at most 366 days) and optionally resources and connections. */
export type ExternalEventFilter = {
  /** ExternalCalendar (connection) ids. */
  externalCalendarIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Window start (inclusive). */
  from: Scalars['DateTime']['input'];
  resourceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Window end (exclusive), after `from`. */
  to: Scalars['DateTime']['input'];
};

/** Whether a sync or a partner wrote the event. */
export type ExternalEventSource =
  | 'PARTNER_PUSH'
  | 'PROVIDER_SYNC';

/** RFC 5545 STATUS of the event. */
export type ExternalEventStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'TENTATIVE';

/** The outcome for one pushed item, in the order of the input. */
export type ExternalEventUpsertItemResult = {
  __typename?: 'ExternalEventUpsertItemResult';
  /** The stored event; null when FAILED. */
  event?: Maybe<ExternalEvent>;
  externalId: Scalars['String']['output'];
  /** Why the item FAILED, naming the field (e.g. `items[3].endsAt: ...`); null otherwise. */
  reason?: Maybe<Scalars['String']['output']>;
  result: ExternalEventUpsertResult;
};

/** CREATED: new; UPDATED: changed or reactivated; UNCHANGED: stored as given already; FAILED: invalid, see `reason`. */
export type ExternalEventUpsertResult =
  | 'CREATED'
  | 'FAILED'
  | 'UNCHANGED'
  | 'UPDATED';

/** Ingest the events of one connection, or of every connection of a resource, over a window (at most 366 days). Give exactly one of resourceId and externalCalendarId. */
export type IngestExternalEventsInput = {
  externalCalendarId?: InputMaybe<Scalars['ID']['input']>;
  /** Window start (inclusive). */
  from: Scalars['DateTime']['input'];
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Window end (exclusive), after `from`. */
  to: Scalars['DateTime']['input'];
};

/** A range of local time within one day. */
export type LocalTimeRange = {
  __typename?: 'LocalTimeRange';
  /** After `start`; `24:00` is the end of the day. */
  end: Scalars['LocalTime']['output'];
  start: Scalars['LocalTime']['output'];
};

/** A range of local time within one day. */
export type LocalTimeRangeInput = {
  /** After `start`; `24:00` is the end of the day. */
  end: Scalars['LocalTime']['input'];
  start: Scalars['LocalTime']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Deactivates partner-pushed items of a resource (vcita bulk_deactivate): they stop blocking time at once; pushing one again reactivates it. One result per externalId, in order: DEACTIVATED, UNCHANGED (already inactive) or NOT_FOUND. BAD_USER_INPUT `input.externalIds` over 1,000 ids; NOT_FOUND `input.resourceId`. */
  bulkDeactivateExternalEvents: BulkDeactivateExternalEventsPayload;
  /** Creates or updates busy items a partner pushes for a resource (ExternalEvents with source PARTNER_PUSH, from no provider calendar), idempotent by (resource, externalId), in one transaction. One result per item, in order: CREATED, UPDATED (changed or reactivated), UNCHANGED, or FAILED with a reason naming the field (`items[3].endsAt: ...`) while the other items still land. They block time like synced events unless inactive, CANCELLED or TRANSPARENT. BAD_USER_INPUT `input.items` over 1,000 items; NOT_FOUND `input.resourceId`. */
  bulkUpsertExternalEvents: BulkUpsertExternalEventsPayload;
  /** Cancels an appointment: it stops blocking time and its exported event is deleted. Idempotent. */
  cancelAppointment: Appointment;
  /** Starts connecting a Google or Microsoft account: creates a PENDING connection and returns the consent page (authorization code flow with PKCE, offline access). After consent, GET /oauth/callback marks it CONNECTED. FAILED_PRECONDITION when the provider is not configured on this gateway. */
  connectExternalCalendar: ConnectExternalCalendarPayload;
  /** Connects a CalDAV or Apple iCloud account by user name and password, verified by a CalDAV login before anything is stored. Errors: PROVIDER_AUTH_REQUIRED (credentials refused), PROVIDER_UNAVAILABLE (server unreachable), BAD_USER_INPUT (no CalDAV service at serverUrl). */
  connectExternalCalendarByCredentials: ExternalCalendar;
  /** Subscribes a resource to a published calendar (an ICS feed: Google's secret iCal address, an Outlook published calendar, a webcal:// iCloud calendar, a booking platform's export). The feed is fetched first and must answer with an iCalendar file; it becomes a CONNECTED connection with one read-only calendar, read from the start and never writable. Errors: BAD_USER_INPUT naming input.url with the reason (not a feed address, a refused address, no answer, not iCalendar, too large, too slow), NOT_FOUND (resource). */
  connectIcsFeed: ExternalCalendar;
  /** Issues an API key: for the whole tenant, or limited to `resourceId`; optionally read-only. The secret is in this answer only. NOT_FOUND for an unknown resource; FORBIDDEN for resource or read-only keys. */
  createApiKey: ApiKeySecretPayload;
  /** Books a resource and exports the appointment to its write calendar. CONFLICT when the time is not available (unless allowOverlap) or another appointment overlaps it; BAD_USER_INPUT naming the field; NOT_FOUND for the resource. With an idempotencyKey, a repeat returns the first result. */
  createAppointment: Appointment;
  /** Creates a resource. BAD_USER_INPUT names the first bad field (time zone, working hours, buffers). */
  createResource: Resource;
  /** Registers an endpoint (ENABLED) that receives the event types asked for, POSTed as JSON `{ type, version, timestamp, data }` and signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers); retried with backoff for 24 hours. The `whsec_` secret is in this answer only. BAD_USER_INPUT naming `input.url` (not http(s), a user or password, a private, loopback or link-local address), `input.eventTypes` (empty, or WEBHOOK_TEST), `input.resourceIds` or `input.description`; NOT_FOUND naming `input.resourceIds` for a resource not of the tenant; FAILED_PRECONDITION past 20 endpoints; FORBIDDEN for resource or read-only keys. */
  createWebhookEndpoint: WebhookEndpointSecretPayload;
  /** Deletes a resource with its connections and cached events. NOT_FOUND for an unknown id. */
  deleteResource: Scalars['Boolean']['output'];
  /** Deletes an endpoint with its deliveries; attempts not yet made are not made. NOT_FOUND naming `id`; FORBIDDEN for resource or read-only keys. */
  deleteWebhookEndpoint: DeleteWebhookEndpointPayload;
  /** Disables an endpoint (idempotent): it receives nothing until enabled again with updateWebhookEndpoint, and its waiting deliveries fail. NOT_FOUND naming `id`; FORBIDDEN for resource or read-only keys. */
  disableWebhookEndpoint: WebhookEndpoint;
  /** Forgets the credentials, removes the cached events and marks the connection DISCONNECTED. */
  disconnectExternalCalendar: ExternalCalendar;
  /** Ingests the events of a resource's connections (or of one connection) over a window of at most 366 days and returns the run. A provider failure ends the run FAILED with `error`; FAILED_PRECONDITION when nothing can be ingested. */
  ingestExternalEvents: SyncRun;
  /** Sends a delivery again, whatever its status: the same `webhook-id` and body, PENDING now, retried for 24 hours from now. NOT_FOUND naming `id` for a delivery not of the tenant; FAILED_PRECONDITION when its endpoint is DISABLED; FORBIDDEN for resource or read-only keys. */
  redeliverWebhook: WebhookDelivery;
  /** Lists the calendars of a connection at the provider again (any provider): new ones appear unselected, known ones keep their selection, vanished ones are kept with removedAt set and stop syncing. The daily full sync does the same. Errors: PROVIDER_AUTH_REQUIRED, PROVIDER_UNAVAILABLE, PROVIDER_ERROR, FAILED_PRECONDITION (disconnected or waiting for consent). */
  refreshCalendars: ExternalCalendar;
  /** A new consent page for a PENDING or REAUTH_REQUIRED connection (earlier ones stop working); FAILED_PRECONDITION for other statuses. */
  regenerateAuthUrl: ConnectExternalCalendarPayload;
  /** Moves an appointment; its exported event follows. CONFLICT when the new time is not available (unless allowOverlap) or it is cancelled. */
  rescheduleAppointment: Appointment;
  /** Revokes a key (idempotent): it stops working at once and its open subscriptions are closed within seconds (close code 4401). NOT_FOUND for an unknown key; FORBIDDEN for resource or read-only keys. */
  revokeApiKey: ApiKey;
  /** Gives a key a new secret, in this answer only; the old secret stops working at once and its open subscriptions are closed within seconds. NOT_FOUND for an unknown key, FAILED_PRECONDITION for a revoked one; FORBIDDEN for resource or read-only keys. */
  rotateApiKey: ApiKeySecretPayload;
  /** Gives an endpoint a new `whsec_` secret, in this answer only. The previous secret keeps signing next to it (two signatures in `webhook-signature`) for `input.graceMinutes` (default 1,440), until `previousSecretExpiresAt`. NOT_FOUND naming `input.id`; BAD_USER_INPUT naming `input.graceMinutes` outside 0..10,080; FORBIDDEN for resource or read-only keys. */
  rotateWebhookSecret: WebhookEndpointSecretPayload;
  /** Chooses the read calendars of a connection and the resource's single write calendar (BAD_USER_INPUT naming input.writeCalendarId when the account may not write to it or it was removed at the provider). */
  selectCalendars: ExternalCalendar;
  /** Queues a `webhook.test` event (`data: { endpointId }`) to the endpoint, delivered and retried as any event, whatever its event types; returns the PENDING delivery. NOT_FOUND naming `endpointId`; FAILED_PRECONDITION when the endpoint is DISABLED; FORBIDDEN for resource or read-only keys. */
  sendTestWebhook: WebhookDelivery;
  /** Syncs one connection over its sync window (SyncConfig days back/ahead): incrementally from the stored cursors (Google syncToken, Graph deltaLink, CalDAV sync-token or object ETags), or in full. An expired cursor falls back to a full sync of the window. FAILED_PRECONDITION for a disconnected or pending connection. */
  syncExternalCalendar: SyncRun;
  /** Replaces the user name and password of a CALDAV or APPLE connection in place, after a real login with them: the connection becomes CONNECTED, its calendars are listed again (selection kept) and exports that failed are queued again. Nothing changes when the login fails. Errors: PROVIDER_AUTH_REQUIRED (refused), PROVIDER_UNAVAILABLE, BAD_USER_INPUT (an OAuth connection: use regenerateAuthUrl; an empty password), FAILED_PRECONDITION (disconnected). */
  updateExternalCalendarCredentials: ExternalCalendar;
  /** Replaces the address of an ICS feed connection in place (a rotated secret address), after fetching the new one; the next sync reads it whole. Nothing changes when the fetch fails. Errors: BAD_USER_INPUT (input.url as for connectIcsFeed; not an ICS connection), FAILED_PRECONDITION (disconnected), NOT_FOUND. */
  updateIcsFeed: ExternalCalendar;
  /** Updates a resource; omitted fields are kept. NOT_FOUND for an unknown id. */
  updateResource: Resource;
  /** Changes the sync settings of a connection. */
  updateSyncConfig: SyncConfig;
  /** Changes an endpoint (absent fields stay); `enabled: true` enables a DISABLED endpoint again, `enabled: false` disables it. NOT_FOUND naming `input.id` (or `input.resourceIds`); BAD_USER_INPUT as createWebhookEndpoint; FORBIDDEN for resource or read-only keys. */
  updateWebhookEndpoint: WebhookEndpoint;
};


export type MutationBulkDeactivateExternalEventsArgs = {
  input: BulkDeactivateExternalEventsInput;
};


export type MutationBulkUpsertExternalEventsArgs = {
  input: BulkUpsertExternalEventsInput;
};


export type MutationCancelAppointmentArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationConnectExternalCalendarArgs = {
  input: ConnectExternalCalendarInput;
};


export type MutationConnectExternalCalendarByCredentialsArgs = {
  input: ConnectByCredentialsInput;
};


export type MutationConnectIcsFeedArgs = {
  input: ConnectIcsFeedInput;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationCreateAppointmentArgs = {
  input: CreateAppointmentInput;
};


export type MutationCreateResourceArgs = {
  input: CreateResourceInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeleteResourceArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisableWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisconnectExternalCalendarArgs = {
  id: Scalars['ID']['input'];
};


export type MutationIngestExternalEventsArgs = {
  input: IngestExternalEventsInput;
};


export type MutationRedeliverWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRefreshCalendarsArgs = {
  externalCalendarId: Scalars['ID']['input'];
};


export type MutationRegenerateAuthUrlArgs = {
  externalCalendarId: Scalars['ID']['input'];
  redirectUrl?: InputMaybe<Scalars['String']['input']>;
};


export type MutationRescheduleAppointmentArgs = {
  input: RescheduleAppointmentInput;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  input: RotateWebhookSecretInput;
};


export type MutationSelectCalendarsArgs = {
  input: SelectCalendarsInput;
};


export type MutationSendTestWebhookArgs = {
  endpointId: Scalars['ID']['input'];
};


export type MutationSyncExternalCalendarArgs = {
  externalCalendarId: Scalars['ID']['input'];
  full?: Scalars['Boolean']['input'];
};


export type MutationUpdateExternalCalendarCredentialsArgs = {
  input: UpdateCredentialsInput;
};


export type MutationUpdateIcsFeedArgs = {
  input: UpdateIcsFeedInput;
};


export type MutationUpdateResourceArgs = {
  id: Scalars['ID']['input'];
  input: UpdateResourceInput;
};


export type MutationUpdateSyncConfigArgs = {
  externalCalendarId: Scalars['ID']['input'];
  input: SyncConfigInput;
};


export type MutationUpdateWebhookEndpointArgs = {
  input: UpdateWebhookEndpointInput;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  /** Always false: pages go forward only. */
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** One busy item pushed by a partner; it comes from no provider calendar. */
export type PartnerEventItemInput = {
  /** All-day item: it blocks the resource's whole local days, in the resource's time zone. */
  allDay?: Scalars['Boolean']['input'];
  /** End, exclusive, after the start and at most 7 days after it. For an all-day item: the item covers the resource's local days up to this instant (a whole day when it is not a local midnight). */
  endsAt: Scalars['DateTime']['input'];
  /** The partner's id of the item: 1..500 characters, unique within the resource; pushing it again updates it. */
  externalId: Scalars['String']['input'];
  /** Start (ISO 8601 with offset). For an all-day item: any instant of its first local day. */
  startsAt: Scalars['DateTime']['input'];
  /** CANCELLED items never block. */
  status?: ExternalEventStatus;
  /** Title, up to 1,000 characters; null or blank stores none. */
  title?: InputMaybe<Scalars['String']['input']>;
  /** TRANSPARENT items never block. */
  transparency?: Transparency;
};

/** A calendar provider and how to connect to it. */
export type Provider = {
  __typename?: 'Provider';
  /** False when this gateway cannot connect to the provider: its OAuth app is not configured (GOOGLE_CLIENT_ID ...), or it is not supported yet. */
  available: Scalars['Boolean']['output'];
  connectMethods: Array<ConnectMethod>;
  id: ProviderKind;
  name: Scalars['String']['output'];
  /** Why `available` is false; null when it is true. */
  unavailableReason?: Maybe<ProviderUnavailableReason>;
};

/** One calendar inside a connection (a CalDAV collection, a Google or Microsoft calendar). */
export type ProviderCalendar = {
  __typename?: 'ProviderCalendar';
  /** Whether the account may create events in this calendar (a CalDAV collection's current-user-privilege-set, RFC 3744 section 5.4; Google's accessRole; Graph's canEdit). */
  canWrite: Scalars['Boolean']['output'];
  /** CSS colour, e.g. `#1e90ff`. */
  color?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Calsync's id of the calendar; `selectCalendars` takes these. */
  id: Scalars['ID']['output'];
  /** Why the last sync of this calendar failed (the connection's other calendars sync on); null after a sync that succeeded. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** When events of this calendar were last ingested (UTC). */
  lastSyncedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** Whether this is the account's primary calendar. */
  primary: Scalars['Boolean']['output'];
  /** The provider's id: Google calendar id, Graph calendar id, CalDAV collection URL. */
  providerCalendarId: Scalars['String']['output'];
  /** Whether this calendar's events block the resource's time. */
  read: Scalars['Boolean']['output'];
  /** When the provider stopped listing this calendar (UTC): it no longer syncs, its events no longer block, and it cannot take appointments; null while it exists. It resumes, with its read choice, if the provider lists it again. */
  removedAt?: Maybe<Scalars['DateTime']['output']>;
  /** After failures: incremental syncs leave this calendar alone until then (UTC), backing off from the sync interval up to a day; full syncs and ranged ingests try it at once. */
  retryAt?: Maybe<Scalars['DateTime']['output']>;
  /** IANA time zone of the calendar, when the provider states one. */
  timeZone?: Maybe<Scalars['String']['output']>;
  /** Whether this is the resource's write calendar, which receives appointments. */
  write: Scalars['Boolean']['output'];
};

/** A calendar provider. */
export type ProviderKind =
  | 'APPLE'
  | 'CALDAV'
  | 'GOOGLE'
  | 'ICS'
  | 'MICROSOFT';

/** PREMIUM_FEATURE_NOT_ENABLED (the tenant lacks the externalCalendars feature), NOT_CONFIGURED (the provider's OAuth app is not configured on this gateway). */
export type ProviderUnavailableReason =
  | 'NOT_CONFIGURED'
  | 'PREMIUM_FEATURE_NOT_ENABLED';

export type Query = {
  __typename?: 'Query';
  /** The tenant's API keys, revoked ones included, oldest first; prefixes only, never secrets. FORBIDDEN for resource or read-only keys. */
  apiKeys: Array<ApiKey>;
  /** One appointment of the caller's tenant; null when there is none with this id. */
  appointment?: Maybe<Appointment>;
  /** Appointments overlapping [from, to), by start (Relay connection, up to 100 a page). */
  appointments: AppointmentConnection;
  /** Free slots of a resource: its working time (weekly hours, date overrides, validity, in its time zone) minus busy time from external events and buffers. BAD_USER_INPUT for a window over 92 days, `to` not after `from`, or a slot length that is not a positive multiple of the step. */
  availability: Availability;
  /** Slots when all (or at least minimumResources) of several resources are free at once. */
  commonAvailability: CommonAvailability;
  /** Whether one instant is free for a resource and, if not, exactly what blocks it: working hours, a date override, validity, an event (which calendar, title, occurrence) or a buffer. */
  explainAvailability: AvailabilityExplanation;
  /** One connection; null when the tenant has none with this id. */
  externalCalendar?: Maybe<ExternalCalendar>;
  /** Connections of a resource, oldest first. NOT_FOUND for an unknown resource. */
  externalCalendars: Array<ExternalCalendar>;
  /** Stored external event occurrences overlapping a window, by start time (Relay connection, up to 100 a page). */
  externalEvents: ExternalEventConnection;
  /** Busy and free time of up to 100 resources at once, in the order asked, with a fixed number of SQL statements whatever their number. */
  freeBusy: Array<ResourceFreeBusy>;
  /** Calendars found in a connected account, primary first. NOT_FOUND for an unknown connection. */
  providerCalendars: Array<ProviderCalendar>;
  /** The providers Calsync knows, how each connects and whether this tenant can connect to it: without the externalCalendars feature (the premium gate) none is available, with unavailableReason PREMIUM_FEATURE_NOT_ENABLED. */
  providers: Array<Provider>;
  /** One resource of the caller's tenant; null when there is none with this id. */
  resource?: Maybe<Resource>;
  /** Resources in creation order (Relay connection, up to 100 a page). */
  resources: ResourceConnection;
  /** One sync run with its status and counters; null when the tenant has none with this id. */
  syncRun?: Maybe<SyncRun>;
  /** Sync runs of the tenant, newest first by the time they were requested (Relay connection, up to 100 a page). BAD_USER_INPUT naming `filter.to` when it is not after `filter.from`, or `first` / `after`. */
  syncRuns: SyncRunConnection;
  /** The caller: its tenant, and its key's scope and whether it is read-only. Any key may ask. */
  viewer: Viewer;
  /** The deliveries of one endpoint, newest first by when they were (re)scheduled (Relay connection, up to 100 a page), each with the exact body sent and the outcome of its last attempt. NOT_FOUND naming `endpointId`; BAD_USER_INPUT naming `first` or `after`; FORBIDDEN for resource keys (read-only tenant keys may list). */
  webhookDeliveries: WebhookDeliveryConnection;
  /** The tenant's webhook endpoints, oldest first (Relay connection, up to 100 a page); never their secrets. BAD_USER_INPUT naming `first` or `after`; FORBIDDEN for resource keys (read-only tenant keys may list). */
  webhookEndpoints: WebhookEndpointConnection;
};


export type QueryAppointmentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAppointmentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: AppointmentFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAvailabilityArgs = {
  input: AvailabilityInput;
};


export type QueryCommonAvailabilityArgs = {
  input: CommonAvailabilityInput;
};


export type QueryExplainAvailabilityArgs = {
  at: Scalars['DateTime']['input'];
  resourceId: Scalars['ID']['input'];
};


export type QueryExternalCalendarArgs = {
  id: Scalars['ID']['input'];
};


export type QueryExternalCalendarsArgs = {
  resourceId: Scalars['ID']['input'];
  status?: InputMaybe<ExternalCalendarStatus>;
};


export type QueryExternalEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: ExternalEventFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryFreeBusyArgs = {
  from: Scalars['DateTime']['input'];
  resourceIds: Array<Scalars['ID']['input']>;
  to: Scalars['DateTime']['input'];
};


export type QueryProviderCalendarsArgs = {
  externalCalendarId: Scalars['ID']['input'];
};


export type QueryResourceArgs = {
  id: Scalars['ID']['input'];
};


export type QueryResourcesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySyncRunArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySyncRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: SyncRunFilter;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  filter?: InputMaybe<WebhookDeliveryFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookEndpointsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** New times for an appointment. */
export type RescheduleAppointmentInput = {
  /** Move even when the new time is not available. */
  allowOverlap?: Scalars['Boolean']['input'];
  endsAt: Scalars['DateTime']['input'];
  id: Scalars['ID']['input'];
  startsAt: Scalars['DateTime']['input'];
};

/** A bookable resource (staff member, room, equipment) whose time external calendars block. */
export type Resource = {
  __typename?: 'Resource';
  /** Minutes kept free after each busy interval. */
  bufferAfterMinutes: Scalars['Int']['output'];
  /** Minutes kept free before each busy interval. */
  bufferBeforeMinutes: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Dates whose hours replace the weekly working hours (special hours, days off), sorted by date. */
  dateOverrides: Array<DateOverride>;
  /** Connections of this resource to provider accounts; empty for a tenant without the externalCalendars feature (the premium gate). */
  externalCalendars: Array<ExternalCalendar>;
  id: Scalars['ID']['output'];
  kind: ResourceKind;
  name: Scalars['String']['output'];
  /** IANA time zone of the resource, e.g. `Europe/Berlin`; working hours and all-day events are local to it. */
  timeZone: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** First local date (`YYYY-MM-DD`) the resource can be booked; null: no start. */
  validFrom?: Maybe<Scalars['String']['output']>;
  /** Last local date (`YYYY-MM-DD`, inclusive) the resource can be booked; null: no end. */
  validUntil?: Maybe<Scalars['String']['output']>;
  /** Weekly working hours in the local time of `timeZone`. Empty means available around the clock. */
  workingHours: Array<WorkingHours>;
};

/** A page of Resource items (Relay connection). */
export type ResourceConnection = {
  __typename?: 'ResourceConnection';
  edges: Array<ResourceEdge>;
  pageInfo: PageInfo;
};

/** An edge to a Resource. */
export type ResourceEdge = {
  __typename?: 'ResourceEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: Resource;
};

/** Busy and free time of one resource (free = working time not busy). */
export type ResourceFreeBusy = {
  __typename?: 'ResourceFreeBusy';
  /** Blocked time, buffers included, merged. */
  busy: Array<TimeInterval>;
  /** Working time not blocked, merged. */
  free: Array<TimeInterval>;
  resourceId: Scalars['ID']['output'];
};

/** What kind of bookable thing a resource is. */
export type ResourceKind =
  | 'EQUIPMENT'
  | 'OTHER'
  | 'ROOM'
  | 'STAFF';

/** A rotation of an endpoint's signing secret. */
export type RotateWebhookSecretInput = {
  /** Minutes the previous secret keeps signing next to the new one (0 to 10,080; default 1440). */
  graceMinutes?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};

/** Which calendars of a connection block time, and which one receives appointments. */
export type SelectCalendarsInput = {
  externalCalendarId: Scalars['ID']['input'];
  /** When the resource's write calendar changes (or export stops): true moves future appointments already exported to the new write calendar (or removes them when there is none); false leaves them where they are, still following their reschedules and cancellations. Appointments not yet exported always go to the new target. */
  moveExisting?: Scalars['Boolean']['input'];
  /** ProviderCalendar ids (Calsync ids) whose events block time; the others stop blocking. */
  readCalendarIds: Array<Scalars['ID']['input']>;
  /** ProviderCalendar id of the resource's write calendar. It replaces the resource's previous write calendar, in any connection; null or omitted means this connection holds none. */
  writeCalendarId?: InputMaybe<Scalars['ID']['input']>;
};

/** An event a sync skipped, and why. */
export type SkipReason = {
  __typename?: 'SkipReason';
  /** The provider calendar the event came from. */
  providerCalendarId: Scalars['ID']['output'];
  reason: Scalars['String']['output'];
  /** The UID of the skipped component, when it had one. */
  uid?: Maybe<Scalars['String']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Changes of the tenant's appointments and of their export status (PENDING, EXPORTED, FAILED, SKIPPED, REMOVED), optionally of one resource or one appointment. */
  appointmentExportChanged: AppointmentExportEvent;
  /** Status changes of the tenant's connections (CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED), optionally of one resource or one connection. */
  externalCalendarStatusChanged: ExternalCalendarStatusEvent;
  /** Every status transition, calendar started and page committed of the tenant's sync runs, optionally of one resource or one connection. */
  syncStatusChanged: SyncStatusEvent;
};


export type SubscriptionAppointmentExportChangedArgs = {
  appointmentId?: InputMaybe<Scalars['ID']['input']>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionExternalCalendarStatusChangedArgs = {
  externalCalendarId?: InputMaybe<Scalars['ID']['input']>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionSyncStatusChangedArgs = {
  externalCalendarId?: InputMaybe<Scalars['ID']['input']>;
  resourceId?: InputMaybe<Scalars['ID']['input']>;
};

/** Per-connection sync settings. */
export type SyncConfig = {
  __typename?: 'SyncConfig';
  /** Whether all-day events block the resource's whole local day. */
  allDayIsBusy: Scalars['Boolean']['output'];
  /** Write appointments to the write calendar. */
  exportEnabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** Read events from the selected read calendars (they block the resource's time). */
  importEnabled: Scalars['Boolean']['output'];
  /** Let the provider invite the appointment's attendees. Only Microsoft Graph needs the switch: it sends invitations to every attendee of an event it creates and updates on every change, with no way to stay silent, so by default the attendees are listed in the event's body instead. Google (sendUpdates=none) and CalDAV (SCHEDULE-AGENT=NONE) never send mail, whatever it says. */
  inviteAttendees: Scalars['Boolean']['output'];
  /** Export appointments titled "Busy", without details. */
  privateExport: Scalars['Boolean']['output'];
  /** Keep no titles of imported events (they are stored as busy time only). */
  privateImport: Scalars['Boolean']['output'];
  /** Days after now that scheduled syncs cover. */
  syncWindowDaysAhead: Scalars['Int']['output'];
  /** Days before now that scheduled syncs cover. */
  syncWindowDaysBack: Scalars['Int']['output'];
  /** Whether TENTATIVE events block time. */
  tentativeIsBusy: Scalars['Boolean']['output'];
};

/** Changes to the sync settings of a connection; omitted fields stay as they are. */
export type SyncConfigInput = {
  allDayIsBusy?: InputMaybe<Scalars['Boolean']['input']>;
  exportEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  importEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Microsoft only: Outlook then mails invitations and updates to the attendees. */
  inviteAttendees?: InputMaybe<Scalars['Boolean']['input']>;
  /** When the resource's write calendar changes (or export stops): true moves future appointments already exported to the new write calendar (or removes them when there is none); false leaves them where they are, still following their reschedules and cancellations. Appointments not yet exported always go to the new target. */
  moveExisting?: Scalars['Boolean']['input'];
  privateExport?: InputMaybe<Scalars['Boolean']['input']>;
  /** When switched on, titles already stored are erased. */
  privateImport?: InputMaybe<Scalars['Boolean']['input']>;
  /** 1..366 days. */
  syncWindowDaysAhead?: InputMaybe<Scalars['Int']['input']>;
  /** 0..366 days. */
  syncWindowDaysBack?: InputMaybe<Scalars['Int']['input']>;
  tentativeIsBusy?: InputMaybe<Scalars['Boolean']['input']>;
};

/** One sync of a connection (or of all connections of a resource) over a window. */
export type SyncRun = {
  __typename?: 'SyncRun';
  /** The calendars of the run in the order it takes them, each with its status and counters; filled as the run reaches each connection (empty while QUEUED). */
  calendars: Array<SyncRunCalendar>;
  /** When the run was requested. */
  createdAt: Scalars['DateTime']['output'];
  /** Stored occurrences removed because the provider no longer has them. */
  deleted: Scalars['Int']['output'];
  /** Why the run failed, for people. */
  error?: Maybe<Scalars['String']['output']>;
  /** Why the run failed, for programs: PROVIDER_UNAVAILABLE (throttled or down after retries), PROVIDER_AUTH_REQUIRED (grant revoked), NOT_FOUND (calendar gone). */
  errorCode?: Maybe<Scalars['String']['output']>;
  /** The connection synced; null when the run covered every connection of the resource. */
  externalCalendar?: Maybe<ExternalCalendar>;
  /** Occurrences read from the providers. */
  fetched: Scalars['Int']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  kind: SyncRunKind;
  /** Calendars fetched and committed so far. */
  pages: Scalars['Int']['output'];
  resource: Resource;
  /** Why events were skipped (the first 200). */
  skipReasons: Array<SkipReason>;
  /** Events that could not be read; see skipReasons. */
  skipped: Scalars['Int']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: SyncRunStatus;
  /** Occurrences stored that were new or changed. */
  upserted: Scalars['Int']['output'];
  /** Start of the synced window (UTC, inclusive). */
  windowFrom: Scalars['DateTime']['output'];
  /** End of the synced window (UTC, exclusive). */
  windowTo: Scalars['DateTime']['output'];
};

/** One calendar of a sync run: where the run is with it, and its share of the run's counters. */
export type SyncRunCalendar = {
  __typename?: 'SyncRunCalendar';
  /** Stored occurrences removed, growing chunk by chunk. */
  deleted: Scalars['Int']['output'];
  /** Why it FAILED or was SKIPPED, for people. */
  error?: Maybe<Scalars['String']['output']>;
  /** The connection it belongs to. */
  externalCalendarId: Scalars['ID']['output'];
  /** Occurrences read from it; counted once the calendar is stored whole. */
  fetched: Scalars['Int']['output'];
  /** Its name when the run reached it. */
  name: Scalars['String']['output'];
  /** The provider calendar (ProviderCalendar.id). */
  providerCalendarId: Scalars['ID']['output'];
  /** Events of it that could not be read (SyncRun.skipReasons says why), or 1 when the calendar was SKIPPED. */
  skipped: Scalars['Int']['output'];
  status: SyncRunCalendarStatus;
  /** Occurrences stored that were new or changed, growing chunk by chunk. */
  upserted: Scalars['Int']['output'];
};

/** WAITING (not reached yet; on a finished run: not reached, the run stopped before it) -> RUNNING -> SUCCEEDED (stored with its cursor) | FAILED (see error) | SKIPPED (left out, see error: still backing off after failed syncs). */
export type SyncRunCalendarStatus =
  | 'FAILED'
  | 'RUNNING'
  | 'SKIPPED'
  | 'SUCCEEDED'
  | 'WAITING';

/** A page of SyncRun items (Relay connection). */
export type SyncRunConnection = {
  __typename?: 'SyncRunConnection';
  edges: Array<SyncRunEdge>;
  pageInfo: PageInfo;
};

/** An edge to a SyncRun. */
export type SyncRunEdge = {
  __typename?: 'SyncRunEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: SyncRun;
};

/** Which sync runs to list; every field narrows the list, none lists all of the tenant. */
export type SyncRunFilter = {
  /** Only runs of this connection (not the runs that covered every connection of its resource). */
  externalCalendarId?: InputMaybe<Scalars['ID']['input']>;
  /** Only runs requested at or after this instant (UTC). */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only runs of this resource. */
  resourceId?: InputMaybe<Scalars['ID']['input']>;
  /** Only runs in one of these statuses. */
  statuses?: InputMaybe<Array<SyncRunStatus>>;
  /** Only runs requested before this instant (UTC). */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

/** FULL (whole sync window), INCREMENTAL (changes since the cursor), RANGE (a window asked for). */
export type SyncRunKind =
  | 'FULL'
  | 'INCREMENTAL'
  | 'RANGE';

/** QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED. */
export type SyncRunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** A SyncRun as it is after a status transition, a calendar started or a committed page of events. */
export type SyncStatusEvent = {
  __typename?: 'SyncStatusEvent';
  /** The calendars of the run, each with its status and counters (as SyncRun.calendars). */
  calendars: Array<SyncRunCalendar>;
  /** Stored occurrences removed so far. */
  deleted: Scalars['Int']['output'];
  /** Why the run failed, for people. */
  error?: Maybe<Scalars['String']['output']>;
  /** Why the run failed, for programs (as SyncRun.errorCode). */
  errorCode?: Maybe<Scalars['String']['output']>;
  /** The connection synced; null when the run covers every connection of the resource. */
  externalCalendarId?: Maybe<Scalars['ID']['output']>;
  /** Occurrences read from the providers so far. */
  fetched: Scalars['Int']['output'];
  /** When the run finished (null until SUCCEEDED, FAILED or CANCELLED). */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the run fetches. */
  kind: SyncRunKind;
  /** When the change was published. */
  occurredAt: Scalars['DateTime']['output'];
  /** Calendars fetched and committed so far. */
  pages: Scalars['Int']['output'];
  /** The resource synced. */
  resourceId: Scalars['ID']['output'];
  /** Events that could not be read, so far. */
  skipped: Scalars['Int']['output'];
  /** When the run started (null while QUEUED). */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The status after this change. */
  status: SyncRunStatus;
  /** The run; `syncRun(id)` reads it whole. */
  syncRunId: Scalars['ID']['output'];
  /** Occurrences stored that were new or changed, so far. */
  upserted: Scalars['Int']['output'];
};

/** A half-open interval [start, end) of UTC instants. */
export type TimeInterval = {
  __typename?: 'TimeInterval';
  /** Exclusive. */
  end: Scalars['DateTime']['output'];
  start: Scalars['DateTime']['output'];
};

/** A bookable slot [start, end). */
export type TimeSlot = {
  __typename?: 'TimeSlot';
  /** Exclusive. */
  end: Scalars['DateTime']['output'];
  start: Scalars['DateTime']['output'];
};

/** RFC 5545 TRANSP: TRANSPARENT events never block time. */
export type Transparency =
  | 'OPAQUE'
  | 'TRANSPARENT';

/** Replaces the user name and password of a CalDAV or Apple iCloud connection, after a real login with them. */
export type UpdateCredentialsInput = {
  externalCalendarId: Scalars['ID']['input'];
  /** The new password (Apple: a new app-specific password); stored encrypted (AES-256-GCM) and never returned. */
  password: Scalars['String']['input'];
  /** The new user name; the current one when absent. */
  username?: InputMaybe<Scalars['String']['input']>;
};

/** Replaces the address of an ICS feed connection in place (a rotated secret address). */
export type UpdateIcsFeedInput = {
  externalCalendarId: Scalars['ID']['input'];
  /** The published calendar address: https://, http:// or webcal:// (read as https). A secret (whoever has it reads the calendar): stored encrypted (AES-256-GCM), never returned; shown as its host with the path masked. */
  url: Scalars['String']['input'];
};

/** Changes to a resource; omitted fields stay as they are. */
export type UpdateResourceInput = {
  bufferAfterMinutes?: InputMaybe<Scalars['Int']['input']>;
  bufferBeforeMinutes?: InputMaybe<Scalars['Int']['input']>;
  /** Replaces all date overrides; an empty list removes them. */
  dateOverrides?: InputMaybe<Array<DateOverrideInput>>;
  kind?: InputMaybe<ResourceKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** IANA time zone. All-day events move with it. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** First bookable local date; an empty string removes it. */
  validFrom?: InputMaybe<Scalars['String']['input']>;
  /** Last bookable local date (inclusive); an empty string removes it. */
  validUntil?: InputMaybe<Scalars['String']['input']>;
  /** Replaces all working hours; an empty list means around the clock. */
  workingHours?: InputMaybe<Array<WorkingHoursInput>>;
};

/** Changes to a webhook endpoint; absent fields stay as they are. */
export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** true enables a DISABLED endpoint again (its failure clock starts anew); false is disableWebhookEndpoint. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  eventTypes?: InputMaybe<Array<WebhookEventType>>;
  id: Scalars['ID']['input'];
  /** Only events of these resources; an empty list means every resource again. */
  resourceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** As in createWebhookEndpoint. */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** The caller: its tenant and what its API key reaches, so that a client can offer only what the key may do. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The API key of the request; null for callers that are not an API key. */
  apiKeyId?: Maybe<Scalars['ID']['output']>;
  /** Whether every mutation is refused (FORBIDDEN); queries and subscriptions work. */
  readOnly: Scalars['Boolean']['output'];
  /** The one resource a RESOURCE key reaches; null for a TENANT key. */
  resourceId?: Maybe<Scalars['ID']['output']>;
  /** TENANT: every resource; RESOURCE: `resourceId` only. */
  scope: ApiKeyScope;
  /** The caller's tenant. */
  tenantId: Scalars['ID']['output'];
  /** The tenant's name. */
  tenantName: Scalars['String']['output'];
};

/** One event sent (or to be sent) to one webhook endpoint, with the outcome of its last attempt. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Attempts made so far. */
  attempts: Scalars['Int']['output'];
  /** The exact JSON body sent: `{ type, version, timestamp, data }`. */
  body: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  endpointId: Scalars['ID']['output'];
  /** Why the last attempt failed, in words (timeout, refused address, HTTP status); never a secret. */
  error?: Maybe<Scalars['String']['output']>;
  eventType: WebhookEventType;
  /** The `webhook-id` header, the same on every attempt and redelivery. */
  id: Scalars['ID']['output'];
  lastAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Milliseconds from sending the last attempt to its answer (or its failure). */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** When (UTC) the next attempt is due; null once SUCCEEDED or FAILED. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** The start of the last answer's body, at most 1024 bytes. */
  responseBody?: Maybe<Scalars['String']['output']>;
  /** The HTTP status of the last attempt's answer; null when none came (timeout, refused connection). */
  responseStatus?: Maybe<Scalars['Int']['output']>;
  status: WebhookDeliveryStatus;
  succeededAt?: Maybe<Scalars['DateTime']['output']>;
  /** When its current series of attempts began: its recording, or its last redeliverWebhook; retried for the retry window (24 hours by default) from then. */
  windowStartedAt: Scalars['DateTime']['output'];
};

/** A page of WebhookDelivery items (Relay connection). */
export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  edges: Array<WebhookDeliveryEdge>;
  pageInfo: PageInfo;
};

/** An edge to a WebhookDelivery. */
export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};

/** Which deliveries of an endpoint to list; every field narrows the list. */
export type WebhookDeliveryFilter = {
  eventTypes?: InputMaybe<Array<WebhookEventType>>;
  statuses?: InputMaybe<Array<WebhookDeliveryStatus>>;
};

/** PENDING (waiting for its first attempt or a retry), SUCCEEDED (a 2xx answer), FAILED (refused, or retried for 24 hours). */
export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

/** A partner back end's webhook endpoint. The signing secret is shown only by createWebhookEndpoint and rotateWebhookSecret. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  /** Why the endpoint is DISABLED: by a client, or failing since failingSince for 5 days. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** The event types the endpoint receives. */
  eventTypes: Array<WebhookEventType>;
  /** Since when (UTC) every attempt to deliver has failed; null after a success. */
  failingSince?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Until when (UTC) the secret before the last rotation also signs; null when only one secret signs. */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Only events of these resources; null for every resource of the tenant. */
  resourceIds?: Maybe<Array<Scalars['ID']['output']>>;
  status: WebhookEndpointStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** Where events are POSTed (http or https; private addresses only where the operator allows them). */
  url: Scalars['String']['output'];
};

/** A page of WebhookEndpoint items (Relay connection). */
export type WebhookEndpointConnection = {
  __typename?: 'WebhookEndpointConnection';
  edges: Array<WebhookEndpointEdge>;
  pageInfo: PageInfo;
};

/** An edge to a WebhookEndpoint. */
export type WebhookEndpointEdge = {
  __typename?: 'WebhookEndpointEdge';
  /** Opaque cursor; pass it as `after` to read the next page. */
  cursor: Scalars['String']['output'];
  node: WebhookEndpoint;
};

/** A new webhook endpoint, or one whose secret was rotated, with its signing secret, shown only in this answer: store it now. */
export type WebhookEndpointSecretPayload = {
  __typename?: 'WebhookEndpointSecretPayload';
  endpoint: WebhookEndpoint;
  /** The signing secret, `whsec_` and base64 (Standard Webhooks): verify the `webhook-signature` header with it. Stored sealed; no query returns it again. */
  secret: Scalars['String']['output'];
};

/** ENABLED (receives events) or DISABLED (by disableWebhookEndpoint, or by the gateway after 5 days of failed deliveries). */
export type WebhookEndpointStatus =
  | 'DISABLED'
  | 'ENABLED';

/** An event a webhook endpoint receives; the payload `type` is its dotted name: availability.changed, connection.status_changed, sync_run.finished, appointment.export_changed, external_events.pushed, webhook.test (sendTestWebhook only; not subscribable). */
export type WebhookEventType =
  | 'APPOINTMENT_EXPORT_CHANGED'
  | 'AVAILABILITY_CHANGED'
  | 'CONNECTION_STATUS_CHANGED'
  | 'EXTERNAL_EVENTS_PUSHED'
  | 'SYNC_RUN_FINISHED'
  | 'WEBHOOK_TEST';

/** ISO weekday, MONDAY to SUNDAY. */
export type Weekday =
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY';

/** One interval of weekly working hours, in the local time of the resource. */
export type WorkingHours = {
  __typename?: 'WorkingHours';
  /** Local end time, `HH:mm`, after `start`; `24:00` is the end of the day. */
  end: Scalars['LocalTime']['output'];
  /** Local start time, `HH:mm`. */
  start: Scalars['LocalTime']['output'];
  weekday: Weekday;
};

/** One interval of weekly working hours, in the local time of the resource. */
export type WorkingHoursInput = {
  /** Local end time, `HH:mm`, after `start`; `24:00` is the end of the day. */
  end: Scalars['LocalTime']['input'];
  /** Local start time, `HH:mm`. */
  start: Scalars['LocalTime']['input'];
  weekday: Weekday;
};

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', tenantName: string, scope: ApiKeyScope, resourceId?: string | null, readOnly: boolean } };

export type ConsoleResourceFieldsFragment = { __typename?: 'Resource', id: string, name: string, kind: ResourceKind, timeZone: string, bufferBeforeMinutes: number, bufferAfterMinutes: number, workingHours: Array<{ __typename?: 'WorkingHours', weekday: Weekday, start: string, end: string }>, dateOverrides: Array<{ __typename?: 'DateOverride', date: string, hours: Array<{ __typename?: 'LocalTimeRange', start: string, end: string }> }> };

export type ResourcesQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ResourcesQuery = { __typename?: 'Query', resources: { __typename?: 'ResourceConnection', edges: Array<{ __typename?: 'ResourceEdge', cursor: string, node: { __typename?: 'Resource', id: string, name: string, kind: ResourceKind, timeZone: string, bufferBeforeMinutes: number, bufferAfterMinutes: number, workingHours: Array<{ __typename?: 'WorkingHours', weekday: Weekday, start: string, end: string }>, dateOverrides: Array<{ __typename?: 'DateOverride', date: string, hours: Array<{ __typename?: 'LocalTimeRange', start: string, end: string }> }> } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type CreateResourceMutationVariables = Exact<{
  input: CreateResourceInput;
}>;


export type CreateResourceMutation = { __typename?: 'Mutation', createResource: { __typename?: 'Resource', id: string, name: string, kind: ResourceKind, timeZone: string, bufferBeforeMinutes: number, bufferAfterMinutes: number, workingHours: Array<{ __typename?: 'WorkingHours', weekday: Weekday, start: string, end: string }>, dateOverrides: Array<{ __typename?: 'DateOverride', date: string, hours: Array<{ __typename?: 'LocalTimeRange', start: string, end: string }> }> } };

export type UpdateResourceMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateResourceInput;
}>;


export type UpdateResourceMutation = { __typename?: 'Mutation', updateResource: { __typename?: 'Resource', id: string, name: string, kind: ResourceKind, timeZone: string, bufferBeforeMinutes: number, bufferAfterMinutes: number, workingHours: Array<{ __typename?: 'WorkingHours', weekday: Weekday, start: string, end: string }>, dateOverrides: Array<{ __typename?: 'DateOverride', date: string, hours: Array<{ __typename?: 'LocalTimeRange', start: string, end: string }> }> } };

export type ProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type ProvidersQuery = { __typename?: 'Query', providers: Array<{ __typename?: 'Provider', id: ProviderKind, name: string, connectMethods: Array<ConnectMethod>, available: boolean, unavailableReason?: ProviderUnavailableReason | null }> };

export type ConsoleConnectionFieldsFragment = { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> };

export type ConnectionsQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
}>;


export type ConnectionsQuery = { __typename?: 'Query', externalCalendars: Array<{ __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> }> };

export type ConnectCaldavMutationVariables = Exact<{
  input: ConnectByCredentialsInput;
}>;


export type ConnectCaldavMutation = { __typename?: 'Mutation', connectExternalCalendarByCredentials: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } };

export type ConnectIcsMutationVariables = Exact<{
  input: ConnectIcsFeedInput;
}>;


export type ConnectIcsMutation = { __typename?: 'Mutation', connectIcsFeed: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } };

export type ConnectOauthMutationVariables = Exact<{
  input: ConnectExternalCalendarInput;
}>;


export type ConnectOauthMutation = { __typename?: 'Mutation', connectExternalCalendar: { __typename?: 'ConnectExternalCalendarPayload', authUrl: string, externalCalendar: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } } };

export type RegenerateAuthUrlMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  redirectUrl?: InputMaybe<Scalars['String']['input']>;
}>;


export type RegenerateAuthUrlMutation = { __typename?: 'Mutation', regenerateAuthUrl: { __typename?: 'ConnectExternalCalendarPayload', authUrl: string } };

export type UpdateCredentialsMutationVariables = Exact<{
  input: UpdateCredentialsInput;
}>;


export type UpdateCredentialsMutation = { __typename?: 'Mutation', updateExternalCalendarCredentials: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } };

export type DisconnectMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DisconnectMutation = { __typename?: 'Mutation', disconnectExternalCalendar: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } };

export type SelectCalendarsMutationVariables = Exact<{
  input: SelectCalendarsInput;
}>;


export type SelectCalendarsMutation = { __typename?: 'Mutation', selectCalendars: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null, serverUrl?: string | null, status: ExternalCalendarStatus, lastError?: string | null, lastSyncedAt?: string | null, syncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number }, providerCalendars: Array<{ __typename?: 'ProviderCalendar', id: string, name: string, read: boolean, write: boolean, canWrite: boolean, lastSyncedAt?: string | null, lastError?: string | null }> } };

export type ConsoleRunCalendarFieldsFragment = { __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null };

export type ConsoleRunFieldsFragment = { __typename?: 'SyncRun', id: string, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, windowFrom: string, windowTo: string, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, createdAt: string, skipReasons: Array<{ __typename?: 'SkipReason', providerCalendarId: string, uid?: string | null, reason: string }>, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }>, externalCalendar?: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null } | null };

export type SyncRunsQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SyncRunsQuery = { __typename?: 'Query', syncRuns: { __typename?: 'SyncRunConnection', edges: Array<{ __typename?: 'SyncRunEdge', node: { __typename?: 'SyncRun', id: string, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, windowFrom: string, windowTo: string, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, createdAt: string, skipReasons: Array<{ __typename?: 'SkipReason', providerCalendarId: string, uid?: string | null, reason: string }>, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }>, externalCalendar?: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null } | null } }> } };

export type SyncRunDetailQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SyncRunDetailQuery = { __typename?: 'Query', syncRun?: { __typename?: 'SyncRun', id: string, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, windowFrom: string, windowTo: string, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, createdAt: string, skipReasons: Array<{ __typename?: 'SkipReason', providerCalendarId: string, uid?: string | null, reason: string }>, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }>, externalCalendar?: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null } | null } | null };

export type SyncNowMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  full: Scalars['Boolean']['input'];
}>;


export type SyncNowMutation = { __typename?: 'Mutation', syncExternalCalendar: { __typename?: 'SyncRun', id: string, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, windowFrom: string, windowTo: string, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, createdAt: string, skipReasons: Array<{ __typename?: 'SkipReason', providerCalendarId: string, uid?: string | null, reason: string }>, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }>, externalCalendar?: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null } | null } };

export type IngestRangeMutationVariables = Exact<{
  input: IngestExternalEventsInput;
}>;


export type IngestRangeMutation = { __typename?: 'Mutation', ingestExternalEvents: { __typename?: 'SyncRun', id: string, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, windowFrom: string, windowTo: string, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, createdAt: string, skipReasons: Array<{ __typename?: 'SkipReason', providerCalendarId: string, uid?: string | null, reason: string }>, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }>, externalCalendar?: { __typename?: 'ExternalCalendar', id: string, provider: ProviderKind, accountEmail?: string | null } | null } };

export type SyncStatusSubscriptionVariables = Exact<{
  resourceId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type SyncStatusSubscription = { __typename?: 'Subscription', syncStatusChanged: { __typename?: 'SyncStatusEvent', syncRunId: string, externalCalendarId?: string | null, kind: SyncRunKind, status: SyncRunStatus, pages: number, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null, errorCode?: string | null, startedAt?: string | null, finishedAt?: string | null, calendars: Array<{ __typename?: 'SyncRunCalendar', providerCalendarId: string, externalCalendarId: string, name: string, status: SyncRunCalendarStatus, fetched: number, upserted: number, deleted: number, skipped: number, error?: string | null }> } };

export type ConnectionStatusSubscriptionVariables = Exact<{
  resourceId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type ConnectionStatusSubscription = { __typename?: 'Subscription', externalCalendarStatusChanged: { __typename?: 'ExternalCalendarStatusEvent', externalCalendarId: string, status: ExternalCalendarStatus, lastError?: string | null, occurredAt: string } };

export type UpdateSyncConfigMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: SyncConfigInput;
}>;


export type UpdateSyncConfigMutation = { __typename?: 'Mutation', updateSyncConfig: { __typename?: 'SyncConfig', id: string, importEnabled: boolean, exportEnabled: boolean, privateImport: boolean, privateExport: boolean, tentativeIsBusy: boolean, allDayIsBusy: boolean, syncWindowDaysBack: number, syncWindowDaysAhead: number } };

export type ResourceZoneQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ResourceZoneQuery = { __typename?: 'Query', resource?: { __typename?: 'Resource', id: string, timeZone: string } | null };

export type ConsoleAppointmentFieldsFragment = { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number };

export type WeekQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
}>;


export type WeekQuery = { __typename?: 'Query', availability: { __typename?: 'Availability', slots: Array<{ __typename?: 'TimeSlot', start: string, end: string }>, free: Array<{ __typename?: 'TimeInterval', start: string, end: string }> } };

export type WeekEventsQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WeekEventsQuery = { __typename?: 'Query', externalEvents: { __typename?: 'ExternalEventConnection', edges: Array<{ __typename?: 'ExternalEventEdge', node: { __typename?: 'ExternalEvent', id: string, title?: string | null, startsAt: string, endsAt: string, allDay: boolean, status: ExternalEventStatus, transparency: Transparency, active: boolean, calendar?: { __typename?: 'ProviderCalendar', name: string } | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type WeekAppointmentsQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WeekAppointmentsQuery = { __typename?: 'Query', appointments: { __typename?: 'AppointmentConnection', edges: Array<{ __typename?: 'AppointmentEdge', node: { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type ExplainQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  at: Scalars['DateTime']['input'];
}>;


export type ExplainQuery = { __typename?: 'Query', explainAvailability: { __typename?: 'AvailabilityExplanation', free: boolean, blocks: Array<{ __typename?: 'AvailabilityBlock', kind: BlockKind, start?: string | null, end?: string | null, externalEvent?: { __typename?: 'ExternalEvent', title?: string | null, calendar?: { __typename?: 'ProviderCalendar', name: string } | null } | null, appointment?: { __typename?: 'Appointment', title: string } | null }> } };

export type AppointmentsQueryVariables = Exact<{
  resourceId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
}>;


export type AppointmentsQuery = { __typename?: 'Query', appointments: { __typename?: 'AppointmentConnection', edges: Array<{ __typename?: 'AppointmentEdge', node: { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } }> } };

export type BookMutationVariables = Exact<{
  input: CreateAppointmentInput;
}>;


export type BookMutation = { __typename?: 'Mutation', createAppointment: { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } };

export type RescheduleMutationVariables = Exact<{
  input: RescheduleAppointmentInput;
}>;


export type RescheduleMutation = { __typename?: 'Mutation', rescheduleAppointment: { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } };

export type CancelAppointmentMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelAppointmentMutation = { __typename?: 'Mutation', cancelAppointment: { __typename?: 'Appointment', id: string, title: string, startsAt: string, endsAt: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } };

export type AppointmentExportSubscriptionVariables = Exact<{
  resourceId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type AppointmentExportSubscription = { __typename?: 'Subscription', appointmentExportChanged: { __typename?: 'AppointmentExportEvent', appointmentId: string, status: AppointmentStatus, exportStatus: ExportStatus, exportError?: string | null, version: number } };

export const ConsoleResourceFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleResourceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Resource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bufferBeforeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"bufferAfterMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"workingHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"weekday"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dateOverrides"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"hours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleResourceFieldsFragment, unknown>;
export const ConsoleConnectionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<ConsoleConnectionFieldsFragment, unknown>;
export const ConsoleRunCalendarFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ConsoleRunCalendarFieldsFragment, unknown>;
export const ConsoleRunFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"skipReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"uid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"windowFrom"}},{"kind":"Field","name":{"kind":"Name","value":"windowTo"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ConsoleRunFieldsFragment, unknown>;
export const ConsoleAppointmentFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<ConsoleAppointmentFieldsFragment, unknown>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tenantName"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"resourceId"}},{"kind":"Field","name":{"kind":"Name","value":"readOnly"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ResourcesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Resources"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resources"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleResourceFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleResourceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Resource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bufferBeforeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"bufferAfterMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"workingHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"weekday"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dateOverrides"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"hours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<ResourcesQuery, ResourcesQueryVariables>;
export const CreateResourceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateResource"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateResourceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createResource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleResourceFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleResourceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Resource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bufferBeforeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"bufferAfterMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"workingHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"weekday"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dateOverrides"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"hours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<CreateResourceMutation, CreateResourceMutationVariables>;
export const UpdateResourceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateResource"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateResourceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateResource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleResourceFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleResourceFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Resource"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bufferBeforeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"bufferAfterMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"workingHours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"weekday"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"dateOverrides"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"hours"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateResourceMutation, UpdateResourceMutationVariables>;
export const ProvidersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"connectMethods"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"unavailableReason"}}]}}]}}]} as unknown as DocumentNode<ProvidersQuery, ProvidersQueryVariables>;
export const ConnectionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Connections"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalCalendars"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<ConnectionsQuery, ConnectionsQueryVariables>;
export const ConnectCaldavDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectCaldav"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectByCredentialsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectExternalCalendarByCredentials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<ConnectCaldavMutation, ConnectCaldavMutationVariables>;
export const ConnectIcsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectIcs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectIcsFeedInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectIcsFeed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<ConnectIcsMutation, ConnectIcsMutationVariables>;
export const ConnectOauthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectOauth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectExternalCalendarInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectExternalCalendar"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authUrl"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<ConnectOauthMutation, ConnectOauthMutationVariables>;
export const RegenerateAuthUrlDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegenerateAuthUrl"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"redirectUrl"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"regenerateAuthUrl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalCalendarId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"redirectUrl"},"value":{"kind":"Variable","name":{"kind":"Name","value":"redirectUrl"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authUrl"}}]}}]}}]} as unknown as DocumentNode<RegenerateAuthUrlMutation, RegenerateAuthUrlMutationVariables>;
export const UpdateCredentialsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCredentials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCredentialsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateExternalCalendarCredentials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<UpdateCredentialsMutation, UpdateCredentialsMutationVariables>;
export const DisconnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Disconnect"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectExternalCalendar"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<DisconnectMutation, DisconnectMutationVariables>;
export const SelectCalendarsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SelectCalendars"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SelectCalendarsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"selectCalendars"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleConnectionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleConnectionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExternalCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}},{"kind":"Field","name":{"kind":"Name","value":"serverUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"syncConfig"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerCalendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"read"}},{"kind":"Field","name":{"kind":"Name","value":"write"}},{"kind":"Field","name":{"kind":"Name","value":"canWrite"}},{"kind":"Field","name":{"kind":"Name","value":"lastSyncedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<SelectCalendarsMutation, SelectCalendarsMutationVariables>;
export const SyncRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SyncRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"skipReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"uid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"windowFrom"}},{"kind":"Field","name":{"kind":"Name","value":"windowTo"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}}]}}]}}]} as unknown as DocumentNode<SyncRunsQuery, SyncRunsQueryVariables>;
export const SyncRunDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SyncRunDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncRun"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"skipReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"uid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"windowFrom"}},{"kind":"Field","name":{"kind":"Name","value":"windowTo"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}}]}}]}}]} as unknown as DocumentNode<SyncRunDetailQuery, SyncRunDetailQueryVariables>;
export const SyncNowDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SyncNow"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"full"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncExternalCalendar"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalCalendarId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"full"},"value":{"kind":"Variable","name":{"kind":"Name","value":"full"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"skipReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"uid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"windowFrom"}},{"kind":"Field","name":{"kind":"Name","value":"windowTo"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}}]}}]}}]} as unknown as DocumentNode<SyncNowMutation, SyncNowMutationVariables>;
export const IngestRangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IngestRange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"IngestExternalEventsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ingestExternalEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRun"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"skipReasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"uid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"windowFrom"}},{"kind":"Field","name":{"kind":"Name","value":"windowTo"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"accountEmail"}}]}}]}}]} as unknown as DocumentNode<IngestRangeMutation, IngestRangeMutationVariables>;
export const SyncStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SyncStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncRunId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"pages"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"calendars"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleRunCalendarFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleRunCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncRunCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"fetched"}},{"kind":"Field","name":{"kind":"Name","value":"upserted"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}},{"kind":"Field","name":{"kind":"Name","value":"skipped"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<SyncStatusSubscription, SyncStatusSubscriptionVariables>;
export const ConnectionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ConnectionStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalCalendarStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalCalendarId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<ConnectionStatusSubscription, ConnectionStatusSubscriptionVariables>;
export const UpdateSyncConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateSyncConfig"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SyncConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateSyncConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalCalendarId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"importEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"exportEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"privateImport"}},{"kind":"Field","name":{"kind":"Name","value":"privateExport"}},{"kind":"Field","name":{"kind":"Name","value":"tentativeIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"allDayIsBusy"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysBack"}},{"kind":"Field","name":{"kind":"Name","value":"syncWindowDaysAhead"}}]}}]}}]} as unknown as DocumentNode<UpdateSyncConfigMutation, UpdateSyncConfigMutationVariables>;
export const ResourceZoneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ResourceZone"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resource"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}}]}}]}}]} as unknown as DocumentNode<ResourceZoneQuery, ResourceZoneQueryVariables>;
export const WeekDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Week"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"availability"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"slotMinutes"},"value":{"kind":"IntValue","value":"30"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slots"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}},{"kind":"Field","name":{"kind":"Name","value":"free"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}}]}}]}}]}}]} as unknown as DocumentNode<WeekQuery, WeekQueryVariables>;
export const WeekEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WeekEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"resourceIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"allDay"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"transparency"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"calendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<WeekEventsQuery, WeekEventsQueryVariables>;
export const WeekAppointmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WeekAppointments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"resourceIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"CONFIRMED"},{"kind":"EnumValue","value":"TENTATIVE"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleAppointmentFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<WeekAppointmentsQuery, WeekAppointmentsQueryVariables>;
export const ExplainDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Explain"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"at"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"explainAvailability"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"at"},"value":{"kind":"Variable","name":{"kind":"Name","value":"at"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"free"}},{"kind":"Field","name":{"kind":"Name","value":"blocks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"externalEvent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"calendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"appointment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ExplainQuery, ExplainQueryVariables>;
export const AppointmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Appointments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"resourceIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleAppointmentFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<AppointmentsQuery, AppointmentsQueryVariables>;
export const BookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Book"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleAppointmentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<BookMutation, BookMutationVariables>;
export const RescheduleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Reschedule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RescheduleAppointmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rescheduleAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleAppointmentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<RescheduleMutation, RescheduleMutationVariables>;
export const CancelAppointmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelAppointment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelAppointment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleAppointmentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleAppointmentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Appointment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<CancelAppointmentMutation, CancelAppointmentMutationVariables>;
export const AppointmentExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AppointmentExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointmentExportChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"resourceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resourceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appointmentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"exportStatus"}},{"kind":"Field","name":{"kind":"Name","value":"exportError"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<AppointmentExportSubscription, AppointmentExportSubscriptionVariables>;