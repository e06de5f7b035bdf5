import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../common/crypto';
import type { Logger } from '../../common/logger';
import type { Appointment } from '../appointments/appointment.entity';
import type { BusyTimeCache } from '../availability/busy-time-cache';
import type { Interval } from '../availability/intervals';
import type { ExternalCalendar } from '../connections/external-calendar.entity';
import type { ProviderCalendar } from '../connections/provider-calendar.entity';
import type { ProviderLookup } from '../connections/provider-lookup';
import type { Resource } from '../resources/resource.entity';
import type { ModulePublishers } from '../module-topics';
import type { SyncQueue } from '../sync/sync.jobs';
import type { WebhookSettings } from '../webhooks/webhook-settings';

/**
 * What connections ask of their push channels, declared here so that connections need not import
 * push (push/push-channels.ts implements it over PushService and the push_maintain job).
 */
export interface PushChannels {
  /** When the connection's provider has push here: a push_maintain job brings its channels in line with its read calendars. */
  maintainLater(connection: ExternalCalendar): Promise<void>;
  /** Stops every channel of the connection (best effort), with the caller's EntityManager. */
  stopAll(em: EntityManager, connection: ExternalCalendar): Promise<void>;
}

/** Appointments whose export changed, for the caller to announce (publish.appointmentExportChanged) after its commit. */
export type ExportChanges = Appointment[];

/**
 * What connections ask of appointment exports, declared here so that connections need not import
 * appointments (appointments/appointment-targets.ts implements it). Each works in the caller's
 * transaction.
 */
export interface ExportTargets {
  /** The resource's write calendar changed: its future appointments follow (moved too when `moveExisting`). */
  retarget(em: EntityManager, resourceId: string, moveExisting: boolean): Promise<ExportChanges>;
  /** The connection is being disconnected: the exports to its calendars are cancelled. */
  cancelFor(em: EntityManager, connection: ExternalCalendar): Promise<ExportChanges>;
  /** The connection works again: the exports that failed on it are queued again. */
  retryFailed(em: EntityManager, connection: ExternalCalendar): Promise<ExportChanges>;
}

/**
 * What connections ask of the imported events of their calendars, declared here so that connections
 * need not import events (events/calendar-events.ts implements it). Each works in the caller's
 * transaction and writes at once (native statements).
 */
export interface CalendarEvents {
  /** The calendars stopped being read or vanished from the provider: their events stop blocking (deleted). */
  removeFor(em: EntityManager, calendars: ProviderCalendar[]): Promise<void>;
  /** The connection is being disconnected: all its events go. */
  removeForConnection(em: EntityManager, connection: ExternalCalendar): Promise<void>;
  /** The connection turned to private import: the titles already stored are dropped. */
  hideTitles(em: EntityManager, connection: ExternalCalendar): Promise<void>;
}

/**
 * What appointments ask of availability, declared here so that appointments need not import
 * availability (availability/free-time.ts implements it over availability.service's isFree).
 */
export interface FreeTime {
  /**
   * Whether `[start, end)` (UTC instants, ms) lies wholly in the resource's free time, leaving out
   * one appointment (the one being moved); reads through `em`, so inside the caller's transaction.
   */
  isFree(em: EntityManager, tenantId: string, resource: Resource, interval: Interval, exceptAppointmentId: string | null): Promise<boolean>;
}

/** What services need besides their EntityManager; created once per process. */
export interface ModuleDeps {
  secrets: SecretBox;
  providers: ProviderLookup;
  /** The job queue: sync runs wait on it (SyncQueue.enqueue), and every module adds its jobs (its `<module>.jobs.ts`). */
  queue: SyncQueue;
  /** Minutes between scheduled incremental syncs of a connection (SYNC_INTERVAL_MINUTES). */
  syncIntervalMinutes: number;
  /** Seconds between heartbeats of a running sync (SYNC_HEARTBEAT_SECONDS); six missed ones mean its worker died. */
  heartbeatSeconds: number;
  /** How webhooks are delivered (WEBHOOK_* settings and the outbound policy every delivery goes through). */
  webhooks: WebhookSettings;
  /** Public base URL of this gateway (PUBLIC_URL), for the OAuth redirect URI. */
  publicUrl: string;
  /**
   * Base URL of the push webhooks (`<base>/webhooks/google`, `/webhooks/microsoft`): PUBLIC_URL
   * when it is set, null otherwise, which turns push off (the schedule alone keeps calendars fresh).
   */
  pushUrl: string | null;
  /** Appointment exports, as connections change (appointments/appointment-targets.ts). */
  exports: ExportTargets;
  /** The imported events of connections' calendars (events/calendar-events.ts). */
  calendarEvents: CalendarEvents;
  /** Free-time checks for bookings (availability/free-time.ts). */
  freeTime: FreeTime;
  /** The connections' push channels (push/push-channels.ts). */
  push: PushChannels;
  /** How long an OAuth `state` stays valid. */
  oauthStateTtlMinutes: number;
  /** Busy time of resources kept in this process, keyed by their busy_version. */
  busyTime: BusyTimeCache;
  /** Publishes live notifications to subscribers (GraphQL subscriptions); call after the change has committed. */
  publish: ModulePublishers;
  /** The process logger: sync runs, exports and status changes log a line each at info. */
  logger: Logger;
}
