import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { TENANT_FILTER } from '../../db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../calendars/external-calendar.entity';
import { SyncConfig } from '../calendars/sync-config.entity';
import type { ModuleDeps } from '../module-deps';
import { SYNC_RUN_TASK, type SyncRunJob } from './sync-queue';
import { SyncRun, SyncRunStatus } from './sync-run.entity';
import { HEARTBEAT_INTERVAL_MS, SyncService } from './sync.service';

/** A RUNNING run whose heartbeat is older than this has lost its worker. */
const STALE_AFTER_MS = 6 * HEARTBEAT_INTERVAL_MS;
const DAY_MS = 86_400_000;

/** Every minute: enqueue due syncs, and take over runs whose worker died. */
export const SYNC_CRONTAB = ['* * * * * sync_schedule', '* * * * * sync_reaper'].join('\n');

function tenantScoped(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId });
  return em;
}

/**
 * The worker's tasks (graphile-worker):
 * - `sync_run` executes one SyncRun;
 * - `sync_schedule` enqueues an incremental sync of every CONNECTED connection with import on
 *   whose `nextSyncAt` has come, or a FULL one (the whole window, rolled forward) when the last
 *   full sync is a day old;
 * - `sync_reaper` finds RUNNING runs without a heartbeat, releases their dead worker's jobs so
 *   that another worker retries them, and puts them back to QUEUED: a run is never left RUNNING.
 */
export function syncTasks(orm: MikroORM, deps: ModuleDeps): TaskList {
  return {
    [SYNC_RUN_TASK]: async (payload, helpers) => {
      const { runId, tenantId } = payload as SyncRunJob;
      await new SyncService(tenantScoped(orm, tenantId), deps).execute(runId, helpers.job.locked_by);
    },

    sync_schedule: async () => {
      const now = new Date();
      const due = await orm.em.fork().find(
        ExternalCalendar,
        { status: ExternalCalendarStatus.CONNECTED, $or: [{ nextSyncAt: null }, { nextSyncAt: { $lte: now } }] },
        { filters: false, populate: ['tenant'], limit: 500, orderBy: { nextSyncAt: 'asc' } },
      );
      for (const connection of due) {
        const em = tenantScoped(orm, connection.tenant.id);
        const config = await em.findOne(SyncConfig, { externalCalendar: connection.id });
        if (!config?.importEnabled) continue;
        const full = !connection.lastFullSyncAt || now.getTime() - connection.lastFullSyncAt.getTime() >= DAY_MS;
        // Claimed first, so that an overlapping tick cannot enqueue it twice.
        const claimed = await em.nativeUpdate(
          ExternalCalendar,
          { id: connection.id, nextSyncAt: connection.nextSyncAt },
          { nextSyncAt: new Date(now.getTime() + deps.syncIntervalMinutes * 60_000) },
        );
        if (claimed === 1) await new SyncService(em, deps).sync(connection.tenant, connection.id, full);
      }
    },

    sync_reaper: async () => {
      const em = orm.em.fork();
      const stale = await em.find(
        SyncRun,
        { status: SyncRunStatus.RUNNING, heartbeatAt: { $lt: new Date(Date.now() - STALE_AFTER_MS) } },
        { filters: false },
      );
      const workerIds = [...new Set(stale.map((run) => run.workerId).filter((id): id is string => id !== null))];
      if (workerIds.length > 0) await deps.queue.forceUnlockWorkers(workerIds);
      for (const run of stale) run.status = SyncRunStatus.QUEUED;
      await em.flush();
      await deps.queue.collectGarbage();
    },
  };
}
