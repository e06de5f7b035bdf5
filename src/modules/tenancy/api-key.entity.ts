import { Entity, Index, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import type { Resource } from '../resources/resource.entity';
import { Tenant } from './tenant.entity';

/**
 * An API key of a tenant. Only its SHA-256 hash and a short prefix (for listing) are stored.
 *
 * Scope: a **tenant key** (`resource` null, an app token) reaches every resource of its tenant; a
 * **resource key** (a staff token) reaches only `resource` and what hangs off it, through the
 * default `resource` filter (src/db/orm.ts). A `readOnly` key of either scope is refused every
 * mutation (FORBIDDEN) and may run queries and subscriptions.
 */
@Entity()
export class ApiKey extends BaseEntity {
  @Index()
  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Tenant;

  @Property({ type: 'text', unique: true })
  hash!: string;

  /** The first characters of the key (`csk_AbCd`), safe to show. */
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text' })
  name!: string;

  /**
   * The one resource a resource key reaches; null for a tenant key. Deleting the resource deletes
   * its keys. Named, not imported: resources build on tenancy (its access rules), not the reverse.
   */
  @Index()
  @ManyToOne({ entity: 'Resource', nullable: true, deleteRule: 'cascade' })
  resource: Resource | null = null;

  /** Whether every mutation is refused (FORBIDDEN). */
  @Property({ type: 'boolean' })
  readOnly: Opt<boolean> = false;

  /** When the key last authenticated a request, to the minute (updated at most once a minute). */
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
