import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { Logger } from '../common/logger';
import { RESOURCE_FILTER, TENANT_FILTER, type ResourceFilterParams } from '../db/orm';
import { ExternalCalendarStatus } from '../modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../modules/connections/provider-calendar.entity';
import { SyncConfig } from '../modules/connections/sync-config.entity';
import { SyncRun, SyncRunStatus } from '../modules/sync/sync-run.entity';
import type { ModulePubSub } from '../modules/module-topics';
import { SyncTopic, type SyncRunChangedPayload } from '../modules/sync/sync.topics';
import { Feature, hasFeature, premiumFeatureError } from '../modules/tenancy/features';
import type { Tenant } from '../modules/tenancy/tenant.entity';
import { createDeps, openRuntime, type AppDeps } from '../runtime';
import { startWorker, workerOptions, type WorkerHandle } from '../worker';
import { calendarLines, countersText, progressView, type RunProgress } from './run-progress';

const FINAL: ReadonlySet<SyncRunStatus> = new Set([SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED, SyncRunStatus.CANCELLED]);
const STATUS_ORDER = [SyncRunStatus.QUEUED, SyncRunStatus.RUNNING, SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED, SyncRunStatus.CANCELLED];
/** How often the run's row is read, besides the live events: what ends the wait when the events cannot reach this process. */
const POLL_MS = 1_000;

/** Requests the run on `em` (scoped to the tenant with {@link scopeToTenant}), through the service the GraphQL mutation calls. */
export type StartRun = (em: EntityManager, deps: AppDeps) => Promise<SyncRun>;

/**
 * Scopes `em` to `tenant` as a request with a tenant-wide key is (the default `tenant` and
 * `resource` filters), so that the services it is given see that tenant's rows only.
 * @throws AppError PREMIUM_FEATURE_NOT_ENABLED when the tenant lacks `externalCalendars`, as the
 *   GraphQL gate answers `operation`.
 */
export function scopeToTenant(em: EntityManager, tenant: Tenant, operation: string): void {
  if (!hasFeature(tenant, Feature.EXTERNAL_CALENDARS)) throw premiumFeatureError(Feature.EXTERNAL_CALENDARS, operation);
  em.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
  em.setFilterParams(RESOURCE_FILTER, { resourceId: null } satisfies ResourceFilterParams);
}

/**
 * `sync` and `ingest`: requests a run with `start`, executes it with a graphile-worker runner
 * started in this process for the duration that takes that run's job and no other (`onlyRun`:
 * other runs' flags are forbidden to it, other tasks unknown to it; jobs are taken with SKIP
 * LOCKED, so another worker may take the run first, whose progress then reaches this process
 * through Redis only), and shows
 * its progress from the `syncStatusChanged` topic until it ends; the run's row is read every
 * second too, so that the end is seen whoever runs it. Prints a summary on stdout.
 * @returns 0 when the run SUCCEEDED, 1 when it FAILED or was CANCELLED (its error code and
 *   message on stderr), 130 when interrupted (SIGINT/SIGTERM; the run is left to the workers).
 * @throws what `start` throws (AppError NOT_FOUND, FAILED_PRECONDITION, ...), before any worker starts.
 */
export async function followRun(config: Config, logger: Logger, start: StartRun): Promise<number> {
  const runtime = await openRuntime(config, logger);
  const deps = createDeps(config, runtime.orm, runtime.secrets, logger, runtime.queue);
  const em = runtime.orm.em.fork();
  const view = progressView(process.stdout);
  let worker: WorkerHandle | null = null;
  let shown: RunProgress | null = null;
  let finished: (reason: 'final' | 'interrupted') => void = () => undefined;
  const ended = new Promise<'final' | 'interrupted'>((resolve) => (finished = resolve));
  const show = (progress: RunProgress) => {
    if (shown && !isLater(progress, shown)) return;
    shown = progress;
    view.update(progress);
    if (FINAL.has(progress.status)) finished('final');
  };
  let runId: string | null = null;
  let calendars = 0;
  const events = listen(deps.pubSub, (payload) => payload.syncRunId === runId && show(progressOf(payload, calendars)));
  const interrupt = () => finished('interrupted');
  try {
    const requested = await start(em, deps);
    runId = requested.id;
    calendars = await calendarsOf(em, requested);
    process.stdout.write(`${describe(requested)}\n`);
    show(progressOf(requested, calendars));
    worker = await startWorker(runtime.databaseUrl, runtime.orm, deps, logger, { ...workerOptions(config), schedule: false, onlyRun: requested.id });
    const poll = setInterval(() => {
      void readRun(runtime.orm.em.fork(), requested.id).then(
        (run) => show(progressOf(run, calendars)),
        () => undefined,
      );
    }, POLL_MS);
    process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
    const reason = await ended.finally(() => clearInterval(poll));
    view.stop();
    const run = await readRun(runtime.orm.em.fork(), requested.id);
    if (reason === 'interrupted') {
      process.stderr.write(`Interrupted: run ${run.id} is ${run.status}; a worker takes it up again from its saved cursors.\n`);
      return 130;
    }
    for (const line of calendarLines(run.calendars)) process.stdout.write(`${line}\n`);
    process.stdout.write(`${summary(run, calendars)}\n`);
    if (run.status === SyncRunStatus.SUCCEEDED) return 0;
    process.stderr.write(`${run.status} ${run.errorCode ?? 'INTERNAL_SERVER_ERROR'}: ${run.error ?? 'no reason recorded'}\n`);
    return 1;
  } finally {
    view.stop();
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
    await events.stop();
    await worker?.stop();
    await deps.pubSub.close();
    await runtime.close();
  }
}

/** Subscribes to the runs' topic at once and hands each payload to `onPayload` until stopped. */
function listen(pubSub: ModulePubSub, onPayload: (payload: SyncRunChangedPayload) => void): { stop(): Promise<void> } {
  const iterator = pubSub.subscribe(SyncTopic.SYNC_RUN_CHANGED)[Symbol.asyncIterator]();
  // The in-memory bus subscribes on the first next(): asked now, so that no early event is missed.
  let next = iterator.next();
  const loop = (async () => {
    for (let result = await next; !result.done; result = await next) {
      onPayload(result.value);
      next = iterator.next();
    }
  })().catch(() => undefined);
  return {
    async stop() {
      await iterator.return?.();
      await loop;
    },
  };
}

/** The run's row as committed, whatever the filters of the caller's EntityManager. */
function readRun(em: EntityManager, id: string): Promise<SyncRun> {
  return em.findOneOrFail(SyncRun, { id }, { filters: false });
}

/**
 * How many read calendars the run is expected to go through: those of its connection, or of the
 * resource's connections that import (CONNECTED or ERROR, import enabled), as the worker picks
 * them. Only for the display: a FULL run may find calendars added since.
 */
async function calendarsOf(em: EntityManager, run: SyncRun): Promise<number> {
  const connections = run.externalCalendar
    ? [run.externalCalendar.id]
    : (
        await em.find(SyncConfig, {
          importEnabled: true,
          externalCalendar: { resource: run.resource, status: { $in: [ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR] } },
        })
      ).map((config) => config.externalCalendar.id);
  return em.count(ProviderCalendar, { externalCalendar: { $in: connections }, read: true, removedAt: null });
}

/** The displayed state of a run, from its row or from a live event: the calendars it has planned once it has, the estimate before. */
function progressOf(run: Pick<SyncRun, 'status' | 'pages' | 'fetched' | 'upserted' | 'deleted' | 'skipped' | 'calendars'>, calendars: number): RunProgress {
  const { status, pages, fetched, upserted, deleted, skipped } = run;
  return { status, pages, calendars: Math.max(run.calendars.length > 0 ? run.calendars.length : calendars, pages), fetched, upserted, deleted, skipped };
}

/** Whether `next` is not behind `shown` (events and reads of the row may arrive out of order). */
function isLater(next: RunProgress, shown: RunProgress): boolean {
  const progress = (p: RunProgress) => p.pages + p.fetched + p.upserted + p.deleted + p.skipped;
  const rank = STATUS_ORDER.indexOf(next.status) - STATUS_ORDER.indexOf(shown.status);
  return !FINAL.has(shown.status) && (rank > 0 || (rank === 0 && progress(next) >= progress(shown)));
}

/** `run <id>: FULL of external calendar <id>, window <from> to <to>`. */
function describe(run: SyncRun): string {
  const target = run.externalCalendar ? `external calendar ${run.externalCalendar.id}` : `resource ${run.resource.id}`;
  return `run ${run.id}: ${run.kind} of ${target}, window ${run.windowFrom.toISOString()} to ${run.windowTo.toISOString()}`;
}

/** `SUCCEEDED in 1.2 s: calendars 1/1 fetched 3 stored 3 deleted 0 skipped 1 (1 reason)`. */
function summary(run: SyncRun, calendars: number): string {
  const seconds = run.startedAt && run.finishedAt ? ((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1) : '0.0';
  const reasons = run.skipReasons.length;
  return `${run.status} in ${seconds} s: ${countersText(progressOf(run, calendars))} (${reasons} ${reasons === 1 ? 'reason' : 'reasons'})`;
}
