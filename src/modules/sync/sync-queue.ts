import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { tenantFlag } from '../../common/job-slots';
import type { JobQueueStats } from '../../common/metrics';

/** The job that runs one SyncRun. */
export const SYNC_RUN_TASK = 'sync_run';

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
 * Where sync runs wait for a worker: graphile-worker's queue in PostgreSQL, shared by every API
 * and worker process. Jobs of one connection share a named queue, which graphile-worker runs
 * one at a time: one sync per connection, many connections in parallel. Every run carries its
 * tenant's flag (tenantFlag), so that a worker process runs at most SYNC_TENANT_CONCURRENCY runs
 * of one tenant at once (TenantSlots) and one tenant's slow servers hold only its own slots.
 * @see https://worker.graphile.org/docs/job-queues
 */
export class SyncQueue {
  private constructor(private readonly utils: WorkerUtils) {}

  /** Connects to the database, creating graphile-worker's schema when it is missing. */
  static async open(databaseUrl: string): Promise<SyncQueue> {
    const utils = await makeWorkerUtils({ connectionString: databaseUrl });
    await utils.migrate();
    return new SyncQueue(utils);
  }

  /**
   * Enqueues a run on the queue of its connection (or of its resource, for a run over every
   * connection of a resource), flagged with its tenant. Retried up to 5 times after an unexpected
   * failure (a worker shutting down, the database gone); a run whose worker died twice is
   * quarantined by the reaper instead.
   */
  async enqueue(job: SyncRunJob, serialKey: string): Promise<void> {
    await this.utils.addJob(SYNC_RUN_TASK, job, { queueName: `sync:${serialKey}`, maxAttempts: 5, flags: [tenantFlag(job.tenantId), runFlag(job.runId)] });
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

  /**
   * Asks for an incremental sync of a connection because the provider notified a change,
   * debounced: the job runs {@link PUSH_DEBOUNCE_MS} after the first notification, and the
   * notifications arriving until then (same job key, `preserve_run_at`) join it, so a burst
   * makes one sync. A notification arriving while the job runs schedules one more.
   * @see https://worker.graphile.org/docs/job-key
   */
  async enqueuePushSync(job: SyncPushJob): Promise<void> {
    await this.utils.addJob(SYNC_PUSH_TASK, job, {
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
  async enqueuePushMaintain(job: PushMaintainJob): Promise<void> {
    await this.utils.addJob(PUSH_MAINTAIN_TASK, job, { queueName: PUSH_MAINTAIN_TASK, jobKey: `push_maintain:${job.externalCalendarId}`, maxAttempts: 3 });
  }

  /** Releases the jobs held by workers that died, so that another worker takes them. */
  forceUnlockWorkers(workerIds: string[]): Promise<void> {
    return this.utils.forceUnlockWorkers(workerIds);
  }

  /** Deletes the named queues left empty (one per connection accumulates otherwise). */
  async collectGarbage(): Promise<void> {
    await this.utils.cleanup({ tasks: ['GC_JOB_QUEUES'] });
  }

  /**
   * The jobs of every task graphile-worker knows, by state (zeros for a task without jobs), and how
   * long the oldest waiting one has been due: one GROUP BY over graphile-worker's tasks and jobs
   * tables (those of its schema since 0.16; read on every metrics scrape).
   * @see https://worker.graphile.org/docs/schema
   */
  async stats(): Promise<JobQueueStats[]> {
    const waiting = 'locked_at is null and attempts < max_attempts and run_at <= now()';
    const { rows } = await this.utils.withPgClient((client) =>
      client.query<{ task: string; waiting: string; scheduled: string; running: string; failed: string; oldest: number | null }>(
        `select tasks.identifier as task,
                count(*) filter (where ${waiting}) as waiting,
                count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now()) as scheduled,
                count(*) filter (where locked_at is not null) as running,
                count(*) filter (where locked_at is null and attempts >= max_attempts) as failed,
                extract(epoch from now() - min(run_at) filter (where ${waiting}))::float8 as oldest
           from graphile_worker._private_tasks as tasks
           left join graphile_worker._private_jobs as jobs on jobs.task_id = tasks.id
          group by tasks.identifier`,
      ),
    );
    return rows.map((row) => ({
      task: row.task,
      waiting: Number(row.waiting),
      scheduled: Number(row.scheduled),
      running: Number(row.running),
      failed: Number(row.failed),
      oldestWaitingSeconds: row.oldest ?? 0,
    }));
  }

  async close(): Promise<void> {
    await this.utils.release();
  }
}
