import { Entity, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { DEFAULT_FEATURES } from './features';

/** A business using the gateway; everything else belongs to one. */
@Entity()
export class Tenant extends BaseEntity {
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
