import { EventEmitter } from 'node:events';
import { Logger as GraphileLogger, run, type Runner, type RunnerOptions, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import { describeError } from './common/error-summary';
import { TenantSlots } from './common/job-slots';
import { MISSED_HEARTBEATS } from './common/lease';
import type { Logger } from './common/logger';
import type { ModuleDeps } from './modules/shared/module-deps';
import { appointmentTasks, reapStaleExports } from './modules/appointments/appointment.tasks';
import { pushCrontab, pushTasks } from './modules/push/push.tasks';
import { WorkerStopping } from './modules/sync/run-limits';
import { SYNC_RUN_TASK } from './modules/sync/sync.jobs';
import { reapStaleRuns, syncCrontab, syncTasks, type SyncTaskOptions } from './modules/sync/sync.tasks';
import { reapStaleDeliveries, webhookTasks } from './modules/webhooks/webhook.tasks';

/** How a worker process runs jobs. */
export interface WorkerOptions {
  /** Jobs run at once in this process (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Most sync runs of one tenant at once in this process (SYNC_TENANT_CONCURRENCY). */
  tenantConcurrency: number;
  /** Seconds one execution of a sync run may take (SYNC_RUN_DEADLINE_SECONDS). */
  runDeadlineSeconds: number;
  /** Bytes one execution of a sync run may read from tenant-chosen servers (SYNC_RUN_MAX_READ_MB). */
  runMaxReadBytes: number;
}

/** Starts a graphile-worker runner: `run` itself, or a test's stand-in around it. */
export type StartRunner = (options: RunnerOptions) => Promise<Runner>;

/** The worker options of a configuration. */
export function workerOptions(config: Config): WorkerOptions {
  return {
    concurrency: config.WORKER_CONCURRENCY,
    tenantConcurrency: config.SYNC_TENANT_CONCURRENCY,
    runDeadlineSeconds: config.SYNC_RUN_DEADLINE_SECONDS,
    runMaxReadBytes: config.SYNC_RUN_MAX_READ_MB * 1024 * 1024,
  };
}

/** A running worker: graphile-worker's runner, restarted whenever it dies, until stopped. */
export interface WorkerHandle {
  /**
   * Stops taking jobs and restarting. Running sync runs stop before their next calendar and are
   * queued again (a calendar still fetching after 5 s is cut where it is, as graphile-worker's
   * `gracefulShutdownAbortTimeout` aborts its jobs); other jobs finish and commit.
   */
  stop(): Promise<void>;
  /** How many times the runner died and was started again. */
  readonly restarts: number;
  /** Sync runs of the tenant running now in this process (what SYNC_TENANT_CONCURRENCY caps). */
  runningFor(tenantId: string): number;
}

/**
 * The cron task that takes over, every minute, what dead workers left: every module's reaper, then
 * the queue's garbage collection. Its identifier is the one deployed crontabs know.
 */
const REAPER_TASK = 'sync_reaper';

/** Each module's reaper: finds the leases (common/lease.ts) whose heartbeat stopped and hands their work on. */
const REAPERS: ((orm: MikroORM, deps: ModuleDeps) => Promise<number>)[] = [reapStaleRuns, reapStaleExports, reapStaleDeliveries];

/**
 * Every module's tasks and crontab lines, and the reaper over them (see {@link REAPER_TASK}).
 * `schedule: false` leaves the scheduled syncs out (see syncCrontab).
 */
export function workerTasks(orm: MikroORM, deps: ModuleDeps, options: SyncTaskOptions & { schedule?: boolean } = {}): { taskList: TaskList; crontab: string } {
  const taskList: TaskList = {
    ...syncTasks(orm, deps, options),
    ...pushTasks(orm, deps),
    ...appointmentTasks(orm, deps),
    ...webhookTasks(orm, deps),
    [REAPER_TASK]: async () => {
      await reapAll(orm, deps);
      await deps.queue.collectGarbage();
    },
  };
  const crontab = [...syncCrontab({ schedule: options.schedule }), `* * * * * ${REAPER_TASK}`, ...pushCrontab()].join('\n');
  return { taskList, crontab };
}

async function reapAll(orm: MikroORM, deps: ModuleDeps): Promise<void> {
  for (const reap of REAPERS) await reap(orm, deps);
}

/** Waits between attempts to start a runner again: doubling from 1 s up to 30 s. */
const RESTART_DELAYS_MS = { first: 1_000, max: 30_000 };

/**
 * Starts a graphile-worker runner with the sync and export tasks and their schedule, in this process.
 * Any number of processes may run one against the same database: jobs are taken with
 * `SKIP LOCKED`, cron ticks are claimed once per minute across all of them.
 *
 * - Fair slots: `concurrency` jobs at once, of which at most `tenantConcurrency` sync runs of
 *   one tenant (TenantSlots over graphile-worker's `forbiddenFlags`), so that one tenant's slow
 *   servers delay only that tenant; each run stops at `runDeadlineSeconds` or after reading
 *   `runMaxReadBytes`.
 * - It survives its database: jobs are completed and failed through graphile-worker's batchers,
 *   which retry while PostgreSQL is away (unbatched, a failed release was an unhandled rejection
 *   that crashed the process). When the runner dies anyway (a release that never succeeded, the
 *   cron losing its connection), it is started again with backoff, and the jobs its workers
 *   still held are released so that they run again at once.
 * @see https://worker.graphile.org/docs/library/run
 */
export async function startWorker(
  databaseUrl: string,
  orm: MikroORM,
  deps: ModuleDeps,
  logger: Logger,
  options: Partial<WorkerOptions> & { startRunner?: StartRunner; schedule?: boolean; onlyRun?: string } = {},
): Promise<WorkerHandle> {
  const { concurrency = 4, tenantConcurrency = 2, runDeadlineSeconds, runMaxReadBytes, schedule = true, onlyRun, startRunner = run } = options;
  const drain = new AbortController();
  const all = workerTasks(orm, deps, { runDeadlineSeconds, runMaxReadBytes, drain: drain.signal, schedule });
  // Kept to one run (the CLI's): that run's task alone, no schedule.
  const taskList = onlyRun ? { [SYNC_RUN_TASK]: all.taskList[SYNC_RUN_TASK] } : all.taskList;
  const crontab = onlyRun ? '' : all.crontab;
  let runner: Runner | null = null;
  let slots = new TenantSlots(tenantConcurrency);
  let stopped = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let retryDelay = RESTART_DELAYS_MS.first;

  const launch = async (): Promise<Runner> => {
    const events: WorkerEvents = new EventEmitter();
    const current = new TenantSlots(tenantConcurrency);
    current.attach(events);
    const workerIds: string[] = [];
    events.on('worker:create', ({ worker }) => workerIds.push(worker.workerId));
    const started = await startRunner({
      connectionString: databaseUrl,
      concurrency,
      noHandleSignals: true,
      taskList,
      crontab,
      logger: workerLogger(logger),
      events,
      forbiddenFlags: onlyRun ? async () => [...(await current.forbiddenFlags()), ...(await deps.queue.otherRunFlags(onlyRun))] : current.forbiddenFlags,
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    slots = current;
    started.promise.then(
      () => died(null, workerIds),
      (error: unknown) => died(error, workerIds),
    );
    return started;
  };

  const died = (error: unknown, workerIds: string[]) => {
    if (stopped) return;
    logger.error({ error: error ? describeError(error) : null }, 'the job runner stopped by itself; starting it again');
    runner = null;
    // Its workers are gone: the jobs they could not release would otherwise stay locked for 4 hours.
    void deps.queue
      .forceUnlockWorkers(workerIds)
      .catch((unlockError: unknown) => logger.warn({ error: describeError(unlockError) }, 'jobs of the stopped runner not released; the reaper will'));
    scheduleRestart();
  };

  const scheduleRestart = () => {
    restartTimer = setTimeout(async () => {
      restartTimer = null;
      if (stopped) return;
      try {
        runner = await launch();
        // Stopped while the new runner was starting: it must not outlive the stop.
        if (stopped) return void (await runner.stop());
        restarts++;
        retryDelay = RESTART_DELAYS_MS.first;
        logger.info({ restarts }, 'the job runner is running again');
        await takeOver();
      } catch (error) {
        logger.warn({ error: describeError(error), retryInMs: retryDelay }, 'the job runner could not start; trying again');
        retryDelay = Math.min(retryDelay * 2, RESTART_DELAYS_MS.max);
        scheduleRestart();
      }
    }, retryDelay);
  };

  // A worker that starts after a crash takes over what the dead one left, without waiting for the cron tick.
  const takeOver = () => reapAll(orm, deps);

  runner = await launch();
  await takeOver();
  // A worker started right after a crash finds the dead one's leases still fresh: it looks again
  // once they have gone stale (six missed heartbeats), rather than at the next cron minute.
  const lateTakeOver = setTimeout(
    () => {
      if (!stopped) void takeOver().catch((error: unknown) => logger.warn({ error: describeError(error) }, 'taking over stale work failed; the reaper will'));
    },
    (MISSED_HEARTBEATS + 1) * deps.heartbeatSeconds * 1000,
  );
  lateTakeOver.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(lateTakeOver);
      drain.abort(new WorkerStopping());
      if (restartTimer) clearTimeout(restartTimer);
      // A runner still starting is stopped by the restart itself, once it has started.
      const current = runner;
      runner = null;
      await current?.stop();
    },
    get restarts() {
      return restarts;
    },
    runningFor: (tenantId) => slots.runningFor(tenantId),
  };
}

/**
 * graphile-worker's logger interface over pino. Its messages and metadata are not passed on
 * when they concern a job or an error: they carry the error's message and stack (MikroORM's quote
 * the failed SQL with its parameters, event titles included) and the job with its `last_error`.
 * Only the job's id, task, attempt and the ids of its payload (`runId`, `tenantId`, ...) and the
 * error's class and code are logged then.
 */
export function workerLogger(logger: Logger): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    const { job, error, fatalError, failure } = (meta ?? {}) as {
      job?: { id?: string; task_identifier?: string; attempts?: number; max_attempts?: number; payload?: unknown };
      error?: unknown;
      fatalError?: unknown;
      failure?: boolean;
    };
    if (job || error || fatalError || failure) {
      logger[method](
        {
          worker: {
            jobId: job?.id,
            task: job?.task_identifier,
            attempt: job?.attempts,
            maxAttempts: job?.max_attempts,
            ...idsOf(job?.payload),
            error: error || fatalError ? describeError(error ?? fatalError) : undefined,
          },
        },
        failure ? 'a job failed' : firstWords(message),
      );
      return;
    }
    logger[method]({ worker: meta }, message);
  });
}

/** The `…Id` fields of a job payload that hold plain ids: what may be logged of it. */
function idsOf(payload: unknown): Record<string, string> {
  if (typeof payload !== 'object' || payload === null) return {};
  return Object.fromEntries(
    Object.entries(payload).filter(([key, value]) => key.endsWith('Id') && typeof value === 'string' && /^[\w:.-]{1,100}$/.test(value)),
  );
}

/** The start of a graphile-worker message, before any quoted error text. */
function firstWords(message: string): string {
  const cut = message.search(/[:'"\n]/);
  return (cut < 0 ? message : message.slice(0, cut)).slice(0, 120).trim();
}
