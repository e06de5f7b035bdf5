import { ReferenceKind, type EntityData, type ObjectQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

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
