import type { EntityManager } from '@mikro-orm/postgresql';
import { storableId } from '../../common/text';
import { overlapsWindowParams, overlapsWindowSql } from '../../common/window';
import type { ChangeSet, NormalizedEvent, TimeWindow } from '../../providers/provider';
import { applyChanges, type EventTarget, type StoreResult } from './event-store';

/**
 * Most occurrences written (upserted or deleted) per transaction. Every write of external events
 * bumps `resource.busy_version` (statement triggers), which locks the resource row until commit:
 * createAppointment and every other write of the resource waits that long. 500 is one INSERT
 * statement of the event store, a few tens of milliseconds.
 */
export const DEFAULT_CHUNK_SIZE = 500;

/** Runs `work` in a transaction of its own, as `EntityManager.transactional` does. */
export type RunInTransaction = <T>(work: (em: EntityManager) => Promise<T>) => Promise<T>;

/** How {@link applyChangesInChunks} commits, and what it tells its caller. */
export interface ChunkOptions {
  /** Most occurrences upserted or deleted per transaction (≥ 1); {@link DEFAULT_CHUNK_SIZE} when absent. */
  chunkSize?: number;
  /**
   * Called inside every transaction, after its writes, with what they changed and whether it is
   * the last transaction of the change set: the caller writes its bookkeeping with it (run
   * counters; on the last, the calendar's cursor), so that it commits or rolls back with them.
   */
  inTransaction(em: EntityManager, changed: StoreResult, last: boolean): Promise<void>;
  /** Called after every transaction has committed, with the same arguments but the EntityManager. */
  committed?(changed: StoreResult, last: boolean): Promise<void> | void;
  /** Checked before every transaction: once aborted, its reason is thrown and the transactions committed stay. */
  signal?: AbortSignal;
}

/** One unit of writing: a slice of the change set whose statements are bounded by the chunk size. */
type Step = { weight: number; write(em: EntityManager): Promise<StoreResult> };

/** Ids read per query when looking for what a full answer no longer holds. */
const SWEEP_PAGE = 5_000;

/**
 * Applies a provider's answer for one calendar as {@link applyChanges} does, but in transactions
 * of at most `chunkSize` occurrences, so that no transaction holds the resource row (busy_version)
 * for longer than one chunk takes. The order keeps the calendar at least as busy as before or
 * after at every commit in between: first every upsert, then every deletion. Each deletion is
 * computed against the whole answer, so the end state is the one a single transaction leaves:
 * - a full answer: the stored ids of the window are read first (pages, outside any transaction),
 *   and those the answer does not hold are deleted by id, chunk by chunk, after the upserts;
 * - an incremental one: `replacedIds` and `deletedIds` in chunks, each keeping the occurrences
 *   of the answer it would otherwise remove (an id both changed and deleted keeps its new version).
 *
 * The rule for cursors: the caller saves the calendar's cursor in the **last** transaction
 * (`inTransaction(em, changed, true)`), after every other chunk of the answer has committed. A
 * crash or an abort before it leaves a prefix of the answer applied and the old cursor; the next
 * sync fetches the same changes again from that cursor, and applying them again is idempotent
 * (upserts rewrite nothing unchanged, deletions of what is gone delete nothing).
 * A change set that fits in one chunk is one transaction, as before.
 * @returns what the whole answer changed.
 * @throws the signal's reason when aborted between transactions; database errors as they come.
 */
export async function applyChangesInChunks(
  runInTransaction: RunInTransaction,
  target: EventTarget,
  window: TimeWindow,
  changes: ChangeSet,
  options: ChunkOptions,
): Promise<StoreResult> {
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const events = uniqueByStoredId(changes.events);
  const steps: Step[] = [];
  for (const slice of slices(events, chunkSize)) {
    steps.push({
      weight: slice.length,
      write: (em) => applyChanges(em, target, window, { events: slice, deletedIds: [], skipped: [], nextCursor: null, full: false }),
    });
  }
  if (changes.full) {
    const missing = await missingIds(runInTransaction, target, window, new Set(events.map((event) => storableId(event.externalId))));
    for (const slice of slices(missing, chunkSize))
      steps.push({ weight: slice.length, write: async (em) => ({ upserted: 0, deleted: await deleteExact(em, target, slice) }) });
  } else {
    const answered = matcher(events);
    for (const slice of slices(changes.replacedIds ?? [], chunkSize)) {
      const keep = answered(slice);
      steps.push({
        weight: slice.length + keep.length,
        write: (em) => applyChanges(em, target, window, { events: keep, deletedIds: [], replacedIds: slice, skipped: [], nextCursor: null, full: false }),
      });
    }
    for (const slice of slices(changes.deletedIds, chunkSize)) {
      const keep = answered(slice);
      steps.push({
        weight: slice.length + keep.length,
        write: (em) => applyChanges(em, target, window, { events: keep, deletedIds: slice, skipped: [], nextCursor: null, full: false }),
      });
    }
  }

  const total: StoreResult = { upserted: 0, deleted: 0 };
  const transactions = pack(steps, chunkSize);
  for (let index = 0; index < transactions.length; index++) {
    const changed = await runTransaction(runInTransaction, transactions[index], options, index === transactions.length - 1);
    total.upserted += changed.upserted;
    total.deleted += changed.deleted;
  }
  return total;
}

/**
 * A full answer stored as it arrives, page by page, with the transactions and the end state of
 * {@link applyChangesInChunks} for the whole answer: every {@link add} upserts the occurrences of a
 * page in chunk transactions (`last` false; an id sent twice keeps its first occurrence, as across
 * one answer), and {@link finish} deletes what the answer did not hold in chunks, its last
 * transaction `last` (one with no writes when nothing is missing), where the caller saves the
 * cursor. Only the stored ids of the answer are kept between pages, not the occurrences.
 */
export class FullAnswerInChunks {
  private readonly seen = new Set<string>();
  private readonly total: StoreResult = { upserted: 0, deleted: 0 };

  constructor(
    private readonly runInTransaction: RunInTransaction,
    private readonly target: EventTarget,
    private readonly window: TimeWindow,
    private readonly options: ChunkOptions,
  ) {}

  /**
   * Upserts one page of the answer, at most `chunkSize` occurrences per transaction.
   * @throws the signal's reason when aborted between transactions; database errors as they come.
   */
  async add(events: NormalizedEvent[]): Promise<void> {
    const fresh = uniqueByStoredId(events).filter((event) => !this.seen.has(storableId(event.externalId)));
    for (const event of fresh) this.seen.add(storableId(event.externalId));
    const steps = slices(fresh, this.chunkSize).map((slice) => ({
      weight: slice.length,
      write: (em: EntityManager) => applyChanges(em, this.target, this.window, { events: slice, deletedIds: [], skipped: [], nextCursor: null, full: false }),
    }));
    await this.commit(steps, false);
  }

  /**
   * Deletes the stored occurrences of the window that no page held, and commits the last transaction.
   * @returns what the whole answer changed.
   */
  async finish(): Promise<StoreResult> {
    const missing = await missingIds(this.runInTransaction, this.target, this.window, this.seen);
    const steps = slices(missing, this.chunkSize).map((slice) => ({
      weight: slice.length,
      write: async (em: EntityManager) => ({ upserted: 0, deleted: await deleteExact(em, this.target, slice) }),
    }));
    await this.commit(steps, true);
    return { ...this.total };
  }

  private get chunkSize(): number {
    return Math.max(1, this.options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  /** The steps in transactions; with `last`, at least one transaction, its last one `last`. */
  private async commit(steps: Step[], last: boolean): Promise<void> {
    const transactions = steps.length > 0 || last ? pack(steps, this.chunkSize) : [];
    for (let index = 0; index < transactions.length; index++) {
      const changed = await runTransaction(this.runInTransaction, transactions[index], this.options, last && index === transactions.length - 1);
      this.total.upserted += changed.upserted;
      this.total.deleted += changed.deleted;
    }
  }
}

/** One transaction of steps with the caller's bookkeeping, checked against the signal first; then `committed`. */
async function runTransaction(runInTransaction: RunInTransaction, steps: Step[], options: ChunkOptions, last: boolean): Promise<StoreResult> {
  options.signal?.throwIfAborted();
  const changed = await runInTransaction(async (em) => {
    const sum: StoreResult = { upserted: 0, deleted: 0 };
    for (const step of steps) {
      const result = await step.write(em);
      sum.upserted += result.upserted;
      sum.deleted += result.deleted;
    }
    await options.inTransaction(em, sum, last);
    return sum;
  });
  await options.committed?.(changed, last);
  return changed;
}

/** The first occurrence of each stored id (as applyChanges keeps it within one call). */
function uniqueByStoredId(events: NormalizedEvent[]): NormalizedEvent[] {
  const unique = new Map<string, NormalizedEvent>();
  for (const event of events) {
    const id = storableId(event.externalId);
    if (!unique.has(id)) unique.set(id, event);
  }
  return [...unique.values()];
}

function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let offset = 0; offset < items.length; offset += size) out.push(items.slice(offset, offset + size));
  return out;
}

/** Consecutive steps grouped into transactions of at most `budget` weight (a heavier step alone); always at least one, maybe empty. */
function pack(steps: Step[], budget: number): Step[][] {
  const groups: Step[][] = [[]];
  let weight = 0;
  for (const step of steps) {
    if (weight > 0 && weight + step.weight > budget) {
      groups.push([]);
      weight = 0;
    }
    groups[groups.length - 1].push(step);
    weight += step.weight;
  }
  return groups;
}

/**
 * For a slice of deleted or replaced ids, the occurrences of the answer that a deletion of them
 * would remove but the answer holds: those with one of these ids, or of a series with one of
 * them. Compared as stored (storableId), as applyChanges compares them.
 */
function matcher(events: NormalizedEvent[]): (ids: string[]) => NormalizedEvent[] {
  const byId = new Map<string, NormalizedEvent[]>();
  const add = (id: string, event: NormalizedEvent) => {
    const list = byId.get(id);
    if (list) list.push(event);
    else byId.set(id, [event]);
  };
  for (const event of events) {
    add(storableId(event.externalId), event);
    if (event.seriesId !== null && storableId(event.seriesId) !== storableId(event.externalId)) add(storableId(event.seriesId), event);
  }
  return (ids) => [...new Set(ids.flatMap((id) => byId.get(storableId(id)) ?? []))];
}

/**
 * The stored ids of the calendar's synced occurrences overlapping the window (the rows a full
 * answer replaces, as applyChanges' deleteMissing selects them) that `keep` lacks, read in pages
 * by id, each page its own short read.
 */
async function missingIds(runInTransaction: RunInTransaction, target: EventTarget, window: TimeWindow, keep: Set<string>): Promise<string[]> {
  const missing: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { external_id: string }[] = await runInTransaction((em) =>
      em.execute(
        `select external_id from external_event
          where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
            and ${overlapsWindowSql('starts_at', 'ends_at')}
            and (?::text is null or external_id > ?)
          order by external_id limit ?`,
        [target.providerCalendarId, ...overlapsWindowParams(window), after, after, SWEEP_PAGE],
      ),
    );
    for (const row of page) if (!keep.has(row.external_id)) missing.push(row.external_id);
    if (page.length < SWEEP_PAGE) return missing;
    after = page[page.length - 1].external_id;
  }
}

/**
 * Deletes the calendar's synced occurrences with exactly these stored ids (never a PARTNER_PUSH
 * event). `= any(array(...))` keeps it an index lookup of (provider_calendar_id, external_id)
 * whatever the statistics say: as `in (select ...)`, a freshly filled calendar was joined in a
 * nested loop, 1.3 s for 1,000 ids among 12,000 rows.
 */
async function deleteExact(em: EntityManager, target: EventTarget, externalIds: string[]): Promise<number> {
  const removed = await em.execute(
    `delete from external_event
      where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
        and external_id = any(array(select jsonb_array_elements_text(?::jsonb)))
      returning id`,
    [target.providerCalendarId, JSON.stringify(externalIds)],
  );
  return removed.length;
}
