import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ExternalCalendar } from '../modules/calendars/external-calendar.entity';
import { ProviderCalendar } from '../modules/calendars/provider-calendar.entity';
import { SyncConfig } from '../modules/calendars/sync-config.entity';
import { Resource } from '../modules/resources/resource.entity';

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
    syncConfigByExternalCalendar: {
      load: async (externalCalendarId: string) => (await syncConfigs.load(externalCalendarId))[0],
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
