import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from './tenant.entity';

/**
 * The tenant named `name` ignoring case, or null. Names are unique that way (the unique index on
 * `lower(name)`), so at most one matches; both sides are lowered by PostgreSQL, so that the
 * lookup agrees with the index for every script, not only ASCII.
 */
export function findTenantByName(em: EntityManager, name: string): Promise<Tenant | null> {
  return em.findOne(Tenant, { [raw((alias) => `lower(${alias}.name)`)]: raw('lower(?)', [name.trim()]) });
}
