import { ProviderError, type CalendarProvider, type ChangeSet, type FetchOptions, type ProviderCredentials } from '../../providers/provider';
import { abortable } from './run-limits';
import { SyncRunKind } from './sync-run.entity';

/**
 * One calendar's answer for a run, as pages:
 * - RANGE and FULL: the whole window (`full`), page by page where the provider pages
 *   (fetchChangePages), else its whole answer as one page;
 * - INCREMENTAL with a cursor: the changes since it, one page (an incremental answer is stored
 *   as a whole: its deletions are weighed against all of its events); an expired cursor
 *   (SYNC_CURSOR_INVALID) falls back to the whole window, never to an error.
 * @throws ProviderError as the provider's fetches.
 */
export async function* changePages(
  provider: CalendarProvider,
  kind: SyncRunKind,
  calendarId: string,
  cursor: string | null,
  access: ProviderCredentials,
  options: FetchOptions,
): AsyncGenerator<ChangeSet> {
  if (kind === SyncRunKind.INCREMENTAL && cursor !== null) {
    let changes: ChangeSet | null = null;
    try {
      changes = await provider.fetchChanges(access, calendarId, cursor, options);
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'SYNC_CURSOR_INVALID')) throw error;
    }
    if (changes) {
      yield changes;
      return;
    }
  }
  if (provider.fetchChangePages) {
    yield* provider.fetchChangePages(access, calendarId, null, options);
  } else if (kind === SyncRunKind.RANGE) {
    const { events, skipped } = await provider.fetchEvents(access, calendarId, options);
    yield { events, skipped, deletedIds: [], nextCursor: null, full: true };
  } else {
    yield await provider.fetchChanges(access, calendarId, null, options);
  }
}

/**
 * The items of `source`, each next one requested as soon as the one before is handed out, so
 * that it is fetched while the caller works on that one: at most two in memory, the one in hand
 * and the one arriving. Every wait stops when `signal` aborts (its reason thrown, a late answer
 * dropped). When the caller stops early, the source is closed without waiting for the item in flight.
 */
export async function* prefetched<T>(source: AsyncIterable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = abortable(iterator.next(), signal);
  let finished = false;
  try {
    for (;;) {
      const result = await next;
      if (result.done) {
        finished = true;
        return;
      }
      next = abortable(iterator.next(), signal);
      yield result.value;
    }
  } finally {
    if (!finished) {
      // The item in flight is not wanted any more: its failure must not be an unhandled rejection.
      next.catch(() => undefined);
      iterator.return?.().catch(() => undefined);
    }
  }
}
