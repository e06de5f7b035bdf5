import { JobQueue } from '../../common/job-queue';
import { tenantFlag } from '../../common/job-slots';

/** The job that runs one SyncRun. */
export const SYNC_RUN_TASK = 'sync_run';

/** Payload of a {@link SYNC_RUN_TASK} job. */
export interface SyncRunJob {
  runId: string;
  tenantId: string;
  /** The id of the request that asked for the run (x-request-id), which the run's log lines then carry. */
  requestId?: string;
}

/** The flag of a run's job, by which a runner can be kept to that run alone. */
function runFlag(runId: string): string {
  return `run:${runId}`;
}

/** The serial key of a run's queue: its connection, or its resource for a run over all of them. */
export function runSerialKey(externalCalendarId: string | null, resourceId: string): string {
  return externalCalendarId ?? `resource:${resourceId}`;
}

/**
 * The job queue, where sync runs wait for a worker. Jobs of one connection share a named queue,
 * which graphile-worker runs one at a time: one sync per connection, many connections in
 * parallel. Every run carries its tenant's flag (tenantFlag), so that a worker process runs at
 * most SYNC_TENANT_CONCURRENCY runs of one tenant at once (TenantSlots) and one tenant's slow
 * servers hold only its own slots. Other modules add their jobs to it as to any {@link JobQueue}.
 * @see https://worker.graphile.org/docs/job-queues
 */
export class SyncQueue extends JobQueue {
  /**
   * Enqueues a run on the queue of its connection (or of its resource, for a run over every
   * connection of a resource), flagged with its tenant. Retried up to 5 times after an unexpected
   * failure (a worker shutting down, the database gone); a run whose worker died twice is
   * quarantined by the reaper instead.
   */
  async enqueue(job: SyncRunJob, serialKey: string): Promise<void> {
    await this.add(SYNC_RUN_TASK, job, { queueName: `sync:${serialKey}`, maxAttempts: 5, flags: [tenantFlag(job.tenantId), runFlag(job.runId)] });
  }

  /**
   * The flags of every waiting run but `runId`'s: forbidden to a runner that may run that one run
   * only (the CLI's `sync` and `ingest`), so that it takes no one else's.
   */
  async otherRunFlags(runId: string): Promise<string[]> {
    const { rows } = await this.utils.withPgClient((client) =>
      client.query<{ flag: string }>(
        `select distinct flag from graphile_worker.jobs, jsonb_object_keys(flags) as flag where task_identifier = $1 and flag like 'run:%' and flag <> $2`,
        [SYNC_RUN_TASK, runFlag(runId)],
      ),
    );
    return rows.map((row) => row.flag);
  }
}
