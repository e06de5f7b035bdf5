import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { TENANT_FILTER } from '../../db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../calendars/external-calendar.entity';
import { SyncConfig } from '../calendars/sync-config.entity';
import type { ModuleDeps } from '../module-deps';
import { reapStaleExports } from '../appointments/appointment.tasks';
import { maintainPushChannels } from '../push/push-maintenance';
import { Feature, hasFeature } from '../tenancy/features';
import { Tenant } from '../tenancy/tenant.entity';
import { PUSH_MAINTAIN_TASK, SYNC_PUSH_TASK, SYNC_RUN_TASK, type PushMaintainJob, type SyncPushJob, type SyncRunJob } from './sync-queue';
import { SyncRun, SyncRunStatus } from './sync-run.entity';
import { SyncService } from './sync.service';

/** Missed heartbeats after which a RUNNING run has lost its worker. */
const MISSED_HEARTBEATS = 6;
const DAY_MS = 86_400_000;
/** Connections a push notification may sync (as the schedule does); the others wait for their owner. */
const PUSH_SYNCABLE: ReadonlySet<ExternalCalendarStatus> = new Set([ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR]);

/**
 * Every minute: enqueue due syncs, and take over runs whose worker died. Every 5 minutes: push
 * channels created, renewed and stopped, on the queue of the per-connection maintenance jobs
 * so that two passes never work on one connection at once.
 */
export const SYNC_CRONTAB = ['* * * * * sync_schedule', '* * * * * sync_reaper', `*/5 * * * * ${PUSH_MAINTAIN_TASK} ?queue=${PUSH_MAINTAIN_TASK}`].join('\n');

/**
 * Finds RUNNING runs whose heartbeat stopped, releases the jobs their dead workers held (so that
 * graphile-worker hands them to a live worker at once instead of after its 4-hour lock timeout)
 * and puts the runs back to QUEUED; the retried job goes on from the cursors already committed.
 * @returns how many runs were taken over.
 */
export async function reapStaleRuns(orm: MikroORM, deps: ModuleDeps): Promise<number> {
  const em = orm.em.fork();
  const staleBefore = new Date(Date.now() - MISSED_HEARTBEATS * deps.heartbeatSeconds * 1000);
  const stale = await em.find(SyncRun, { status: SyncRunStatus.RUNNING, heartbeatAt: { $lt: staleBefore } }, { filters: false });
  const workerIds = [...new Set(stale.map((run) => run.workerId).filter((id): id is string => id !== null))];
  if (workerIds.length > 0) await deps.queue.forceUnlockWorkers(workerIds);
  for (const run of stale) run.status = SyncRunStatus.QUEUED;
  await em.flush();
  return stale.length;
}

function tenantScoped(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId });
  return em;
}

/**
 * The worker's tasks (graphile-worker):
 * - `sync_run` executes one SyncRun;
 * - `sync_schedule` enqueues an incremental sync of every CONNECTED (or ERROR) connection with import on
 *   whose `nextSyncAt` has come, or a FULL one (the whole window, rolled forward) when the last
 *   full sync is a day old;
 * - `sync_reaper` finds RUNNING runs (and appointment exports) without a heartbeat, releases their dead worker's jobs so
 *   that another worker retries them, and puts them back to QUEUED: a run is never left RUNNING;
 * - `sync_push` requests an incremental sync of a connection whose provider notified a change
 *   (debounced by SyncQueue.enqueuePushSync); a connection that can no longer sync is skipped;
 * - `push_maintain` creates, renews and stops push channels (src/modules/push/push-maintenance.ts).
 */
export function syncTasks(orm: MikroORM, deps: ModuleDeps): TaskList {
  return {
    [SYNC_RUN_TASK]: async (payload, helpers) => {
      const { runId, tenantId } = payload as SyncRunJob;
      const em = tenantScoped(orm, tenantId);
      try {
        await new SyncService(em, deps).execute(runId, helpers.job.locked_by, helpers.abortSignal);
      } catch (error) {
        // Not a provider failure (those end the run FAILED) but a shutdown or a bug: graphile-worker
        // retries the job with backoff; the run waits QUEUED, and fails for good with the last attempt.
        const last = helpers.job.attempts >= helpers.job.max_attempts;
        await em.fork().nativeUpdate(
          SyncRun,
          { id: runId },
          last
            ? { status: SyncRunStatus.FAILED, error: 'The sync failed unexpectedly; see the worker log', errorCode: 'INTERNAL_SERVER_ERROR', finishedAt: new Date() }
            : { status: SyncRunStatus.QUEUED },
        );
        const run = await em.fork().findOne(SyncRun, { id: runId });
        if (run) await deps.events.syncRunChanged(run);
        throw error;
      }
    },

    [SYNC_PUSH_TASK]: async (payload) => {
      const { externalCalendarId, tenantId } = payload as SyncPushJob;
      const em = tenantScoped(orm, tenantId);
      const connection = await em.findOne(ExternalCalendar, { id: externalCalendarId });
      if (!connection || !PUSH_SYNCABLE.has(connection.status)) return;
      const config = await em.findOne(SyncConfig, { externalCalendar: connection });
      if (!config?.importEnabled) return;
      await new SyncService(em, deps).sync(em.getReference(Tenant, tenantId), externalCalendarId, false);
    },

    [PUSH_MAINTAIN_TASK]: async (payload, helpers) => {
      const job = payload && typeof payload === 'object' && 'externalCalendarId' in payload ? (payload as PushMaintainJob) : undefined;
      await maintainPushChannels(orm, deps, helpers.logger, job);
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
        (await orm.em.fork().find(SyncConfig, { externalCalendar: { $in: due }, importEnabled: true }, { filters: false })).map((config) => config.externalCalendar.id),
      );
      for (const connection of due) {
        // A tenant whose externalCalendars feature was switched off keeps its connections, unsynced.
        if (!importing.has(connection.id) || !hasFeature(connection.tenant, Feature.EXTERNAL_CALENDARS)) continue;
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

    sync_reaper: async () => {
      await reapStaleRuns(orm, deps);
      await reapStaleExports(orm, deps);
      await deps.queue.collectGarbage();
    },
  };
}
