import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity';
import { Tenant } from '../tenancy/tenant.entity';
import { ExternalCalendar } from './external-calendar.entity';

/**
 * One pending authorization request (RFC 6749 section 4.1.1). The `state` parameter is this
 * row's id, signed; the row holds the PKCE verifier (sealed), where to send the browser back,
 * when it expires and when it was used, so that a state works once and only before it expires.
 * Looked up by the OAuth callback, which has no tenant yet: this entity is outside the tenant filter.
 */
@Entity()
export class OAuthState extends BaseEntity {
  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  tenant!: Tenant;

  @Index()
  @ManyToOne({ entity: () => ExternalCalendar, deleteRule: 'cascade' })
  externalCalendar!: ExternalCalendar;

  /** The PKCE code verifier, sealed. */
  @Property({ type: 'text' })
  codeVerifier!: string;

  @Property({ type: 'text', nullable: true })
  redirectUrl: string | null = null;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
