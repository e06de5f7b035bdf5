import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueue } from '../../common/job-queue';
import { ProviderKind } from '../../providers/provider';
import { enqueuePushLifecycle, enqueuePushSync, type PushLifecycleJob } from './push.jobs';
import { checkNotifications } from './push-notification';

/** Items of one Graph collection that are checked; any beyond are ignored (and counted). */
export const MAX_GRAPH_NOTIFICATIONS = 1_000;

/** The lifecycle events Calsync answers; an item with another `lifecycleEvent` is unreadable. */
const LIFECYCLE_EVENTS: ReadonlySet<string> = new Set(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

/** One item of a Graph changeNotificationCollection, the fields Calsync reads. */
interface GraphNotificationItem {
  subscriptionId?: unknown;
  clientState?: unknown;
  /** Absent or null on a change notification (Graph's schema makes it nullable). */
  lifecycleEvent?: unknown;
}

/** What became of the items of one collection, for the webhook's log line. */
export interface GraphNotificationsOutcome {
  items: number;
  accepted: number;
  /** Unknown subscription or wrong clientState. */
  refused: number;
  /** No subscriptionId, or a lifecycleEvent Calsync does not know. */
  unreadable: number;
  /** Beyond {@link MAX_GRAPH_NOTIFICATIONS}. */
  skipped: number;
}

/**
 * Takes the items of one Graph changeNotificationCollection (`value`): the first
 * {@link MAX_GRAPH_NOTIFICATIONS} are checked with ONE lookup of their subscriptions, and each
 * whose subscription is known and whose `clientState` matches (change and lifecycle
 * notifications alike) asks for:
 * - a change notification, or `lifecycleEvent: "missed"` (some were not delivered): a debounced
 *   incremental (delta) sync of its connection, once per connection per collection;
 * - `reauthorizationRequired` or `subscriptionRemoved`: a push_lifecycle job
 *   (push-lifecycle.ts), once per subscription and event.
 * Nothing else runs here, so that the webhook answers within Graph's 3 seconds.
 * @param em an EntityManager with no tenant in scope (the lookup bypasses the tenant filter).
 * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export async function acceptGraphNotifications(em: EntityManager, queue: JobQueue, items: unknown[]): Promise<GraphNotificationsOutcome> {
  const considered = items.slice(0, MAX_GRAPH_NOTIFICATIONS) as (GraphNotificationItem | null)[];
  const readable = considered.filter(
    (item): item is GraphNotificationItem & { subscriptionId: string } =>
      typeof item?.subscriptionId === 'string' && (item.lifecycleEvent == null || LIFECYCLE_EVENTS.has(String(item.lifecycleEvent))),
  );
  const checks = await checkNotifications(
    em,
    ProviderKind.MICROSOFT,
    readable.map((item) => ({ channelId: item.subscriptionId, token: typeof item.clientState === 'string' ? item.clientState : undefined })),
  );
  const syncs = new Map<string, string>();
  const lifecycle = new Map<string, PushLifecycleJob>();
  checks.forEach((check, i) => {
    if (check.kind !== 'accepted') return;
    const { subscriptionId: channelId, lifecycleEvent } = readable[i]!;
    if (lifecycleEvent === 'reauthorizationRequired' || lifecycleEvent === 'subscriptionRemoved') {
      lifecycle.set(`${channelId}:${lifecycleEvent}`, {
        externalCalendarId: check.externalCalendarId,
        tenantId: check.tenantId,
        channelId,
        event: lifecycleEvent,
      });
    } else {
      syncs.set(check.externalCalendarId, check.tenantId);
    }
  });
  for (const [externalCalendarId, tenantId] of syncs) await enqueuePushSync(queue, { externalCalendarId, tenantId });
  for (const job of lifecycle.values()) await enqueuePushLifecycle(queue, job);
  const accepted = checks.filter((check) => check.kind === 'accepted').length;
  return {
    items: items.length,
    accepted,
    refused: checks.length - accepted,
    unreadable: considered.length - readable.length,
    skipped: items.length - considered.length,
  };
}
