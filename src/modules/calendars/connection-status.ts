import type { EntityManager } from '@mikro-orm/postgresql';
import { metrics } from '../../common/metrics';
import type { ProviderErrorCode } from '../../providers/provider';
import type { ModuleDeps } from '../shared/module-deps';
import type { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';

/**
 * Why a connection's status changed: a provider error code (AUTH_REVOKED, TEMPORARY, ...) or one
 * of the gateway's own events below. A small set, so that it can label a metric.
 */
export type StatusChangeReason =
  | ProviderErrorCode
  | 'CREATED'
  | 'CONNECTED_BY_CREDENTIALS'
  | 'CREDENTIALS_UPDATED'
  | 'OAUTH_CONSENT'
  | 'DISCONNECTED_BY_CLIENT'
  | 'SYNC_SUCCEEDED';

/**
 * Logs a connection's status change at info (`connection status changed`: externalCalendarId,
 * tenantId, resourceId, provider, from, to, reason) and counts it
 * (`calsync_connection_status_changes_total`). `from` is null for a new connection.
 * The account, its URL and the error text are not logged.
 */
export function noteStatusChange(deps: ModuleDeps, connection: ExternalCalendar, from: ExternalCalendarStatus | null, reason: StatusChangeReason): void {
  const fields = { externalCalendarId: connection.id, tenantId: connection.tenant.id, resourceId: connection.resource.id, provider: connection.provider, from, to: connection.status, reason };
  deps.logger.info(fields, 'connection status changed');
  metrics.connectionStatusChanges.inc({ provider: connection.provider, from: from ?? 'NONE', to: connection.status, reason });
}

/** {@link noteStatusChange}, then tells subscribers (`externalCalendarStatusChanged`); call it after the change has committed. */
export async function announceStatusChange(deps: ModuleDeps, connection: ExternalCalendar, from: ExternalCalendarStatus | null, reason: StatusChangeReason): Promise<void> {
  noteStatusChange(deps, connection, from, reason);
  await deps.events.externalCalendarStatusChanged(connection);
}

/** Connections of every tenant by provider and status: one GROUP BY (read on every metrics scrape). */
export async function countConnections(em: EntityManager): Promise<{ provider: string; status: string; count: number }[]> {
  return em.getConnection().execute('select provider, status, count(*)::int as count from external_calendar group by provider, status');
}
