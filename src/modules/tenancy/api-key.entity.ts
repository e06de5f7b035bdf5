import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Tenant } from './tenant.entity';

/** An API key of a tenant. Only its SHA-256 hash and a short prefix (for listing) are stored. */
@Entity()
export class ApiKey extends BaseEntity {
  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Tenant;

  @Property({ type: 'text', unique: true })
  hash!: string;

  /** The first characters of the key (`csk_AbCd`), safe to show. */
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
