import { ReferenceKind, type EntityData, type EntityMetadata, type ObjectQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '../../common/validate';
import { filterSql } from '../../db/filter-sql';

type EntityClass<T> = new () => T;

/**
 * What GraphQL read paths resolve: an entity's columns as a plain object, each many-to-one or
 * owning one-to-one relation as a reference `{ id }` only. Nothing is hydrated, tracked or put in
 * the identity map, so a row costs what its JSON costs; writes keep loading entities through the
 * unit of work. Typed as the entity for the resolvers, which read columns and relation ids only.
 */
export type ReadRow<T> = T;

/**
 * Rows of `entity` matching `where` with the request's filters (tenant, resource scope:
 * src/db/orm.ts) applied exactly as `em.find` applies them, as read rows.
 */
export async function findReadRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: ObjectQuery<T>,
  options: { orderBy?: QueryOrderMap<T>; limit?: number } = {},
): Promise<ReadRow<T>[]> {
  const filtered = (await em.applyFilters(entity.name, where, {}, 'read')) as ObjectQuery<T> | undefined;
  const rows = await em.getDriver().find<T>(entity.name, filtered ?? where, { ...options, ctx: em.getTransactionContext() } as never);
  return asReadRows(em, entity, rows);
}

/** The SELECT list of an entity's read rows (what `em.find` selects: every stored, non-lazy column). */
const selectLists = new WeakMap<EntityMetadata, string>();

function selectList(meta: EntityMetadata): string {
  let list = selectLists.get(meta);
  if (list === undefined) {
    const columns = meta.props
      .filter((prop) => prop.persist !== false && !prop.lazy && !prop.formula && prop.fieldNames?.length)
      .filter((prop) => prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner))
      .flatMap((prop) => prop.fieldNames);
    selectLists.set(meta, (list = columns.map((column) => `r."${column}"`).join(', ')));
  }
  return list;
}

/**
 * Read rows of `entity` whose `key` (the id, or a many-to-one relation) is one of `ids`, oldest
 * first, in ONE statement written here rather than built by the query builder (which costs more
 * CPU than the rest of a small read): the DataLoaders' batch query. The request's tenant and
 * resource filters become SQL conditions (src/db/filter-sql.ts); an em without them (system
 * code) goes through {@link findReadRows}. Ids that are not UUIDs match nothing.
 */
export async function readRowsByKey<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  key: 'id' | (keyof T & string),
  ids: readonly string[],
): Promise<ReadRow<T>[]> {
  const meta = em.getMetadata().get(entity.name);
  const filter = filterSql(em, meta, 'r');
  if (!filter) {
    return findReadRows(em, entity, { [key]: { $in: [...ids] } } as never, { orderBy: { createdAt: 'asc', id: 'asc' } as never });
  }
  const column = key === 'id' ? 'id' : meta.properties[key as keyof T & string].fieldNames[0];
  // A PostgreSQL array literal: knex would spread a JS array into a list of parameters.
  const wanted = `{${ids.filter(isId).join(',')}}`;
  const rows: EntityData<T>[] = await em.execute(
    `select ${selectList(meta)} from "${meta.tableName}" r where r."${column}" = any(?::uuid[]) and ${filter.sql} order by r.created_at, r.id`,
    [wanted, ...filter.params],
    'all',
    em.getTransactionContext(),
  );
  const comparator = em.getComparator();
  return asReadRows(
    em,
    entity,
    rows.map((row) => comparator.mapResult<T>(entity.name, row as never)),
  );
}

/**
 * Turns rows mapped to property names (`em.getDriver().find`, `qb.execute('all', true)`) into
 * read rows: each foreign key becomes `{ id }`.
 */
export function asReadRows<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: EntityData<T>[]): ReadRow<T>[] {
  const references = em
    .getMetadata()
    .get(entity.name)
    .relations.filter((relation) => relation.kind === ReferenceKind.MANY_TO_ONE || (relation.kind === ReferenceKind.ONE_TO_ONE && relation.owner))
    .map((relation) => relation.name);
  for (const row of rows as Record<string, unknown>[]) {
    for (const name of references) {
      const id = row[name];
      if (id !== undefined) row[name] = id === null ? null : { id };
    }
  }
  return rows as ReadRow<T>[];
}
