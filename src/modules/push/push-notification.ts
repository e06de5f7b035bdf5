import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProviderKind } from '../../providers/provider';
import { PushChannel } from './push-channel.entity';
import { pushTokenMatches } from './push-token';

/** What a notification is worth: the connection to sync, or why it is refused. */
export type NotificationCheck =
  | { kind: 'accepted'; externalCalendarId: string; tenantId: string }
  /** No live channel of that provider has this id (stopped, renewed away, or made up). */
  | { kind: 'unknown' }
  /** The channel exists but the token (or Google's resource id) does not match: forged. */
  | { kind: 'forbidden' };

/**
 * Checks one push notification against the stored channels, before any tenant is known: the
 * channel must exist for the provider, its token must hash to the stored hash, and, when the
 * provider names the watched resource (Google), that must match too.
 * @param em an EntityManager with no tenant in scope; the tenant filter is bypassed on purpose.
 */
export async function checkNotification(
  em: EntityManager,
  notification: { provider: ProviderKind; channelId: string; token: string | undefined; resourceId?: string },
): Promise<NotificationCheck> {
  const channel = await em.findOne(PushChannel, { provider: notification.provider, channelId: notification.channelId }, { filters: false });
  if (!channel) return { kind: 'unknown' };
  if (!pushTokenMatches(notification.token, channel.tokenHash)) return { kind: 'forbidden' };
  if (notification.resourceId !== undefined && channel.resourceId !== null && notification.resourceId !== channel.resourceId) return { kind: 'forbidden' };
  return { kind: 'accepted', externalCalendarId: channel.externalCalendar.id, tenantId: channel.tenant.id };
}
