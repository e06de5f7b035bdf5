import type { EntityManager } from '@mikro-orm/postgresql';

/** The worker job that sends the due deliveries of one endpoint (its name is also in the outbox trigger's migration). */
export const WEBHOOK_DELIVER_TASK = 'webhook_deliver';

/** The worker job that turns a resource's recorded busy changes into one availability.changed (named in the migration too). */
export const WEBHOOK_AVAILABILITY_TASK = 'webhook_availability';

/** Payload of a {@link WEBHOOK_DELIVER_TASK} job: the endpoint whose due deliveries it sends. */
export interface WebhookDeliverJob {
  endpointId: string;
  tenantId: string;
}

/** Payload of a {@link WEBHOOK_AVAILABILITY_TASK} job. */
export interface WebhookAvailabilityJob {
  resourceId: string;
  tenantId: string;
}

/**
 * Adds (or moves) an endpoint's delivery job IN THE CALLER'S TRANSACTION (graphile-worker's
 * `add_job` is SQL), at `runAt`: one job per endpoint (its key), in the endpoint's own queue, so
 * that one drain of an endpoint runs at a time, whatever the number of workers. A job waiting
 * already is moved to `runAt` with `replace` (a new event: now), or kept where it is with
 * `preserve_run_at` (the next retry: never later than a waiting job). A job running now (the drain
 * that schedules its successor) keeps running, and the new one waits in the queue behind it. The
 * outbox trigger (record_webhook_event) adds the same job.
 * @see https://worker.graphile.org/docs/sql-add-job
 */
export async function enqueueDrain(em: EntityManager, job: WebhookDeliverJob, runAt: Date, mode: 'replace' | 'preserve_run_at' = 'replace'): Promise<void> {
  await em.execute(
    `select graphile_worker.add_job(?, ?::json, queue_name => ?, run_at => ?::timestamptz, job_key => ?, max_attempts => 10, job_key_mode => ?)`,
    [WEBHOOK_DELIVER_TASK, JSON.stringify(job), `webhook:${job.endpointId}`, runAt.toISOString(), `webhook-endpoint:${job.endpointId}`, mode],
  );
}
