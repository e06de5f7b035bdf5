import type { EntityManager } from '@mikro-orm/postgresql';

/** The worker job that makes one attempt of one delivery (its name is also in the outbox trigger's migration). */
export const WEBHOOK_DELIVER_TASK = 'webhook_deliver';

/** The worker job that turns a resource's recorded busy changes into one availability.changed (named in the migration too). */
export const WEBHOOK_AVAILABILITY_TASK = 'webhook_availability';

/** Payload of a {@link WEBHOOK_DELIVER_TASK} job. */
export interface WebhookDeliverJob {
  deliveryId: string;
  tenantId: string;
}

/** Payload of a {@link WEBHOOK_AVAILABILITY_TASK} job. */
export interface WebhookAvailabilityJob {
  resourceId: string;
  tenantId: string;
}

/**
 * Adds the job of a delivery's next attempt IN THE CALLER'S TRANSACTION (graphile-worker's
 * `add_job` is SQL), at `runAt`. One job key per delivery: a job already waiting is moved to the
 * new time; one running now (the attempt that schedules its retry) keeps running and a new one waits.
 * @see https://worker.graphile.org/docs/sql-add-job
 */
export async function enqueueDelivery(em: EntityManager, job: WebhookDeliverJob, runAt: Date): Promise<void> {
  await em.execute(`select graphile_worker.add_job(?, ?::json, run_at => ?::timestamptz, job_key => ?, max_attempts => 10)`, [
    WEBHOOK_DELIVER_TASK,
    JSON.stringify(job),
    runAt.toISOString(),
    `webhook:${job.deliveryId}`,
  ]);
}
