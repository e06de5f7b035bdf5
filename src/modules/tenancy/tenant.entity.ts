import { Entity, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';

/** A business using the gateway; everything else belongs to one. */
@Entity()
export class Tenant extends BaseEntity {
  @Property({ type: 'text' })
  name!: string;

  /** Feature flags, e.g. `externalCalendars` (the premium gate of Wix Bookings). */
  @Property({ type: 'jsonb' })
  features: Opt<string[]> = ['externalCalendars'];
}
