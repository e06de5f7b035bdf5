import type { EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resourceConditionSql } from '../modules/resources/resource-scope';
import { TENANT_OWNED_ENTITIES } from './entities';
import { RESOURCE_FILTER, TENANT_FILTER, type ResourceFilterParams } from './orm';

const TENANT_OWNED = new Set(TENANT_OWNED_ENTITIES.map((entity) => entity.name));

/**
 * The default `tenant` and `resource` filters of `em` (src/db/orm.ts) for the entity of `meta`,
 * as an SQL condition on `alias` with its parameters, for read paths that send their own SQL:
 * the same rows `em.find` would keep. Null for an entity that is not tenant-owned.
 * @throws Error when `em` has no tenant in scope, as `em.find` fails then: a read never
 *   silently spans tenants.
 */
export function filterSql(em: EntityManager, meta: EntityMetadata, alias: string): { sql: string; params: unknown[] } | null {
  if (!TENANT_OWNED.has(meta.className)) return null;
  const tenant = em.getFilterParams<{ tenantId?: string }>(TENANT_FILTER);
  if (!tenant?.tenantId) throw new Error(`No tenant in scope to read ${meta.className} rows`);
  const resourceId = em.getFilterParams<ResourceFilterParams>(RESOURCE_FILTER)?.resourceId;
  if (!resourceId) return { sql: `${alias}.tenant_id = ?`, params: [tenant.tenantId] };
  return { sql: `${alias}.tenant_id = ? and ${resourceConditionSql(meta, alias)}`, params: [tenant.tenantId, resourceId] };
}
