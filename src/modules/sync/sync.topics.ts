import { publishQuietly, type PubSub } from '../../common/pubsub';
import type { Logger } from '../../common/logger';
import type { SyncRun, SyncRunKind, SyncRunStatus } from './sync-run.entity';
import type { SyncRunCalendar } from './sync-run-calendar';

/** The pub/sub topics of sync runs; also the Redis channel names after `calsync:`. */
export enum SyncTopic {
  SYNC_RUN_CHANGED = 'SYNC_RUN_CHANGED',
}

/** A SyncRun as it is after a transition, a calendar started or a committed page. Instants are ISO 8601 UTC strings. */
export interface SyncRunChangedPayload {
  tenantId: string;
  syncRunId: string;
  resourceId: string;
  /** Null for a run over every connection of the resource. */
  externalCalendarId: string | null;
  kind: SyncRunKind;
  status: SyncRunStatus;
  pages: number;
  fetched: number;
  upserted: number;
  deleted: number;
  skipped: number;
  /** SyncRun.calendars as they are now. */
  calendars: SyncRunCalendar[];
  error: string | null;
  errorCode: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the change was published. */
  occurredAt: string;
}

/** The typed topic map of sync runs (type-graphql `examples/redis-subscriptions`); every payload survives JSON. */
export type SyncTopics = {
  [SyncTopic.SYNC_RUN_CHANGED]: [SyncRunChangedPayload];
};

/** What sync publishes (GraphQL `syncStatusChanged`); call it after the change has committed. Never rejects. */
export interface SyncRunPublisher {
  /** After every status transition of `run`, every change of its calendars (SyncRun.calendars) and every page whose counters were committed. */
  syncRunChanged(run: SyncRun): Promise<void>;
}

/** {@link SyncRunPublisher} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function syncRunPublisher(pubSub: PubSub<SyncTopics>, logger: Logger): SyncRunPublisher {
  return {
    syncRunChanged: (run) =>
      publishQuietly(logger, () =>
        pubSub.publish(SyncTopic.SYNC_RUN_CHANGED, {
          tenantId: run.tenant.id,
          syncRunId: run.id,
          resourceId: run.resource.id,
          externalCalendarId: run.externalCalendar?.id ?? null,
          kind: run.kind,
          status: run.status,
          pages: run.pages,
          fetched: run.fetched,
          upserted: run.upserted,
          deleted: run.deleted,
          skipped: run.skipped,
          calendars: run.calendars,
          error: run.error,
          errorCode: run.errorCode,
          startedAt: run.startedAt?.toISOString() ?? null,
          finishedAt: run.finishedAt?.toISOString() ?? null,
          occurredAt: new Date().toISOString(),
        }),
      ),
  };
}
