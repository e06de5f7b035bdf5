import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { readRowsByKey, type ReadRow } from './read-rows';

type EntityClass<T> = new () => T;

function byId<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>) {
  return new DataLoader<string, ReadRow<T> | null>(async (ids) => {
    const rows = await readRowsByKey(em, entity, 'id', ids);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

function manyBy<T extends { id: string; createdAt: Date }>(
  em: EntityManager,
  entity: EntityClass<T>,
  foreignKey: string,
  remember: (rows: ReadRow<T>[]) => void,
) {
  return new DataLoader<string, ReadRow<T>[]>(async (ids) => {
    const rows = await readRowsByKey(em, entity, foreignKey as keyof T & string, ids);
    remember(rows);
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) groups.get((row as unknown as Record<string, { id: string }>)[foreignKey].id)?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

/**
 * DataLoaders for the relations of the graph, created per request (and each on its first use) so
 * that the SQL statements of a query grow with its nesting depth, never with the number of items,
 * and no data is shared across tenants or requests. The modules name the entities and relations;
 * this class knows none of them.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Rows of `entity` by id (null for an id the request cannot see). */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.own(`${entity.name}.id`, (em) => byId(em, entity));
  }

  /** Rows of `entity` whose relation `foreignKey` points to the id, oldest first; each is remembered by id as well. */
  manyBy<T extends { id: string; createdAt: Date }>(entity: EntityClass<T>, foreignKey: keyof T & string): DataLoader<string, T[]> {
    return this.own(`${entity.name}.${foreignKey}`, (em) => manyBy(em, entity, foreignKey, (rows) => this.remember(entity, rows)));
  }

  /**
   * Rows this request has read already (a page of a list, a relation's rows) become answers of
   * `byId`, so that a relation pointing back to them (`externalCalendars { resource { id } }`)
   * costs no statement.
   */
  remember<T extends { id: string }>(entity: EntityClass<T>, rows: readonly T[]): void {
    const loader = this.byId(entity);
    for (const row of rows) loader.prime(row.id, row);
  }

  /** A loader a module defines itself, created once per request under `key`. */
  own<K, V>(key: string, create: (em: EntityManager) => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = create(this.em);
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}
