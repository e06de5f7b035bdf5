import { ReferenceKind, type EntityData, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '../../common/validate';
import { filterSql } from '../../db/filter-sql';

type EntityClass<T> = new () => T;

declare const readRow: unique symbol;

/**
 * What GraphQL read paths resolve: an entity's columns as a plain object, each many-to-one or
 * owning one-to-one relation as a reference `{ id }` only. Nothing is hydrated, tracked or put in
 * the identity map, so a row costs what its JSON costs; writes keep loading entities through the
 * unit of work. Typed as the entity for the resolvers, which read columns and relation ids only
 * (an entity is a ReadRow too). Field resolvers take their `@Root()` as a ReadRow: being an
 * intersection, its reflected type is Object, so type-graphql passes the row as it is instead of
 * copying it into a new entity instance (with fresh defaults) for every field.
 */
export type ReadRow<T> = T & { readonly [readRow]?: true };

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
 * Read rows of `entity` (alias `r`) matching the SQL condition `where` with its `?` parameters,
 * then `tail` (ORDER BY, LIMIT), in ONE statement written here rather than built by the query
 * builder, which costs more CPU than the rest of a small read. The request's tenant and
 * resource filters are added as SQL conditions (src/db/filter-sql.ts), so the rows are those
 * `em.find` would return.
 * @throws Error when `em` has no tenant in scope (tenant-owned entities).
 */
export async function selectReadRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: string,
  params: unknown[],
  tail: string,
): Promise<ReadRow<T>[]> {
  const meta = em.getMetadata().get(entity.name);
  const filter = filterSql(em, meta, 'r');
  const rows: EntityData<T>[] = await em.execute(
    `select ${selectList(meta)} from "${meta.tableName}" r where ${where}${filter ? ` and ${filter.sql}` : ''} ${tail}`,
    [...params, ...(filter?.params ?? [])],
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
 * Read rows of `entity` whose `key` (the id, or a many-to-one relation) is one of `ids`, oldest
 * first: the DataLoaders' batch query. Ids that are not UUIDs match nothing.
 * @throws Error as {@link selectReadRows}.
 */
export function readRowsByKey<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  key: 'id' | (keyof T & string),
  ids: readonly string[],
): Promise<ReadRow<T>[]> {
  const column = key === 'id' ? 'id' : em.getMetadata().get(entity.name).properties[key as keyof T & string].fieldNames[0];
  return selectReadRows(em, entity, `r."${column}" = any(?::uuid[])`, [uuidArray(ids)], 'order by r.created_at, r.id');
}

/** A PostgreSQL array literal of the ids that are UUIDs (knex would spread a JS array into a list of parameters). */
export function uuidArray(ids: readonly string[]): string {
  return `{${ids.filter(isId).join(',')}}`;
}

/**
 * Turns rows mapped to property names (EntityComparator.mapResult) into read rows: each foreign
 * key becomes `{ id }`.
 */
function asReadRows<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: EntityData<T>[]): ReadRow<T>[] {
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
