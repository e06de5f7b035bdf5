import { Entity, Enum, Index, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ProviderKind } from '../../providers/provider';
import { Resource } from '../resources/resource.entity';

/** Lifecycle of a connection to a provider account. */
export enum ExternalCalendarStatus {
  PENDING = 'PENDING',
  CONNECTED = 'CONNECTED',
  ERROR = 'ERROR',
  REAUTH_REQUIRED = 'REAUTH_REQUIRED',
  DISCONNECTED = 'DISCONNECTED',
}
registerEnumType(ExternalCalendarStatus, {
  name: 'ExternalCalendarStatus',
  description: 'PENDING (waiting for consent) -> CONNECTED; ERROR, REAUTH_REQUIRED (credentials refused) and DISCONNECTED.',
});
registerEnumType(ProviderKind, { name: 'ProviderKind', description: 'A calendar provider.' });

/**
 * One connection of a resource to one provider account (OnSched's externalCalendar, Wix's
 * connection, vcita's calendar_sync). Credentials are sealed with AES-256-GCM and never exposed.
 */
@ObjectType({ description: 'One connection of a resource to one provider account.' })
@Entity()
export class ExternalCalendar extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @Index()
  @ManyToOne({ entity: () => Resource, deleteRule: 'cascade' })
  resource!: Resource;

  @Field(() => ProviderKind)
  @Enum({ items: () => ProviderKind, nativeEnumName: 'provider_kind' })
  provider!: ProviderKind;

  @Field(() => String, { nullable: true, description: 'The account: an email address or the CalDAV user name.' })
  @Property({ type: 'text', nullable: true })
  accountEmail: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The CalDAV server URL, or the ICS feed address with its path masked (the address is a secret); null for OAuth providers.',
  })
  @Property({ type: 'text', nullable: true })
  serverUrl: string | null = null;

  @Field(() => ExternalCalendarStatus)
  @Enum({ items: () => ExternalCalendarStatus, nativeEnumName: 'external_calendar_status' })
  status: Opt<ExternalCalendarStatus> = ExternalCalendarStatus.PENDING;

  /**
   * Why the status last changed (a StatusChangeReason of connection-lifecycle.ts, e.g. AUTH_REVOKED),
   * written with it by ConnectionLifecycle; what `connection.status_changed` webhooks carry. Not a GraphQL field.
   */
  @Property({ type: 'text', nullable: true })
  statusReason: string | null = null;

  /** Sealed JSON credentials (src/common/crypto.ts); null once disconnected. Never a GraphQL field. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  credentials: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the last successful sync of this connection finished (UTC).' })
  @Property({ type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null = null;

  /** When the scheduler syncs this connection next (UTC); failures push it back exponentially. */
  @Index()
  @Property({ type: 'timestamptz', nullable: true })
  nextSyncAt: Date | null = null;

  /** When the last FULL sync (whole window, rolling forward) of this connection succeeded. */
  @Property({ type: 'timestamptz', nullable: true })
  lastFullSyncAt: Date | null = null;

  /** Failed syncs in a row, for the scheduler's backoff. */
  @Property({ type: 'integer' })
  failureCount: Opt<number> = 0;

  @Field(() => String, { nullable: true, description: 'Why the last sync or connection attempt failed, for people.' })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => Date)
  declare createdAt: Opt<Date>;

  @Field(() => Date)
  declare updatedAt: Opt<Date>;
}
