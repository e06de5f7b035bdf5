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
  | { kind: 'forbidden' }
  /** Genuine, but its message number is not above the last one accepted on the channel: a replay (or a late retry). */
  | { kind: 'replayed' };

/** One notification as a webhook received it. */
export interface PushNotification {
  channelId: string;
  token: string | undefined;
  /** Google's id of the watched resource; checked when given. */
  resourceId?: string;
  /** Google's X-Goog-Message-Number, digits; when given, it must exceed the channel's last one. */
  messageNumber?: string;
}

/** The token (and resource id) check of one notification against its channel, if there is one. */
function authenticate(channel: PushChannel | undefined, notification: PushNotification): NotificationCheck {
  if (!channel) return { kind: 'unknown' };
  if (!pushTokenMatches(notification.token, channel.tokenHash)) return { kind: 'forbidden' };
  if (notification.resourceId !== undefined && channel.resourceId !== null && notification.resourceId !== channel.resourceId) return { kind: 'forbidden' };
  return { kind: 'accepted', externalCalendarId: channel.externalCalendar.id, tenantId: channel.tenant.id };
}

/**
 * Checks one push notification against the stored channels, before any tenant is known: the
 * channel must exist for the provider, its token must hash to the stored hash, and, when the
 * provider names the watched resource (Google), that must match too. With a message number
 * (Google), the channel's last accepted number is raised to it in the same statement that
 * checks it is higher, so that of two deliveries of one message only one is accepted, whichever
 * process receives them.
 * @param em an EntityManager with no tenant in scope; the tenant filter is bypassed on purpose.
 * @see https://developers.google.com/calendar/api/guides/push#receiving-notifications
 */
export async function checkNotification(em: EntityManager, provider: ProviderKind, notification: PushNotification): Promise<NotificationCheck> {
  const channel = await em.findOne(PushChannel, { provider, channelId: notification.channelId }, { filters: false });
  const check = authenticate(channel ?? undefined, notification);
  if (check.kind !== 'accepted' || notification.messageNumber === undefined) return check;
  const raised = await em.nativeUpdate(
    PushChannel,
    { id: channel!.id, $or: [{ lastMessageNumber: null }, { lastMessageNumber: { $lt: notification.messageNumber } }] },
    { lastMessageNumber: notification.messageNumber },
    { filters: false },
  );
  return raised === 1 ? check : { kind: 'replayed' };
}

/**
 * Checks a batch of notifications (a Graph changeNotificationCollection) with ONE lookup of
 * their distinct channel ids, whatever their number; the checks come back in the order given.
 * @param em an EntityManager with no tenant in scope; the tenant filter is bypassed on purpose.
 */
export async function checkNotifications(em: EntityManager, provider: ProviderKind, notifications: PushNotification[]): Promise<NotificationCheck[]> {
  const ids = [...new Set(notifications.map((notification) => notification.channelId))];
  const channels = ids.length === 0 ? [] : await em.find(PushChannel, { provider, channelId: { $in: ids } }, { filters: false });
  const byId = new Map(channels.map((channel) => [channel.channelId, channel]));
  return notifications.map((notification) => authenticate(byId.get(notification.channelId), notification));
}
