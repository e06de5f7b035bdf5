import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ProviderKind } from '../../providers/provider';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';

/**
 * One push channel on one read calendar: a Google `events.watch` channel or a Microsoft Graph
 * subscription. Webhooks find it by `(provider, channelId)` before any tenant is known, and
 * accept a notification only when its token hashes to `tokenHash`.
 */
@Entity()
@Unique({ properties: ['provider', 'channelId'] })
export class PushChannel extends TenantOwnedEntity {
  @Index()
  @ManyToOne({ entity: () => ExternalCalendar, deleteRule: 'cascade' })
  externalCalendar!: ExternalCalendar;

  @Index()
  @ManyToOne({ entity: () => ProviderCalendar, deleteRule: 'cascade' })
  providerCalendar!: ProviderCalendar;

  @Enum({ items: () => ProviderKind, nativeEnumName: 'provider_kind' })
  provider!: ProviderKind;

  /** Google's channel id (a UUID Calsync chose), Graph's subscription id. */
  @Property({ type: 'text' })
  channelId!: string;

  /** Google's id of the watched resource, needed to stop the channel; null for Graph. */
  @Property({ type: 'text', nullable: true })
  resourceId: string | null = null;

  /** SHA-256 (hex) of the channel token / clientState; the secret itself is never stored. */
  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  /**
   * The highest X-Goog-Message-Number accepted on this Google channel (a bigint, read as a
   * string); a notification whose number is not above it is a replay. Null for Graph, and until
   * the first notification after the sync handshake.
   */
  @Property({ type: 'bigint', nullable: true })
  lastMessageNumber: string | null = null;

  /**
   * The lifecycleNotificationUrl the Graph subscription was created with; null for Google and for
   * subscriptions created without one, which maintenance replaces (Graph cannot add it later).
   * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
   */
  @Property({ type: 'text', nullable: true })
  lifecycleUrl: string | null = null;

  /** When the provider stops notifying (UTC); renewed well before. */
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
