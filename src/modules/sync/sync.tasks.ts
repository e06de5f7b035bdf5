import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { describeError } from '../../common/error-summary';
import { ErrorCode } from '../../common/errors';
import { releaseWorkers, staleBefore, workersOf } from '../../common/lease';
import { withLogScope } from '../../common/logger';
import { TENANT_FILTER } from '../../db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { SyncConfig } from '../connections/sync-config.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { Feature, hasFeature } from '../tenancy/features';
import { runSerialKey, SYNC_RUN_TASK, type SyncRunJob } from './sync.jobs';
import { SyncRun, SyncRunStatus } from './sync-run.entity';
import { SyncService } from './sync.service';
import { syncRunFinished } from './sync-run-telemetry';

/** Times a run may lose its worker; the last loss quarantines it instead of handing it on. */
export const MAX_TAKEOVERS = 2;
/** Why a quarantined run failed. */
export const QUARANTINE_REASON =
  'Quarantined: the worker running this sync stopped twice before it finished (it crashed, was killed or lost its database), so it is not run a third time. ' +
  'What it committed is kept; the connection backs off, and its next sync goes on from the saved cursors';
/** How long a failing run keeps trying to record its state while the database is away, milliseconds. */
const RECORD_PATIENCE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * graphile-worker's crontab lines of the sync tasks: every minute, enqueue due syncs (unless
 * `schedule` is false: then connections sync only when asked, as in the tests, whose assertions
 * count runs). Runs whose worker died are taken over by the worker's reaper ({@link reapStaleRuns}).
 */
export function syncCrontab({ schedule = true }: { schedule?: boolean } = {}): string[] {
  return schedule ? ['* * * * * sync_schedule'] : [];
}

/**
 * Finds RUNNING runs whose heartbeat stopped, releases the jobs their dead workers held (so that
 * graphile-worker hands them to a live worker at once instead of after its 4-hour lock timeout)
 * and puts the runs back to QUEUED; the retried job goes on from the cursors already committed.
 * A run losing its worker for the {@link MAX_TAKEOVERS}th time is quarantined instead: FAILED
 * (INTERNAL_SERVER_ERROR, {@link QUARANTINE_REASON}), and its connection backs off as after a
 * failed sync, so that a sync that kills its process (a crash, the memory limit) cannot do it in
 * a loop. Its released job then finds it finished and does nothing.
 * @returns how many runs were taken over or quarantined.
 */
export async function reapStaleRuns(orm: MikroORM, deps: ModuleDeps): Promise<number> {
  const em = orm.em.fork();
  const stale = await em.find(
    SyncRun,
    { status: SyncRunStatus.RUNNING, heartbeatAt: { $lt: staleBefore(deps.heartbeatSeconds) } },
    { filters: false, populate: ['externalCalendar'] },
  );
  const workerIds = workersOf(stale.map((run) => run.workerId));
  const quarantined: SyncRun[] = [];
  for (const run of stale) {
    run.takeovers += 1;
    if (run.takeovers < MAX_TAKEOVERS) {
      run.status = SyncRunStatus.QUEUED;
      continue;
    }
    Object.assign(run, { status: SyncRunStatus.FAILED, error: QUARANTINE_REASON, errorCode: ErrorCode.INTERNAL_SERVER_ERROR, finishedAt: new Date() });
    quarantined.push(run);
    const connection = run.externalCalendar;
    if (connection) {
      connection.failureCount += 1;
      connection.lastError = QUARANTINE_REASON;
      connection.nextSyncAt = new Date(Date.now() + Math.min(DAY_MS, deps.syncIntervalMinutes * 60_000 * 2 ** connection.failureCount));
    }
  }
  // The runs first, their jobs after: a worker taking a released job must find its run QUEUED (or
  // quarantined), never still RUNNING, or it would run it while the row says QUEUED and, should it
  // die too, the run would never be seen stale again.
  await em.flush();
  await releaseWorkers(deps.queue, workerIds);
  for (const run of quarantined) {
    syncRunFinished(deps, run);
    await deps.publish.syncRunChanged(run);
  }
  return stale.length;
}

/** What the sync tasks are given besides the ORM and the module's dependencies. */
export interface SyncTaskOptions {
  /** Seconds one execution of a run may take (SYNC_RUN_DEADLINE_SECONDS); unset: no deadline. */
  runDeadlineSeconds?: number;
  /** Bytes one execution of a run may read from tenant-chosen servers (SYNC_RUN_MAX_READ_MB); unset: no budget. */
  runMaxReadBytes?: number;
  /** Aborted when the worker begins to shut down: runs stop before their next calendar (RunLimits.drain). */
  drain?: AbortSignal;
}

/**
 * A run its worker stopped to shut down: back to QUEUED, and a new job on its queue, so that it
 * goes on from its saved cursors without spending one of its attempts. That job runs once the
 * stopped one has completed and released the queue, in another worker or after the restart.
 */
async function pauseForShutdown(orm: MikroORM, deps: ModuleDeps, job: SyncRunJob): Promise<void> {
  const em = tenantScoped(orm, job.tenantId);
  await em.nativeUpdate(SyncRun, { id: job.runId, status: SyncRunStatus.RUNNING }, { status: SyncRunStatus.QUEUED, workerId: null });
  const run = await em.findOneOrFail(SyncRun, { id: job.runId });
  await deps.queue.enqueue(job, runSerialKey(run.externalCalendar?.id ?? null, run.resource.id));
  deps.logger.info({ syncRunId: run.id, tenantId: job.tenantId }, 'sync run paused by the shutdown; queued again');
  await deps.publish.syncRunChanged(run);
}

/**
 * Runs `record` until it succeeds or {@link RECORD_PATIENCE_MS} have passed: a failing run's
 * state must survive a database restart, or the run would wait RUNNING for the reaper.
 */
async function patiently(record: () => Promise<unknown>): Promise<void> {
  const giveUpAt = Date.now() + RECORD_PATIENCE_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      await record();
      return;
    } catch (error) {
      if (Date.now() + delay > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function tenantScoped(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId });
  return em;
}

/**
 * The sync tasks (graphile-worker):
 * - `sync_run` executes one SyncRun;
 * - `sync_schedule` enqueues an incremental sync of every CONNECTED (or ERROR) connection with import on
 *   whose `nextSyncAt` has come, or a FULL one (the whole window, rolled forward) when the last
 *   full sync is a day old.
 * The worker's `sync_reaper` cron runs {@link reapStaleRuns}: a run is never left RUNNING.
 */
export function syncTasks(orm: MikroORM, deps: ModuleDeps, options: SyncTaskOptions = {}): TaskList {
  return {
    [SYNC_RUN_TASK]: async (payload, helpers) => {
      const { runId, tenantId, requestId } = payload as SyncRunJob;
      const em = tenantScoped(orm, tenantId);
      // The run's log lines carry the id of the request that asked for it.
      const scoped = (work: () => Promise<unknown>) => (requestId ? withLogScope({ requestId }, work) : work());
      try {
        await scoped(() =>
          new SyncService(em, deps).execute(runId, helpers.job.locked_by, {
            shutdown: helpers.abortSignal,
            drain: options.drain,
            deadlineSeconds: options.runDeadlineSeconds,
            maxReadBytes: options.runMaxReadBytes,
          }),
        );
      } catch (error) {
        if (options.drain?.aborted) return pauseForShutdown(orm, deps, payload as SyncRunJob);
        // Not a provider failure (those end the run FAILED) but a shutdown, the database gone or a
        // bug: graphile-worker retries the job with backoff; the run waits QUEUED, and fails for
        // good with the last attempt. The error's message may quote SQL with event titles: only
        // its class and code are logged and handed to graphile-worker (which logs and stores it).
        const reason = describeError(error);
        const last = helpers.job.attempts >= helpers.job.max_attempts;
        helpers.logger.error(`sync run ${runId} failed unexpectedly (${reason}), attempt ${helpers.job.attempts} of ${helpers.job.max_attempts}`, {
          runId,
          tenantId,
          jobId: helpers.job.id,
        });
        try {
          await patiently(() =>
            em.fork().nativeUpdate(
              SyncRun,
              { id: runId, status: { $nin: [SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED, SyncRunStatus.CANCELLED] } },
              last
                ? {
                    status: SyncRunStatus.FAILED,
                    error: `The sync failed unexpectedly (${reason}); see the worker log`,
                    errorCode: 'INTERNAL_SERVER_ERROR',
                    finishedAt: new Date(),
                  }
                : { status: SyncRunStatus.QUEUED },
            ),
          );
          const run = await em.fork().findOne(SyncRun, { id: runId }, { populate: ['externalCalendar'] });
          if (run && last && run.status === SyncRunStatus.FAILED) syncRunFinished(deps, run);
          if (run) await deps.publish.syncRunChanged(run);
        } catch (recordError) {
          helpers.logger.error(`sync run ${runId}: its state could not be recorded (${describeError(recordError)}); the reaper will take it over`, {
            runId,
            tenantId,
            jobId: helpers.job.id,
          });
        }
        // eslint-disable-next-line preserve-caught-error -- the cause's message may quote SQL with event titles: graphile-worker gets its class and code only
        throw new Error(`sync run ${runId} failed: ${reason}`);
      }
    },

    sync_schedule: async () => {
      const now = new Date();
      const due = await orm.em.fork().find(
        ExternalCalendar,
        // ERROR connections are retried too (with backoff); REAUTH_REQUIRED ones wait for their owner.
        { status: { $in: [ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR] }, $or: [{ nextSyncAt: null }, { nextSyncAt: { $lte: now } }] },
        { filters: false, populate: ['tenant'], limit: 500, orderBy: { nextSyncAt: 'asc' } },
      );
      const importing = new Set(
        (await orm.em.fork().find(SyncConfig, { externalCalendar: { $in: due }, importEnabled: true }, { filters: false })).map(
          (config) => config.externalCalendar.id,
        ),
      );
      // A connection with a run waiting or running is left for a later tick: a second run would only
      // queue behind the first (one run per connection at a time) and fetch what it just fetched.
      const busy = new Set(
        (
          await orm.em
            .fork()
            .find(
              SyncRun,
              { externalCalendar: { $in: due }, status: { $in: [SyncRunStatus.QUEUED, SyncRunStatus.RUNNING] } },
              { filters: false, fields: ['externalCalendar'] },
            )
        ).map((run) => run.externalCalendar!.id),
      );
      for (const connection of due) {
        // A tenant whose externalCalendars feature was switched off keeps its connections, unsynced.
        if (!importing.has(connection.id) || busy.has(connection.id) || !hasFeature(connection.tenant, Feature.EXTERNAL_CALENDARS)) continue;
        const em = tenantScoped(orm, connection.tenant.id);
        const full = !connection.lastFullSyncAt || now.getTime() - connection.lastFullSyncAt.getTime() >= DAY_MS;
        // Claimed first, so that an overlapping tick cannot enqueue it twice.
        const claimed = await em.nativeUpdate(
          ExternalCalendar,
          { id: connection.id, $or: [{ nextSyncAt: null }, { nextSyncAt: { $lte: now } }] },
          { nextSyncAt: new Date(now.getTime() + deps.syncIntervalMinutes * 60_000) },
        );
        if (claimed === 1) await new SyncService(em, deps).sync(connection.tenant, connection.id, full);
      }
    },
  };
}
