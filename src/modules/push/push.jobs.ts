import type { JobQueue } from '../../common/job-queue';

/** The job that turns push notifications of a connection into one incremental sync. */
export const SYNC_PUSH_TASK = 'sync_push';
/** The job that creates, renews and stops push channels (of one connection, or of all). */
export const PUSH_MAINTAIN_TASK = 'push_maintain';

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
