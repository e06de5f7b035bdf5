import type { SecretBox } from '../../common/crypto';
import type { Logger } from '../../common/logger';
import type { BusyTimeCache } from '../availability/busy-time-cache';
import type { ProviderRegistry } from '../../providers/registry';
import type { SyncEvents } from '../sync/sync-events';
import type { SyncQueue } from '../sync/sync-queue';

/** What services need besides their EntityManager; created once per process. */
export interface ModuleDeps {
  secrets: SecretBox;
  providers: ProviderRegistry;
  /** Where sync runs wait for a worker. */
  queue: SyncQueue;
  /** Minutes between scheduled incremental syncs of a connection (SYNC_INTERVAL_MINUTES). */
  syncIntervalMinutes: number;
  /** Seconds between heartbeats of a running sync (SYNC_HEARTBEAT_SECONDS); six missed ones mean its worker died. */
  heartbeatSeconds: number;
  /** Public base URL of this gateway (PUBLIC_URL), for the OAuth redirect URI. */
  publicUrl: string;
  /**
   * Base URL of the push webhooks (`<base>/webhooks/google`, `/webhooks/microsoft`): PUBLIC_URL
   * when it is set, null otherwise, which turns push off (the schedule alone keeps calendars fresh).
   */
  pushUrl: string | null;
  /** How long an OAuth `state` stays valid. */
  oauthStateTtlMinutes: number;
  /** Busy time of resources kept in this process, keyed by their busy_version. */
  busyTime: BusyTimeCache;
  /** Live status events for subscribers; publish after the change has committed. */
  events: SyncEvents;
  /** The process logger: sync runs, exports and status changes log a line each at info. */
  logger: Logger;
}
