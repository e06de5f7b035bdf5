import type { Dictionary, EntityMetadata, FilterQuery } from '@mikro-orm/core';
import { Resource } from './resource.entity';

/**
 * The condition keeping an entity's rows of one resource, for the `resource` filter of a
 * resource-scoped API key (src/db/orm.ts): the resource itself, rows with a `resource` relation,
 * rows hanging off a connection (`externalCalendar.resource`).
 * @throws Error for a tenant-owned entity with neither relation, so that an entity added later
 *   fails closed for resource keys instead of showing the whole tenant.
 */
export function resourceCondition(meta: EntityMetadata | undefined, entityName: string, resourceId: string): FilterQuery<Dictionary> {
  if (meta?.className === Resource.name) return { id: resourceId };
  if (meta?.properties.resource) return { resource: resourceId };
  if (meta?.properties.externalCalendar) return { externalCalendar: { resource: resourceId } };
  throw new Error(`The resource filter has no rule for ${entityName}`);
}

/**
 * {@link resourceCondition} as SQL on the columns of `alias`, one `?` standing for the resource
 * id: the same three rules, for read paths that send their own SQL (src/modules/shared/read-rows.ts).
 * @throws Error as resourceCondition.
 */
export function resourceConditionSql(meta: EntityMetadata, alias: string): string {
  if (meta.className === Resource.name) return `${alias}.id = ?`;
  if (meta.properties.resource) return `${alias}.${meta.properties.resource.fieldNames[0]} = ?`;
  const connection = meta.properties.externalCalendar;
  if (connection) return `${alias}.${connection.fieldNames[0]} in (select c.id from external_calendar c where c.resource_id = ?)`;
  throw new Error(`The resource filter has no rule for ${meta.className}`);
}
