import type { MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { TENANT_FILTER } from '../../db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { SyncConfig } from '../connections/sync-config.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { SyncService } from '../sync/sync.service';
import { Tenant } from '../tenancy/tenant.entity';
import {
  enqueuePushSync,
  PUSH_LIFECYCLE_TASK,
  PUSH_MAINTAIN_TASK,
  SYNC_PUSH_TASK,
  type PushLifecycleJob,
  type PushMaintainJob,
  type SyncPushJob,
} from './push.jobs';
import { answerLifecycleNotification } from './push-lifecycle';
import { maintainPushChannels } from './push-maintenance';

/** Connections a push notification may sync (as the schedule does); the others wait for their owner. */
const PUSH_SYNCABLE: ReadonlySet<ExternalCalendarStatus> = new Set([ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR]);

/**
 * graphile-worker's crontab lines of push: every 5 minutes, push channels created, renewed and
 * stopped, on the queue of the per-connection maintenance jobs so that two passes never work on
 * one connection at once.
 */
export function pushCrontab(): string[] {
  return [`*/5 * * * * ${PUSH_MAINTAIN_TASK} ?queue=${PUSH_MAINTAIN_TASK}`];
}

/**
 * The push tasks (graphile-worker):
 * - `sync_push` requests an incremental sync of a connection whose provider notified a change
 *   (debounced by enqueuePushSync); a connection that can no longer sync is skipped;
 * - `push_maintain` creates, renews and stops push channels (push-maintenance.ts);
 * - `push_lifecycle` answers a Graph lifecycle notification (push-lifecycle.ts); when the
 *   subscription was gone, a push sync follows, as Graph advises after recreating it.
 */
export function pushTasks(orm: MikroORM, deps: ModuleDeps): TaskList {
  return {
    [SYNC_PUSH_TASK]: async (payload) => {
      const { externalCalendarId, tenantId } = payload as SyncPushJob;
      const em = orm.em.fork();
      em.setFilterParams(TENANT_FILTER, { tenantId });
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

    [PUSH_LIFECYCLE_TASK]: async (payload, helpers) => {
      const job = payload as PushLifecycleJob;
      const em = orm.em.fork();
      em.setFilterParams(TENANT_FILTER, { tenantId: job.tenantId });
      const answer = await answerLifecycleNotification(em, deps, job);
      for (const failure of answer.failures) helpers.logger.warn(`push channels of connection ${job.externalCalendarId}: ${failure}`);
      if (answer.replaced) await enqueuePushSync(deps.queue, { externalCalendarId: job.externalCalendarId, tenantId: job.tenantId });
    },
  };
}
