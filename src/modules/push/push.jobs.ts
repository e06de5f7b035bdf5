import type { JobQueue } from '../../common/job-queue';

/** The job that turns push notifications of a connection into one incremental sync. */
export const SYNC_PUSH_TASK = 'sync_push';
/** The job that creates, renews and stops push channels (of one connection, or of all). */
export const PUSH_MAINTAIN_TASK = 'push_maintain';

/** The job that answers a Graph lifecycle notification that asks more than a sync (reauthorize, or recreate a removed subscription). */
export const PUSH_LIFECYCLE_TASK = 'push_lifecycle';

/** How long a push sync waits for more notifications of the same connection, milliseconds. */
export const PUSH_DEBOUNCE_MS = 2_000;

/** Payload of a {@link SYNC_PUSH_TASK} job. */
export interface SyncPushJob {
  externalCalendarId: string;
  tenantId: string;
}

/** Payload of a {@link PUSH_MAINTAIN_TASK} job; without it, every connection is maintained. */
export interface PushMaintainJob {
  externalCalendarId: string;
  tenantId: string;
}

/** Payload of a {@link PUSH_LIFECYCLE_TASK} job: what Graph said of which subscription. */
export interface PushLifecycleJob {
  externalCalendarId: string;
  tenantId: string;
  /** Graph's subscription id (PushChannel.channelId). */
  channelId: string;
  event: 'reauthorizationRequired' | 'subscriptionRemoved';
}

/**
 * Asks for an incremental sync of a connection because the provider notified a change,
 * debounced: the job runs {@link PUSH_DEBOUNCE_MS} after the first notification, and the
 * notifications arriving until then (same job key, `preserve_run_at`) join it, so a burst
 * makes one sync. A notification arriving while the job runs schedules one more.
 * @see https://worker.graphile.org/docs/job-key
 */
export async function enqueuePushSync(queue: JobQueue, job: SyncPushJob): Promise<void> {
  await queue.add(SYNC_PUSH_TASK, job, {
    jobKey: `push:${job.externalCalendarId}`,
    jobKeyMode: 'preserve_run_at',
    runAt: new Date(Date.now() + PUSH_DEBOUNCE_MS),
    maxAttempts: 3,
  });
}

/**
 * Asks for the push channels of a connection to be brought up to date (after its read
 * calendars changed). The queue is the 5-minute sweep's too: no two passes run at once.
 */
export async function enqueuePushMaintain(queue: JobQueue, job: PushMaintainJob): Promise<void> {
  await queue.add(PUSH_MAINTAIN_TASK, job, { queueName: PUSH_MAINTAIN_TASK, jobKey: `push_maintain:${job.externalCalendarId}`, maxAttempts: 3 });
}

/**
 * Asks for a lifecycle notification to be answered outside the request (Graph wants 202 at once).
 * On the maintenance queue, so that it never works on a channel while a maintenance pass does;
 * keyed by subscription and event, so that repeated challenges waiting together make one job.
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export async function enqueuePushLifecycle(queue: JobQueue, job: PushLifecycleJob): Promise<void> {
  await queue.add(PUSH_LIFECYCLE_TASK, job, { queueName: PUSH_MAINTAIN_TASK, jobKey: `push_lifecycle:${job.channelId}:${job.event}`, maxAttempts: 3 });
}
