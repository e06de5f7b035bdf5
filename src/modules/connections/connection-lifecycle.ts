import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { metrics } from '../../common/metrics';
import type { ProviderErrorCode } from '../../providers/provider';
import type { ModuleDeps } from '../shared/module-deps';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';

/**
 * Why a connection's status changed: a provider error code (AUTH_REVOKED, TEMPORARY, ...) or one
 * of the gateway's own events below. A small set, so that it can label a metric.
 */
export type StatusChangeReason =
  ProviderErrorCode | 'CREATED' | 'CONNECTED_BY_CREDENTIALS' | 'CREDENTIALS_UPDATED' | 'OAUTH_CONSENT' | 'DISCONNECTED_BY_CLIENT' | 'SYNC_SUCCEEDED';

const { PENDING, CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED } = ExternalCalendarStatus;

/**
 * The state machine of a connection: the statuses each one may move to. A new connection starts
 * PENDING (OAuth, waiting for consent) or CONNECTED (credentials checked at once). A sync keeps it
 * CONNECTED or moves it to ERROR (every calendar failed) or REAUTH_REQUIRED (credentials refused),
 * and back; a CalDAV connection's password may work again, so REAUTH_REQUIRED can sync into
 * CONNECTED or ERROR. Consent and new credentials make it CONNECTED. Disconnecting ends every
 * state; a consent page opened before the disconnection still connects the account again.
 * Staying in a status is a transition too (a sync that changes nothing, a second disconnect).
 */
const TRANSITIONS: Readonly<Record<ExternalCalendarStatus, ReadonlySet<ExternalCalendarStatus>>> = {
  [PENDING]: new Set([PENDING, CONNECTED, DISCONNECTED]),
  [CONNECTED]: new Set([CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED]),
  [ERROR]: new Set([CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED]),
  [REAUTH_REQUIRED]: new Set([CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED]),
  [DISCONNECTED]: new Set([CONNECTED, DISCONNECTED]),
};

/**
 * How a change is told once committed: `changed` logs, counts and publishes it when the status
 * differs; `always` does so even when it does not (a consent is news either way); `republish`
 * is `changed`, and publishes an unchanged status again (its lastError is new); `quiet` logs and
 * counts but does not publish (a PENDING connection nobody subscribes to yet).
 */
type Announcement = 'changed' | 'always' | 'republish' | 'quiet';

/** A status transition of one connection, kept until its transaction has committed. */
export interface StatusChange {
  connection: ExternalCalendar;
  /** Null for a new connection. */
  from: ExternalCalendarStatus | null;
  to: ExternalCalendarStatus;
  reason: StatusChangeReason;
}

/**
 * The only writer of `ExternalCalendar.status` (Twenty's `calendar-channel-sync-status.service`):
 * every transition is a method here. A transition changes the entity in memory and remembers why;
 * the caller's flush or transaction stores it, and {@link announce}, called after the commit,
 * logs it at info (`connection status changed`: externalCalendarId, tenantId, resourceId,
 * provider, from, to, reason), counts it (`calsync_connection_status_changes_total`) and tells
 * subscribers (`externalCalendarStatusChanged`). The account, its URL and the error text are not
 * logged. Use one lifecycle per unit of work.
 */
export class ConnectionLifecycle {
  private readonly changes = new Map<ExternalCalendar, StatusChange & { announcement: Announcement }>();

  constructor(private readonly deps: Pick<ModuleDeps, 'logger' | 'publish'>) {}

  /** A new OAuth connection, PENDING until its owner consents (em.create: persisted by the caller's flush). */
  createPending(em: EntityManager, data: Omit<RequiredEntityData<ExternalCalendar>, 'status'>): ExternalCalendar {
    return this.create(em, data, PENDING, 'CREATED', 'quiet');
  }

  /** A new connection whose credentials were checked: CONNECTED at once. */
  createConnected(em: EntityManager, data: Omit<RequiredEntityData<ExternalCalendar>, 'status'>): ExternalCalendar {
    return this.create(em, data, CONNECTED, 'CONNECTED_BY_CREDENTIALS', 'changed');
  }

  /** The owner consented (OAuth callback): CONNECTED, told even when it was CONNECTED already. */
  consented(connection: ExternalCalendar): void {
    this.move(connection, CONNECTED, 'OAUTH_CONSENT', 'always');
  }

  /** New CalDAV credentials were accepted by the server: CONNECTED. */
  credentialsAccepted(connection: ExternalCalendar): void {
    this.move(connection, CONNECTED, 'CREDENTIALS_UPDATED', 'changed');
  }

  /** Every calendar synced: CONNECTED. */
  synced(connection: ExternalCalendar): void {
    this.move(connection, CONNECTED, 'SYNC_SUCCEEDED', 'changed');
  }

  /**
   * A sync of the connection failed with `code`: refused credentials need the owner
   * (REAUTH_REQUIRED); a temporary failure leaves the status; otherwise the connection is ERROR,
   * unless some of its calendars synced (`someCalendarsSynced`: it stays CONNECTED).
   */
  syncFailed(connection: ExternalCalendar, code: ProviderErrorCode, { someCalendarsSynced }: { someCalendarsSynced: boolean }): void {
    const to = code === 'AUTH_REVOKED' ? REAUTH_REQUIRED : code === 'TEMPORARY' ? connection.status : someCalendarsSynced ? CONNECTED : ERROR;
    this.move(connection, to, code, 'changed');
  }

  /** An export was refused the grant: REAUTH_REQUIRED, and subscribers hear of it again even when it was so already. */
  reauthRequired(connection: ExternalCalendar, reason: StatusChangeReason): void {
    this.move(connection, REAUTH_REQUIRED, reason, 'republish');
  }

  /** The client disconnected the connection: DISCONNECTED (told once: a second disconnect is unchanged). */
  disconnected(connection: ExternalCalendar): void {
    this.move(connection, DISCONNECTED, 'DISCONNECTED_BY_CLIENT', 'changed');
  }

  /**
   * Tells what the transitions since the last call did, in the order they were made; call it
   * after their transaction has committed. Never rejects on a lost publication (ModulePublishers).
   */
  async announce(): Promise<void> {
    const changes = [...this.changes.values()];
    this.changes.clear();
    for (const { connection, from, to, reason, announcement } of changes) {
      const changed = from !== to;
      if (changed || announcement === 'always') this.note(connection, from, reason);
      if ((changed || announcement === 'always' || announcement === 'republish') && announcement !== 'quiet') {
        await this.deps.publish.externalCalendarStatusChanged(connection);
      }
    }
  }

  /**
   * Another copy of a connection (an earlier EntityManager's) takes the status its committed copy
   * has, so that what it answers, and any later flush of it, agree with the row. Not a transition.
   */
  static catchUp(stale: ExternalCalendar, committed: ExternalCalendar): void {
    stale.status = committed.status;
  }

  private create(
    em: EntityManager,
    data: Omit<RequiredEntityData<ExternalCalendar>, 'status'>,
    status: ExternalCalendarStatus,
    reason: StatusChangeReason,
    announcement: Announcement,
  ): ExternalCalendar {
    const connection = em.create(ExternalCalendar, { ...data, status, statusReason: reason } as RequiredEntityData<ExternalCalendar>);
    this.changes.set(connection, { connection, from: null, to: status, reason, announcement });
    return connection;
  }

  private move(connection: ExternalCalendar, to: ExternalCalendarStatus, reason: StatusChangeReason, announcement: Announcement): void {
    const from: ExternalCalendarStatus = connection.status;
    if (!TRANSITIONS[from].has(to)) throw new Error(`A connection cannot move from ${from} to ${to} (${reason})`);
    connection.status = to;
    connection.statusReason = reason;
    // Several transitions of one connection in one unit of work tell one change: from the first status to the last.
    const earlier = this.changes.get(connection);
    this.changes.set(connection, { connection, from: earlier ? earlier.from : from, to, reason, announcement });
  }

  private note(connection: ExternalCalendar, from: ExternalCalendarStatus | null, reason: StatusChangeReason): void {
    const fields = {
      externalCalendarId: connection.id,
      tenantId: connection.tenant.id,
      resourceId: connection.resource.id,
      provider: connection.provider,
      from,
      to: connection.status,
      reason,
    };
    this.deps.logger.info(fields, 'connection status changed');
    metrics.connectionStatusChanges.inc({ provider: connection.provider, from: from ?? 'NONE', to: connection.status, reason });
  }
}

/** Connections of every tenant by provider and status: one GROUP BY (read on every metrics scrape). */
export async function countConnections(em: EntityManager): Promise<{ provider: string; status: string; count: number }[]> {
  return em.getConnection().execute('select provider, status, count(*)::int as count from external_calendar group by provider, status');
}
