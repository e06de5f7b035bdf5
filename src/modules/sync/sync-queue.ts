import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';

/** The job that runs one SyncRun. */
export const SYNC_RUN_TASK = 'sync_run';

/** Payload of a {@link SYNC_RUN_TASK} job. */
export interface SyncRunJob {
  runId: string;
  tenantId: string;
}

/**
 * Where sync runs wait for a worker: graphile-worker's queue in PostgreSQL, shared by every API
 * and worker process. Jobs of one connection share a named queue, which graphile-worker runs
 * one at a time: one sync per connection, many connections in parallel.
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
   * connection of a resource). Retried up to 5 times when a worker dies while running it.
   */
  async enqueue(job: SyncRunJob, serialKey: string): Promise<void> {
    await this.utils.addJob(SYNC_RUN_TASK, job, { queueName: `sync:${serialKey}`, maxAttempts: 5 });
  }

  /** Releases the jobs held by workers that died, so that another worker takes them. */
  forceUnlockWorkers(workerIds: string[]): Promise<void> {
    return this.utils.forceUnlockWorkers(workerIds);
  }

  /** Deletes the named queues left empty (one per connection accumulates otherwise). */
  async collectGarbage(): Promise<void> {
    await this.utils.cleanup({ tasks: ['GC_JOB_QUEUES'] });
  }

  async close(): Promise<void> {
    await this.utils.release();
  }
}
