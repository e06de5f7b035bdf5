import { Logger as GraphileLogger, run, type Runner } from 'graphile-worker';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from './common/logger';
import type { ModuleDeps } from './modules/module-deps';
import { appointmentTasks, reapStaleExports } from './modules/appointments/appointment.tasks';
import { reapStaleRuns, SYNC_CRONTAB, syncTasks } from './modules/sync/sync.tasks';

/**
 * Starts a graphile-worker runner with the sync and export tasks and their schedule, in this process.
 * Any number of processes may run one against the same database: jobs are taken with
 * `SKIP LOCKED`, cron ticks are claimed once per minute across all of them.
 * @see https://worker.graphile.org/docs/library/run
 */
export async function startWorker(databaseUrl: string, orm: MikroORM, deps: ModuleDeps, logger: Logger, concurrency = 4): Promise<Runner> {
  const runner = await run({
    connectionString: databaseUrl,
    concurrency,
    noHandleSignals: true,
    taskList: { ...syncTasks(orm, deps), ...appointmentTasks(orm, deps) },
    crontab: SYNC_CRONTAB,
    logger: workerLogger(logger),
  });
  // A worker that starts after a crash takes over what the dead one left, without waiting for the cron tick.
  await reapStaleRuns(orm, deps);
  await reapStaleExports(orm, deps);
  return runner;
}

/** graphile-worker's logger interface over pino. */
function workerLogger(logger: Logger) {
  return new GraphileLogger(() => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    logger[method]({ worker: meta }, message);
  });
}
