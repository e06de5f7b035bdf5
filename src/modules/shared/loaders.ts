import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ExternalCalendar } from '../calendars/external-calendar.entity';
import { ProviderCalendar } from '../calendars/provider-calendar.entity';
import { SyncConfig } from '../calendars/sync-config.entity';
import { Resource } from '../resources/resource.entity';
import { SyncRun } from '../sync/sync-run.entity';

type EntityClass<T> = new () => T;

function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await em.find(entity, { id: { $in: [...ids] } } as never);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function manyBy<T extends { id: string; createdAt: Date }>(em: EntityManager, entity: EntityClass<T>, foreignKey: string) {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await em.find(entity, { [foreignKey]: { $in: [...ids] } } as never, { orderBy: { createdAt: 'asc', id: 'asc' } as never });
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) groups.get((row as unknown as Record<string, { id: string }>)[foreignKey].id)?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

/** The newest sync run of each connection (the runs that named it), in two statements for any number of connections. */
function lastSyncRunBy(em: EntityManager) {
  return new DataLoader<string, SyncRun | null>(async (externalCalendarIds) => {
    const newest: { id: string; external_calendar_id: string }[] = await em
      .getConnection()
      .execute(
        'select distinct on (external_calendar_id) id, external_calendar_id from sync_run where external_calendar_id in (?) order by external_calendar_id, created_at desc, id desc',
        [[...externalCalendarIds]],
      );
    // Read through the ORM, and with it the tenant filter.
    const runs = await em.find(SyncRun, { id: { $in: newest.map((row) => row.id) } });
    const byConnection = new Map(runs.map((run) => [run.externalCalendar!.id, run]));
    return externalCalendarIds.map((id) => byConnection.get(id) ?? null);
  });
}

/**
 * DataLoaders for the relations of the graph, created per request so that the SQL statements
 * of a query grow with its nesting depth, never with the number of items, and no data is
 * shared across tenants or requests.
 */
export function createLoaders(em: EntityManager) {
  const syncConfigs = manyBy(em, SyncConfig, 'externalCalendar');
  return {
    resource: byId(em, Resource),
    externalCalendar: byId(em, ExternalCalendar),
    providerCalendar: byId(em, ProviderCalendar),
    externalCalendarsByResource: manyBy(em, ExternalCalendar, 'resource'),
    providerCalendarsByExternalCalendar: manyBy(em, ProviderCalendar, 'externalCalendar'),
    lastSyncRunByExternalCalendar: lastSyncRunBy(em),
    syncConfigByExternalCalendar: {
      load: async (externalCalendarId: string) => (await syncConfigs.load(externalCalendarId))[0],
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
