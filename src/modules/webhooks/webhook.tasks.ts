import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { releaseWorkers, workersOf } from '../../common/lease';
import type { ModuleDeps } from '../shared/module-deps';
import { mergeRanges } from './busy-ranges';
import { leaseMs, WebhookDeliverer } from './webhook-deliverer';
import { recordWebhookEvent } from './webhook-outbox';
import { enqueueDrain, WEBHOOK_AVAILABILITY_TASK, WEBHOOK_DELIVER_TASK, type WebhookAvailabilityJob, type WebhookDeliverJob } from './webhook.jobs';

/** Deliveries re-queued per reaper tick when their job was lost. */
const REQUEUE_BATCH = 500;

/** An EntityManager that sees every tenant: jobs name their rows by id. */
function unscoped(orm: MikroORM): EntityManager {
  return orm.em.fork({ disableFilters: true } as never) as EntityManager;
}

/**
 * The worker tasks of webhooks: `webhook_deliver` (the due deliveries of one endpoint, WebhookDeliverer)
 * and `webhook_availability` (a resource's busy changes of the last seconds as one event,
 * {@link coalesceAvailability}).
 */
export function webhookTasks(orm: MikroORM, deps: ModuleDeps): TaskList {
  return {
    [WEBHOOK_DELIVER_TASK]: async (payload, helpers) => {
      const { endpointId, tenantId } = payload as WebhookDeliverJob;
      await new WebhookDeliverer(unscoped(orm), deps).drain(endpointId, tenantId, helpers.job.locked_by ?? 'unknown');
    },
    [WEBHOOK_AVAILABILITY_TASK]: async (payload) => {
      await coalesceAvailability(unscoped(orm), payload as WebhookAvailabilityJob);
    },
  };
}

/**
 * Turns the busy changes recorded for a resource (webhook_busy_change, written by the statement
 * triggers of external_event and appointment in the transactions that changed busy time) into one
 * `availability.changed` event: `data { resourceId, ranges: [{ from, to }], busyVersion }`, the
 * ranges merged (busy-ranges.ts), in one transaction with taking the changes. Changes committed
 * while it runs have queued the next job (a new job under the same key), which sends them.
 * @returns how many deliveries were recorded.
 */
export async function coalesceAvailability(em: EntityManager, job: WebhookAvailabilityJob): Promise<number> {
  return em.transactional(async (tx) => {
    const changes = await tx.execute<{ starts_at: string | Date; ends_at: string | Date }[]>(
      `delete from webhook_busy_change where resource_id = ? returning starts_at, ends_at`,
      [job.resourceId],
    );
    if (changes.length === 0) return 0;
    const [resource] = await tx.execute<{ busy_version: string }[]>(`select busy_version::text from resource where id = ?`, [job.resourceId]);
    if (!resource) return 0;
    // em.execute may hand instants over as text.
    const ranges = mergeRanges(changes.map((change) => ({ from: new Date(change.starts_at), to: new Date(change.ends_at) })));
    return recordWebhookEvent(tx, job.tenantId, 'availability.changed', job.resourceId, {
      resourceId: job.resourceId,
      ranges: ranges.map((range) => ({ from: range.from.toISOString(), to: range.to.toISOString() })),
      busyVersion: Number(resource.busy_version),
    });
  });
}

/**
 * The reaper of webhooks (run every minute and when a worker starts, src/worker.ts): releases the
 * jobs of workers that died mid-attempt (a lease older than {@link leaseMs}), so that another worker
 * attempts the delivery again at once with the same webhook-id, and queues again the job of every
 * endpoint whose PENDING deliveries are overdue by a minute without one (a job lost with its
 * worker, or failed for good by graphile-worker after repeated errors).
 * @returns how many deliveries were taken over or queued again.
 */
export async function reapStaleDeliveries(orm: MikroORM, deps: ModuleDeps): Promise<number> {
  const em = unscoped(orm);
  const lease = leaseMs(deps.webhooks.timeoutMs);
  const stale = await em.execute<{ id: string; attempt_worker: string }[]>(
    `select id, attempt_worker from webhook_delivery
      where attempt_worker is not null and attempt_started_at < now() - ? * interval '1 millisecond' limit ?`,
    [lease, REQUEUE_BATCH],
  );
  if (stale.length > 0) {
    await em.execute(
      `update webhook_delivery set attempt_worker = null, attempt_started_at = null where id in (?) and attempt_started_at < now() - ? * interval '1 millisecond'`,
      [stale.map((row) => row.id), lease],
    );
    await releaseWorkers(deps.queue, workersOf(stale.map((row) => row.attempt_worker)));
  }
  const lost = await em.transactional(async (tx) => {
    // A job that failed for good (graphile-worker's attempts used up) keeps its key but never runs again.
    const rows = await tx.execute<{ endpoint_id: string; tenant_id: string }[]>(
      `select distinct d.endpoint_id, d.tenant_id from webhook_delivery d
        where d.status = 'PENDING' and d.attempt_worker is null and d.next_attempt_at < now() - interval '1 minute'
          and not exists (select 1 from graphile_worker._private_jobs j
                           where j.key = 'webhook-endpoint:' || d.endpoint_id::text and j.attempts < j.max_attempts)
        limit ?`,
      [REQUEUE_BATCH],
    );
    for (const row of rows) await enqueueDrain(tx, { endpointId: row.endpoint_id, tenantId: row.tenant_id }, new Date());
    return rows.length;
  });
  return stale.length + lost;
}
