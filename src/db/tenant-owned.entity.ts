import { ManyToOne } from '@mikro-orm/core';
import { Tenant } from '../modules/tenancy/tenant.entity';
import { BaseEntity } from './base.entity';

/**
 * A row owned by one tenant. The `tenant` filter (src/db/orm.ts) is on by default for
 * these entities, so a query without a tenant in scope fails instead of leaking rows.
 */
export abstract class TenantOwnedEntity extends BaseEntity {
  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Tenant;
}
