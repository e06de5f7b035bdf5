import { Presets, SingleBar } from 'cli-progress';
import type { SyncRunStatus } from '../modules/sync/sync-run.entity';
import type { SyncRunCalendar } from '../modules/sync/sync-run-calendar';

/** What the CLI shows of a sync run: its status and counters, and how many calendars it covers. */
export interface RunProgress {
  status: SyncRunStatus;
  /** Calendars fetched and committed so far (SyncRun.pages). */
  pages: number;
  /** Calendars the run is expected to read (at least `pages`). */
  calendars: number;
  fetched: number;
  /** Occurrences stored that were new or changed (SyncRun.upserted). */
  upserted: number;
  deleted: number;
  skipped: number;
}

/** The counters of a run: `calendars 1/3 fetched 120 stored 118 deleted 0 skipped 2`. */
export function countersText(progress: RunProgress): string {
  return `calendars ${progress.pages}/${progress.calendars} fetched ${progress.fetched} stored ${progress.upserted} deleted ${progress.deleted} skipped ${progress.skipped}`;
}

/**
 * One line per calendar of a run (SyncRun.calendars), in the order the run took them:
 * `  Work: SUCCEEDED fetched 120 stored 118 deleted 0 skipped 2`, and for a FAILED or SKIPPED one
 * its reason after ` — `.
 */
export function calendarLines(calendars: SyncRunCalendar[]): string[] {
  return calendars.map(
    (c) => `  ${c.name}: ${c.status} fetched ${c.fetched} stored ${c.upserted} deleted ${c.deleted} skipped ${c.skipped}${c.error ? ` — ${c.error}` : ''}`,
  );
}

/** One plain line of progress: the status, then {@link countersText}. */
export function progressLine(progress: RunProgress): string {
  return `${progress.status} ${countersText(progress)}`;
}

/** Shows a run's progress as it changes; {@link ProgressView.stop} before printing anything else. */
export interface ProgressView {
  update(progress: RunProgress): void;
  stop(): void;
}

/**
 * On a terminal, a cli-progress bar of calendars done out of the total with the event counters,
 * redrawn in place; elsewhere (a pipe, a file, CI logs) one {@link progressLine} per change,
 * repeated lines left out.
 */
export function progressView(stream: NodeJS.WriteStream): ProgressView {
  if (!stream.isTTY) {
    let last = '';
    return {
      update(progress) {
        const line = progressLine(progress);
        if (line !== last) stream.write(`${line}\n`);
        last = line;
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    {
      stream,
      hideCursor: true,
      format: '{bar} calendars {value}/{total} | fetched {fetched} stored {upserted} deleted {deleted} skipped {skipped} | {status}',
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const { pages, calendars, ...payload } = progress;
      if (!started) bar.start(calendars, pages, payload);
      else {
        bar.setTotal(calendars);
        bar.update(pages, payload);
      }
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}
