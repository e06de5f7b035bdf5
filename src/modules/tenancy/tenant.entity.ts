import { Entity, Index, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { DEFAULT_FEATURES } from './features';

/** A business using the gateway; everything else belongs to one. */
@Entity()
// Names are unique ignoring case: the CLI finds a tenant by name (`key create acme`).
@Index({ name: 'tenant_name_lower_unique', expression: 'create unique index "tenant_name_lower_unique" on "tenant" (lower("name"))' })
export class Tenant extends BaseEntity {
  /** Unique ignoring case (Migration20261203090000_tenant_unique_names). */
  @Property({ type: 'text' })
  name!: string;

  /**
   * Feature flags (a JSON array of {@link Feature} names). `externalCalendars` is the premium gate
   * of Wix Bookings: without it every external-calendar operation is PREMIUM_FEATURE_NOT_ENABLED
   * (src/modules/tenancy/features.ts). On by default; `npm run cli -- tenant features` switches it.
   */
  @Property({ type: 'jsonb' })
  features: Opt<string[]> = [...DEFAULT_FEATURES];
}
