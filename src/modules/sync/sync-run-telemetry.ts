import { metrics } from '../../common/metrics';
import type { ModuleDeps } from '../shared/module-deps';
import type { SyncRun } from './sync-run.entity';

/** The provider label of a run: its connections' provider, `multiple` when they differ, `none` when it has none. */
export function runProvider(connections: readonly { provider: string }[]): string {
  const providers = new Set(connections.map((connection) => connection.provider));
  if (providers.size === 0) return 'none';
  return providers.size === 1 ? [...providers][0] : 'multiple';
}

/** The ids and shape of a run, as its log lines carry them: no titles, accounts or URLs. */
function runFields(run: SyncRun, provider: string) {
  return {
    syncRunId: run.id,
    kind: run.kind,
    status: run.status,
    tenantId: run.tenant.id,
    resourceId: run.resource.id,
    externalCalendarId: run.externalCalendar?.id ?? null,
    provider,
  };
}

/** Logs at info that a worker started (or, after a takeover, resumed) a run: `sync run started`. */
export function syncRunStarted(deps: ModuleDeps, run: SyncRun, provider: string): void {
  deps.logger.info({ ...runFields(run, provider), takeovers: run.takeovers }, 'sync run started');
}

/**
 * Logs at info that a run finished (`sync run finished`: its ids, status, counters, `durationMs`
 * from its first start, and `errorCode` when it failed), and counts it in `calsync_sync_runs_total`
 * and `calsync_sync_run_duration_seconds`. Call it once per run, when its final status has committed.
 * @param provider {@link runProvider} of its connections; unset: its connection's provider (loaded
 *   with the run), `unknown` for a run over every connection of a resource.
 */
export function syncRunFinished(deps: ModuleDeps, run: SyncRun, provider = run.externalCalendar?.provider ?? 'unknown'): void {
  const durationMs = run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null;
  const counters = { pages: run.pages, fetched: run.fetched, upserted: run.upserted, deleted: run.deleted, skipped: run.skipped };
  deps.logger.info({ ...runFields(run, provider), counters, durationMs, errorCode: run.errorCode }, 'sync run finished');
  const labels = { kind: run.kind, status: run.status, provider };
  metrics.syncRuns.inc(labels);
  if (durationMs !== null) metrics.syncRunDuration.observe(labels, durationMs / 1000);
}
