import { ProviderError } from '../../providers/provider';

/**
 * Why a run stopped at its deadline: a TEMPORARY provider failure (the provider answered too
 * slowly for this run), so that the connection is handled as for an unreachable server — it keeps
 * its status and what was committed, gets `lastError`, and its next scheduled sync backs off.
 */
export class RunDeadlineExceeded extends ProviderError {
  constructor(readonly seconds: number) {
    super(
      'TEMPORARY',
      `The sync stopped at its deadline of ${seconds} s (SYNC_RUN_DEADLINE_SECONDS): the provider answered too slowly. ` +
        'What it committed is kept; the next sync goes on from the saved cursors',
    );
    this.name = 'RunDeadlineExceeded';
  }
}

/** Why a run stopped before its next calendar: the worker running it is shutting down. */
export class WorkerStopping extends Error {
  constructor() {
    super('The worker is shutting down; the run goes on from its saved cursors');
    this.name = 'WorkerStopping';
  }
}

/** What bounds one execution of a run. */
export interface RunLimits {
  /**
   * Aborted when the worker shuts down: the run stops between chunks and throws, and its job is
   * retried (elsewhere) from the saved cursors.
   */
  shutdown?: AbortSignal;
  /**
   * Aborted as soon as the worker begins to shut down, with a {@link WorkerStopping} reason: the
   * run stops before its next calendar, so that what it is fetching now is completed and committed.
   * `shutdown` then cuts a calendar that takes longer.
   */
  drain?: AbortSignal;
  /**
   * Seconds this execution may take (SYNC_RUN_DEADLINE_SECONDS); then the run FAILS with a
   * {@link RunDeadlineExceeded} reason. Unset: no deadline.
   */
  deadlineSeconds?: number;
  /**
   * Bytes this execution may read from tenant-chosen servers (SYNC_RUN_MAX_READ_MB), all its
   * calendars together; then the run FAILS with a ReadBudgetExceeded reason. Unset: no budget.
   */
  maxReadBytes?: number;
}

/** The signals of one execution; call `dispose()` when it ends. */
export interface RunSignals {
  /** Aborted by the shutdown or the deadline, whichever comes first; its reason says which. */
  signal: AbortSignal;
  /** Aborted at the deadline only, with a {@link RunDeadlineExceeded} reason. */
  deadline: AbortSignal;
  /** Checked between calendars: `signal`, or the worker's drain. */
  boundary: AbortSignal;
  dispose(): void;
}

/** Starts the deadline clock of one execution. */
export function startRunSignals(limits: RunLimits): RunSignals {
  const deadline = new AbortController();
  const timer = limits.deadlineSeconds
    ? setTimeout(() => deadline.abort(new RunDeadlineExceeded(limits.deadlineSeconds!)), limits.deadlineSeconds * 1000)
    : null;
  timer?.unref();
  const signal = limits.shutdown ? AbortSignal.any([limits.shutdown, deadline.signal]) : deadline.signal;
  return {
    signal,
    deadline: deadline.signal,
    boundary: limits.drain ? AbortSignal.any([limits.drain, signal]) : signal,
    dispose: () => {
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * `work`, or the signal's reason as soon as it aborts, whichever comes first: the run stops
 * waiting for an adapter that does not honour the signal. A late answer or failure of `work` is
 * dropped (its rejection handled, so that it is never an unhandled rejection).
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
