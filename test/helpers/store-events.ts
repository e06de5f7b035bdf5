import { TENANT_FILTER } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { applyChanges } from '../../src/modules/events/event-store';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind, type NormalizedEvent } from '../../src/providers/provider';
import type { TestServer } from './test-server';

/**
 * Stores events for a resource as a sync would: a new CalDAV-shaped connection with default
 * SyncConfig and one read calendar named `calendar`, then one full answer through the event store.
 */
export async function storeEvents(server: TestServer, resourceId: string, events: NormalizedEvent[], calendar = 'Work'): Promise<void> {
  const em = server.orm.em.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
  const tenant = await em.findOneOrFail(Tenant, { id: server.tenantId });
  const resource = await em.findOneOrFail(Resource, { id: resourceId });
  const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
  em.create(SyncConfig, { tenant, externalCalendar: connection });
  const providerCalendar = em.create(ProviderCalendar, {
    tenant,
    externalCalendar: connection,
    resource,
    providerCalendarId: calendar,
    name: calendar,
    read: true,
  });
  await em.flush();
  await em.transactional((tx) =>
    applyChanges(
      tx,
      { tenantId: tenant.id, resourceId, externalCalendarId: connection.id, providerCalendarId: providerCalendar.id, privateImport: false },
      { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2040-01-01T00:00:00Z') },
      { events, deletedIds: [], skipped: [], nextCursor: null, full: true },
    ),
  );
}
