import { makeWorkerUtils, type TaskSpec, type WorkerUtils } from 'graphile-worker';
import type { JobQueueStats } from './metrics';

/**
 * graphile-worker's queue in PostgreSQL, shared by every API and worker process: what the
 * modules add their jobs to (each module names its own tasks, payloads and keys in its
 * `<module>.jobs.ts`) and what the worker and the metrics read. Names no task.
 * @see https://worker.graphile.org/docs/library/add-job
 */
export class JobQueue {
  constructor(protected readonly utils: WorkerUtils) {}

  /** Connects to the database, creating graphile-worker's schema when it is missing. */
  static async open<T extends JobQueue>(this: new (utils: WorkerUtils) => T, databaseUrl: string): Promise<T> {
    const utils = await makeWorkerUtils({ connectionString: databaseUrl });
    await utils.migrate();
    return new this(utils);
  }

  /** Adds a job of `task` with its payload (JSON) and graphile-worker's options (queue, key, attempts, run time, flags). */
  async add(task: string, payload: unknown, spec: TaskSpec): Promise<void> {
    await this.utils.addJob(task, payload, spec);
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
