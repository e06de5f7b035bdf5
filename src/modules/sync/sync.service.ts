/**
 * Module `sync`: reading connections into events.
 * - State: SyncRun (kind, window, status, counters, skip reasons, the calendars it completed).
 * - Jobs: sync_run (sync.jobs.ts). Crons: sync_schedule (sync.tasks.ts); its reaper runs in the
 *   worker's sync_reaper. Topics: SYNC_RUN_CHANGED (sync.topics.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, ErrorCode } from '../../common/errors';
import { currentLogScope } from '../../common/logger';
import { keepAlive } from '../../common/lease';
import { metrics } from '../../common/metrics';
import { storableId, storableText } from '../../common/text';
import { requireWindow } from '../../common/validate';
import {
  OAUTH_PROVIDERS,
  ProviderError,
  type ChangeSet,
  type DiscoveredCalendar,
  type FetchOptions,
  type ProviderCredentials,
  type SkippedEvent,
  type TimeWindow,
} from '../../providers/provider';
import { ReadBudget } from '../../providers/read-budget';
import { replaceCalendars } from '../connections/provider-calendar-list';
import { ConnectionService, requireActive } from '../connections/connection.service';
import { toAppError } from '../connections/provider-error';
import { ConnectionCredentials } from '../connections/connection-credentials';
import { ConnectionLifecycle } from '../connections/connection-lifecycle';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { SyncConfig } from '../connections/sync-config.entity';
import { applyChangesInChunks, FullAnswerInChunks, type ChunkOptions } from '../events/chunked-changes';
import type { EventTarget, StoreResult } from '../events/event-store';
import type { ModuleDeps } from '../shared/module-deps';
import type { Resource } from '../resources/resource.entity';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import type { IngestExternalEventsInput } from './ingest.inputs';
import { abortable, startRunSignals, type RunLimits } from './run-limits';
import { runSerialKey } from './sync.jobs';
import { MAX_SKIP_REASONS, SyncRun, SyncRunKind, SyncRunStatus, type SkipReason } from './sync-run.entity';
import { changePages, prefetched } from './change-pages';
import { plannedCalendars, SyncRunCalendarStatus, withCalendar } from './sync-run-calendar';
import { runProvider, syncRunFinished, syncRunStarted } from './sync-run-telemetry';

const DAY_MS = 86_400_000;
const FINAL_STATUSES: ReadonlySet<SyncRunStatus> = new Set([SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED, SyncRunStatus.CANCELLED]);
/** Least time between two live progress events of one calendar's chunks (its last chunk always publishes). */
const PROGRESS_EVERY_MS = 1_000;

/** The sync window of a connection, from now: SyncConfig's days back and ahead. */
export function syncWindow(config: SyncConfig, now = Date.now()): TimeWindow {
  return { from: new Date(now - config.syncWindowDaysBack * DAY_MS), to: new Date(now + config.syncWindowDaysAhead * DAY_MS) };
}

/**
 * Syncs the events of connections into the database. Requests create a QUEUED SyncRun and
 * enqueue it (SyncQueue); a worker then executes it ({@link SyncService.execute}). Three kinds of run:
 * - RANGE (`ingestExternalEvents`, OnSched's createUnavailabilityBulk): the window asked for,
 *   fetched whole; the cursors are left alone.
 * - FULL: the connection's sync window (SyncConfig days back/ahead), fetched whole; the new
 *   cursor (Google syncToken, Graph deltaLink, CalDAV sync-token or object ETags) is stored.
 * - INCREMENTAL: only the changes since the stored cursor; an expired cursor falls back to a
 *   full fetch of the window, never to an error.
 * Each calendar's answer is committed in chunks (applyChangesInChunks: at most 500 occurrences
 * per transaction, so that no transaction holds the resource row for long); its cursor, and the
 * run's counters of it, commit with its last chunk. A crash loses or duplicates nothing: the next
 * run starts from the last saved cursor and applies again, idempotently, what a crashed chunk
 * sequence had begun. A run taken over by another worker goes past the calendars it completed
 * (`completedCalendars`), so their counters are counted once.
 */
export class SyncService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /**
   * Requests an ingest of a window for one connection or every importing connection of a
   * resource, and returns the QUEUED run at once; `syncRun(id)` and the `syncStatusChanged`
   * subscription follow it.
   * @throws AppError BAD_USER_INPUT (ids, window), NOT_FOUND, FAILED_PRECONDITION (nothing to ingest).
   */
  async ingest(tenant: Tenant, input: IngestExternalEventsInput): Promise<SyncRun> {
    const window = requireWindow(input.from, input.to);
    if (Boolean(input.resourceId) === Boolean(input.externalCalendarId)) {
      throw badInput('input.resourceId', 'Give exactly one of resourceId and externalCalendarId');
    }
    if (input.externalCalendarId) {
      const connection = await this.activeConnection(input.externalCalendarId, 'input.externalCalendarId');
      return this.enqueue(tenant, connection.resource, connection, SyncRunKind.RANGE, window);
    }
    const resource = await new ResourceService(this.em).get(input.resourceId!, 'input.resourceId');
    await this.importingConnections(resource);
    return this.enqueue(tenant, resource, null, SyncRunKind.RANGE, window);
  }

  /**
   * Requests a sync of one connection over its sync window (SyncConfig days back/ahead, from
   * now): incremental from the stored cursors, or in full (`full`). Returns the QUEUED run.
   * @throws AppError NOT_FOUND, FAILED_PRECONDITION (disconnected, pending, or waiting for consent).
   */
  async sync(tenant: Tenant, externalCalendarId: string, full: boolean): Promise<SyncRun> {
    const connection = await this.activeConnection(externalCalendarId, 'externalCalendarId');
    if (connection.status === ExternalCalendarStatus.PENDING) {
      throw new AppError(ErrorCode.FAILED_PRECONDITION, `ExternalCalendar '${connection.id}' is waiting for the owner's consent`, 'externalCalendarId');
    }
    const config = await this.em.findOneOrFail(SyncConfig, { externalCalendar: connection });
    return this.enqueue(tenant, connection.resource, connection, full ? SyncRunKind.FULL : SyncRunKind.INCREMENTAL, syncWindow(config));
  }

  private async enqueue(tenant: Tenant, resource: Resource, connection: ExternalCalendar | null, kind: SyncRunKind, window: TimeWindow): Promise<SyncRun> {
    const run = this.em.create(SyncRun, { tenant, resource, externalCalendar: connection, kind, windowFrom: window.from, windowTo: window.to });
    await this.em.flush();
    const { requestId } = currentLogScope();
    await this.deps.queue.enqueue(
      { runId: run.id, tenantId: tenant.id, ...(requestId ? { requestId } : {}) },
      runSerialKey(connection?.id ?? null, resource.id),
    );
    await this.deps.publish.syncRunChanged(run);
    return run;
  }

  /**
   * Waits until the run has finished or `timeoutMs` has passed, and returns it as it is then.
   * Polls the database, so the run may execute in any process.
   */
  async waitFor(runId: string, timeoutMs: number): Promise<SyncRun> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.em.fork().findOneOrFail(SyncRun, { id: runId });
      if (FINAL_STATUSES.has(run.status) || Date.now() >= deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Executes a run, as a worker does: RUNNING with a heartbeat, every connection of it synced
   * calendar by calendar, then SUCCEEDED or FAILED. A run found RUNNING (its first worker died)
   * goes on from the cursors its committed calendars saved, past the calendars it completed. A
   * finished run is left alone.
   * @param workerId the graphile-worker worker holding the job, kept on the run for the reaper.
   * @param limits `shutdown`: aborted when the worker shuts down; the run stops between chunks,
   *   throwing, and its job is retried elsewhere from the saved cursors. `drain`: aborted when the
   *   worker begins to shut down; the run stops before its next calendar, throwing WorkerStopping.
   *   `deadlineSeconds`: then
   *   the run stops waiting for its provider, and FAILS (PROVIDER_UNAVAILABLE, RunDeadlineExceeded)
   *   with what it committed kept; connections it did not reach are left untouched.
   *   `maxReadBytes`: once the run has read that much from CalDAV servers, it FAILS the same way
   *   (ReadBudgetExceeded).
   */
  async execute(runId: string, workerId: string | null, limits: RunLimits = {}): Promise<SyncRun | null> {
    const run = await this.em.findOne(SyncRun, { id: runId }, { populate: ['resource'] });
    if (!run || FINAL_STATUSES.has(run.status)) return run;
    run.status = SyncRunStatus.RUNNING;
    run.startedAt ??= new Date();
    run.heartbeatAt = new Date();
    run.workerId = workerId;
    await this.em.flush();
    await this.deps.publish.syncRunChanged(run);
    const stopHeartbeat = keepAlive(this.deps.heartbeatSeconds, () => this.em.fork().nativeUpdate(SyncRun, { id: run.id }, { heartbeatAt: new Date() }));
    const { signal, deadline, boundary, dispose } = startRunSignals(limits);
    const readBudget = limits.maxReadBytes ? new ReadBudget(limits.maxReadBytes) : undefined;
    try {
      const connections = run.externalCalendar
        ? [await this.em.findOneOrFail(ExternalCalendar, { id: run.externalCalendar.id })]
        : await this.importingConnections(run.resource).catch((error: unknown) => {
            // Its connections went away since the request: nothing is left to sync.
            if (error instanceof AppError && error.code === ErrorCode.FAILED_PRECONDITION) return [];
            throw error;
          });
      const provider = runProvider(connections);
      syncRunStarted(this.deps, run, provider);
      const window = { from: run.windowFrom, to: run.windowTo };
      const lifecycle = new ConnectionLifecycle(this.deps);
      const failures: { connection: ExternalCalendar; error: ProviderError }[] = [];
      for (const connection of connections) {
        // Past the deadline, the connections not reached keep their state: the run alone fails.
        limits.drain?.throwIfAborted();
        if (deadline.aborted) {
          failures.push({ connection, error: deadline.reason as ProviderError });
          continue;
        }
        const error = await this.syncConnection(run, connection, window, lifecycle, { signal, boundary, readBudget });
        if (error) failures.push({ connection, error });
      }
      run.status = failures.length > 0 ? SyncRunStatus.FAILED : SyncRunStatus.SUCCEEDED;
      run.error =
        failures.length > 0
          ? storableText(
              failures.map(({ connection, error }) => `${connection.provider} ${connection.accountEmail ?? connection.id}: ${error.message}`).join('; '),
              4_000,
            )
          : null;
      run.errorCode = failures.length > 0 ? toAppError(failures[0].error).code : null;
      run.finishedAt = new Date();
      await this.em.flush();
      syncRunFinished(this.deps, run, provider);
      await this.deps.publish.syncRunChanged(run);
      await lifecycle.announce();
      return run;
    } finally {
      stopHeartbeat();
      dispose();
    }
  }

  private async activeConnection(id: string, field: string): Promise<ExternalCalendar> {
    const connection = await new ConnectionService(this.em, this.deps).get(id, field);
    requireActive(connection);
    // A CalDAV password may work again (the server recovered); a revoked OAuth grant never does.
    if (connection.status === ExternalCalendarStatus.REAUTH_REQUIRED && OAUTH_PROVIDERS.has(connection.provider)) {
      throw new AppError(
        ErrorCode.FAILED_PRECONDITION,
        `ExternalCalendar '${connection.id}' needs the owner's consent again: ${connection.lastError ?? 'the grant was revoked'}; use regenerateAuthUrl`,
        field,
      );
    }
    return connection;
  }

  /** @throws AppError FAILED_PRECONDITION (vcita's "not registered to any calendar sync") when none imports. */
  private async importingConnections(resource: Resource): Promise<ExternalCalendar[]> {
    const connections = await this.em.find(
      ExternalCalendar,
      { resource, status: { $in: [ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR] } },
      { orderBy: { createdAt: 'asc' } },
    );
    const configs = await this.em.find(SyncConfig, { externalCalendar: { $in: connections }, importEnabled: true });
    const importing = connections.filter((connection) => configs.some((config) => config.externalCalendar.id === connection.id));
    if (importing.length === 0) {
      throw new AppError(ErrorCode.FAILED_PRECONDITION, `Resource '${resource.id}' has no connected external calendar with import enabled`, 'input.resourceId');
    }
    return importing;
  }

  /**
   * Syncs every read calendar of one connection; returns why it failed, or null.
   * - A FULL run first lists the connection's calendars again, unless they are fixed (replaceCalendars: new ones
   *   appear, vanished ones are marked removed and stop syncing).
   * - A calendar that fails for itself (gone, forbidden, a server error on it, an answer that
   *   cannot be read) does not stop the others: its failure is kept on it (`lastError`), and
   *   INCREMENTAL runs leave it alone until `retryAt`, backing off from the sync interval up to a
   *   day, so that a deterministic failure is not retried every few minutes; FULL and RANGE
   *   runs try it at once. The run fails, naming the calendars.
   * - What concerns the whole account stops the connection: refused credentials (AUTH_REVOKED:
   *   REAUTH_REQUIRED), an unreachable or throttling server (TEMPORARY: it stays CONNECTED).
   * The connection is ERROR only when every calendar tried failed.
   */
  private async syncConnection(
    run: SyncRun,
    connection: ExternalCalendar,
    window: TimeWindow,
    lifecycle: ConnectionLifecycle,
    { signal, boundary, readBudget }: { signal: AbortSignal; boundary: AbortSignal; readBudget?: ReadBudget },
  ): Promise<ProviderError | null> {
    const config = await this.em.findOneOrFail(SyncConfig, { externalCalendar: connection });
    // Every connection of a run belongs to the run's resource, loaded with it.
    const resource = run.resource;
    const credentials = new ConnectionCredentials(this.em, this.deps.secrets, this.deps.providers);
    const provider = this.deps.providers.providerFor(connection.provider);
    const failed: { calendar: ProviderCalendar; error: ProviderError }[] = [];
    let succeeded = 0;
    let minIntervalSeconds = 0;
    try {
      let access = await credentials.forProvider(connection);
      // An access token can be revoked before it expires: refresh once, then believe the provider.
      const refreshing = async <T>(call: (current: ProviderCredentials) => Promise<T>): Promise<T> =>
        call(access).catch(async (error: unknown) => {
          if (!(error instanceof ProviderError && error.code === 'AUTH_REVOKED') || !('accessToken' in access)) throw error;
          access = await credentials.forProvider(connection, { forceRefresh: true });
          return call(access);
        });
      const withAccess = <T>(call: (current: ProviderCredentials) => Promise<T>): Promise<T> => abortable(refreshing(call), signal);
      if (run.kind === SyncRunKind.FULL && !provider.fixedCalendars)
        await this.refreshCalendars(connection, await withAccess((current) => provider.listCalendars(current)));
      const calendars = await this.em.find(
        ProviderCalendar,
        { externalCalendar: connection, read: true, removedAt: null },
        { orderBy: { name: 'asc', id: 'asc' } },
      );
      // Written with the first calendar's RUNNING (or skip), one statement the fewer.
      run.calendars = plannedCalendars(run.calendars, calendars, connection.id);
      for (const calendar of calendars) {
        boundary.throwIfAborted();
        // Completed by this run before a takeover (stored with its cursor, or left out with a skip
        // reason): counted already, and not fetched again.
        if (run.completedCalendars.includes(calendar.id)) {
          succeeded++;
          continue;
        }
        if (run.kind === SyncRunKind.INCREMENTAL && calendar.retryAt && calendar.retryAt > new Date()) {
          await this.noteSkipped(
            run,
            calendar,
            `Not retried until ${calendar.retryAt.toISOString()} after ${calendar.failureCount} failed syncs: ${calendar.lastError}`,
          );
          continue;
        }
        const options: FetchOptions = { window, timeZone: resource.timeZone, signal, readBudget };
        await this.markCalendar(run, calendar.id, SyncRunCalendarStatus.RUNNING, null);
        try {
          // Not abortable as a whole: it stops between its transactions, and its fetches stop with the signal.
          const asked = await refreshing((current) => this.syncCalendar(run, connection, calendar, resource, config, window, current, options, signal));
          minIntervalSeconds = Math.max(minIntervalSeconds, asked);
          succeeded++;
        } catch (error) {
          if (!(error instanceof ProviderError) || error.code === 'AUTH_REVOKED' || error.code === 'TEMPORARY') throw error;
          await this.calendarFailed(run, calendar, error);
          metrics.providerErrors.inc({ provider: connection.provider, code: error.code });
          failed.push({ calendar, error });
        }
      }
      connection.lastSyncedAt = new Date();
      if (failed.length === 0) {
        connection.lastError = null;
        lifecycle.synced(connection);
        this.reschedule(run, connection, null, minIntervalSeconds);
        return null;
      }
      const error = new ProviderError(failed[0].error.code, failed.map(({ calendar, error }) => `calendar '${calendar.name}': ${error.message}`).join('; '));
      connection.lastError = error.message;
      lifecycle.syncFailed(connection, error.code, { someCalendarsSynced: succeeded > 0 });
      // The calendars back off on their own; the others keep the connection's pace.
      this.reschedule(run, connection, succeeded === 0 ? error : null, minIntervalSeconds);
      return error;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // The account's failure ends the calendar of this connection the run was in (a crash leaves it RUNNING for the takeover).
      const running = run.calendars.find((entry) => entry.externalCalendarId === connection.id && entry.status === SyncRunCalendarStatus.RUNNING);
      if (running) await this.markCalendar(run, running.providerCalendarId, SyncRunCalendarStatus.FAILED, error.message);
      metrics.providerErrors.inc({ provider: connection.provider, code: error.code });
      connection.lastError = error.message;
      // A temporary failure leaves the connection CONNECTED; refused credentials need the owner.
      lifecycle.syncFailed(connection, error.code, { someCalendarsSynced: false });
      this.reschedule(run, connection, error);
      return error;
    }
  }

  /** The daily look at the provider's calendar list, committed before the calendars are synced. */
  private async refreshCalendars(connection: ExternalCalendar, discovered: DiscoveredCalendar[]): Promise<void> {
    const changed = await this.em.transactional((em) => replaceCalendars(em, em.getReference(ExternalCalendar, connection.id), discovered, this.deps));
    for (const appointment of changed) await this.deps.publish.appointmentExportChanged(appointment);
  }

  /**
   * Keeps a calendar's failure on it and moves its next incremental attempt back: interval x
   * 2^(failures - 1), at most a day; the run's entry of it is FAILED with the reason.
   */
  private async calendarFailed(run: SyncRun, calendar: ProviderCalendar, error: ProviderError): Promise<void> {
    const failureCount = calendar.failureCount + 1;
    const delay = Math.min(DAY_MS, this.deps.syncIntervalMinutes * 60_000 * 2 ** (failureCount - 1));
    Object.assign(calendar, { failureCount, lastError: error.message, retryAt: new Date(Date.now() + delay) });
    await this.em.fork().nativeUpdate(ProviderCalendar, { id: calendar.id }, { failureCount, lastError: calendar.lastError, retryAt: calendar.retryAt });
    await this.markCalendar(run, calendar.id, SyncRunCalendarStatus.FAILED, error.message);
  }

  /** Sets a calendar's status and error in the run's calendars (SyncRun.calendars), writes them and tells the subscribers. */
  private async markCalendar(run: SyncRun, providerCalendarId: string, status: SyncRunCalendarStatus, error: string | null): Promise<void> {
    run.calendars = withCalendar(run.calendars, providerCalendarId, () => ({ status, error }));
    await this.em.fork().nativeUpdate(SyncRun, { id: run.id }, { calendars: run.calendars });
    await this.deps.publish.syncRunChanged(run);
  }

  /** Records on the run that a calendar was left out, with why; a takeover does not count it again. */
  private async noteSkipped(run: SyncRun, calendar: ProviderCalendar, reason: string): Promise<void> {
    run.skipped += 1;
    if (run.skipReasons.length < MAX_SKIP_REASONS) run.skipReasons = [...run.skipReasons, { providerCalendarId: calendar.id, uid: null, reason }];
    run.completedCalendars = [...run.completedCalendars, calendar.id];
    run.calendars = withCalendar(run.calendars, calendar.id, () => ({ status: SyncRunCalendarStatus.SKIPPED, skipped: 1, error: reason }));
    await this.em
      .fork()
      .nativeUpdate(
        SyncRun,
        { id: run.id },
        { skipped: run.skipped, skipReasons: run.skipReasons, completedCalendars: run.completedCalendars, calendars: run.calendars },
      );
    await this.deps.publish.syncRunChanged(run);
  }

  /**
   * The scheduler's bookkeeping after a FULL or INCREMENTAL run (a RANGE run asked for by a
   * client leaves it alone): the next sync after the interval, pushed back exponentially
   * (interval x 2^failures, at most a day) while syncs keep failing, and never sooner than the
   * provider's `retryAfterSeconds` (a Retry-After, or hours for Google's quota reasons, too long
   * for the in-request retry) nor than the source's `minIntervalSeconds` (an ICS feed's
   * REFRESH-INTERVAL, RFC 7986 section 5.7, at most a day).
   */
  private reschedule(run: SyncRun, connection: ExternalCalendar, error: ProviderError | null, minIntervalSeconds = 0): void {
    if (run.kind === SyncRunKind.RANGE) return;
    const now = Date.now();
    connection.failureCount = error ? connection.failureCount + 1 : 0;
    if (!error && run.kind === SyncRunKind.FULL) connection.lastFullSyncAt = new Date(now);
    const backoff = Math.min(DAY_MS, this.deps.syncIntervalMinutes * 60_000 * 2 ** connection.failureCount);
    // A feed's REFRESH-INTERVAL is a floor, capped at a day so that a feed asking for weeks is still read daily.
    const delay = Math.max(backoff, (error?.retryAfterSeconds ?? 0) * 1000, Math.min(DAY_MS, minIntervalSeconds * 1000));
    connection.nextSyncAt = new Date(now + delay);
  }

  /**
   * Fetches and stores one calendar's answer (changePages), each page fetched while the one
   * before is stored (prefetched): a full answer page by page (FullAnswerInChunks), so that the
   * run holds two pages at most, not the calendar; an incremental one as a whole (store).
   * @returns the seconds the source asks not to be read again sooner (0: no wish).
   */
  private async syncCalendar(
    run: SyncRun,
    connection: ExternalCalendar,
    calendar: ProviderCalendar,
    resource: Resource,
    config: SyncConfig,
    window: TimeWindow,
    access: ProviderCredentials,
    options: FetchOptions,
    signal: AbortSignal,
  ): Promise<number> {
    const provider = this.deps.providers.providerFor(connection.provider);
    const cursor = run.kind === SyncRunKind.INCREMENTAL ? calendar.syncCursor : null;
    const answer: AnswerTally = { fetched: 0, skipped: 0, skipReasons: [], nextCursor: null };
    let full: FullAnswerInChunks | null = null;
    let minIntervalSeconds = 0;
    for await (const page of prefetched(changePages(provider, run.kind, calendar.providerCalendarId, cursor, access, options), signal)) {
      minIntervalSeconds = Math.max(minIntervalSeconds, page.minIntervalSeconds ?? 0);
      if (!page.full) {
        await this.store(run, connection, calendar, resource, config, window, page, signal);
        continue;
      }
      this.tally(run, calendar, answer, page);
      full ??= new FullAnswerInChunks((work) => this.em.fork().transactional(work), this.targetOf(run, connection, calendar, resource, config), window, {
        signal,
        ...this.bookkeeping(run, connection, calendar, answer),
      });
      await full.add(page.events);
    }
    await full?.finish();
    return minIntervalSeconds;
  }

  /** Adds a page of a full answer to its tally: counts, the skip reasons the run has room for, the cursor. */
  private tally(run: SyncRun, calendar: ProviderCalendar, answer: AnswerTally, page: ChangeSet): void {
    answer.fetched += page.events.length;
    answer.skipped += page.skipped.length;
    answer.skipReasons.push(...skipReasonsOf(calendar, page.skipped, MAX_SKIP_REASONS - run.skipReasons.length - answer.skipReasons.length));
    answer.nextCursor = page.nextCursor;
  }

  private targetOf(run: SyncRun, connection: ExternalCalendar, calendar: ProviderCalendar, resource: Resource, config: SyncConfig): EventTarget {
    return {
      tenantId: run.tenant.id,
      resourceId: resource.id,
      externalCalendarId: connection.id,
      providerCalendarId: calendar.id,
      privateImport: config.privateImport,
    };
  }

  /**
   * Stores one calendar's incremental answer in chunks (applyChangesInChunks), with the run's
   * bookkeeping of {@link bookkeeping}.
   */
  private async store(
    run: SyncRun,
    connection: ExternalCalendar,
    calendar: ProviderCalendar,
    resource: Resource,
    config: SyncConfig,
    window: TimeWindow,
    changes: ChangeSet,
    signal: AbortSignal,
  ): Promise<void> {
    const answer: AnswerTally = { fetched: 0, skipped: 0, skipReasons: [], nextCursor: null };
    this.tally(run, calendar, answer, changes);
    await applyChangesInChunks((work) => this.em.fork().transactional(work), this.targetOf(run, connection, calendar, resource, config), window, changes, {
      signal,
      ...this.bookkeeping(run, connection, calendar, answer),
    });
  }

  /**
   * The run's bookkeeping of one calendar's answer, in its chunk transactions, kept right across
   * takeovers: `upserted` and `deleted` grow with every committed chunk (those writes happened,
   * and a resumed run finds them done and does not count them again); `pages`, `fetched`,
   * `skipped` and the skip reasons (from `answer`, complete by then) are counted with the last
   * chunk only, together with the cursor and the calendar's place in `completedCalendars`, since
   * a run resumed mid-calendar fetches it again. Subscribers hear of the chunks at most once a
   * second from the start of the answer, and always of the last.
   */
  private bookkeeping(
    run: SyncRun,
    connection: ExternalCalendar,
    calendar: ProviderCalendar,
    answer: AnswerTally,
  ): Pick<ChunkOptions, 'inTransaction' | 'committed'> {
    /** The run's counters once a chunk has committed; assigned to `run` only then. */
    const countersAfter = (changed: StoreResult, last: boolean) => ({
      upserted: run.upserted + changed.upserted,
      deleted: run.deleted + changed.deleted,
      calendars: withCalendar(run.calendars, calendar.id, (entry) => ({
        upserted: entry.upserted + changed.upserted,
        deleted: entry.deleted + changed.deleted,
        ...(last ? { fetched: answer.fetched, skipped: answer.skipped, status: SyncRunCalendarStatus.SUCCEEDED } : {}),
      })),
      ...(last
        ? {
            pages: run.pages + 1,
            fetched: run.fetched + answer.fetched,
            skipped: run.skipped + answer.skipped,
            skipReasons: [...run.skipReasons, ...answer.skipReasons],
            completedCalendars: [...run.completedCalendars, calendar.id],
          }
        : {}),
    });
    // Counted from the start of the answer: one that is stored within a second is heard of once, with its last chunk.
    let publishedAt = Date.now();
    // Each chunk in a fork of its own: `em.transactional` on this.em would flush this.em's copy of
    // `run` at commit, writing its counters of the previous chunk over the ones just written.
    return {
      inTransaction: async (em, changed, last) => {
        // A chunk that wrote nothing leaves the counters as they are (the heartbeat has its own timer): a re-sync with no change writes only its last chunk.
        if (last || changed.upserted > 0 || changed.deleted > 0)
          await em.nativeUpdate(SyncRun, { id: run.id }, { ...countersAfter(changed, last), heartbeatAt: new Date() });
        if (!last) return;
        // A RANGE run leaves the cursor to the incremental syncs, which may be running beside it.
        const cursor = run.kind === SyncRunKind.RANGE ? {} : { syncCursor: answer.nextCursor };
        await em.nativeUpdate(ProviderCalendar, { id: calendar.id }, { lastSyncedAt: new Date(), lastError: null, failureCount: 0, retryAt: null, ...cursor });
      },
      committed: async (changed, last) => {
        Object.assign(run, countersAfter(changed, last));
        countStored(connection.provider, changed, last ? answer.fetched : 0);
        if (!last && Date.now() - publishedAt < PROGRESS_EVERY_MS) return;
        publishedAt = Date.now();
        await this.deps.publish.syncRunChanged(run);
      },
    };
  }
}

/** What a calendar's answer held, summed over its pages, for the run's counters of its last chunk. */
interface AnswerTally {
  fetched: number;
  skipped: number;
  /** As many as the run has room for. */
  skipReasons: SkipReason[];
  nextCursor: string | null;
}

/** Skip reasons quote provider text (UIDs, TZIDs), which may hold NUL: jsonb refuses it. */
function skipReasonsOf(calendar: ProviderCalendar, skipped: SkippedEvent[], room: number): SkipReason[] {
  return skipped
    .slice(0, Math.max(0, room))
    .map((skip) => ({ providerCalendarId: calendar.id, uid: skip.uid && storableId(skip.uid), reason: storableText(skip.reason, 1_000) }));
}

/** The events metrics of one committed chunk: what it wrote, and what its calendar's answer held (with the last chunk). */
function countStored(provider: string, changed: StoreResult, fetched: number): void {
  metrics.eventsStored.inc({ provider }, changed.upserted);
  metrics.eventsDeleted.inc({ provider }, changed.deleted);
  if (fetched > 0) metrics.eventsFetched.inc({ provider }, fetched);
}
