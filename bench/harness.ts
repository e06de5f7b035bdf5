/**
 * The bench suite's frame (`npm run bench`, bench/run.ts): every measure runs Calsync's way and a
 * baseline doing the same work with bare tools, in the same process and run, and reports both; the
 * table prints their ratio against the goal of issue 17.
 */
import { performance } from 'node:perf_hooks';

/** What the runner gives every measure. */
export interface BenchContext {
  /** A throwaway database of this run, migrated; dropped when the run ends. */
  databaseUrl: string;
  /** Sizes asked for on the command line (`--events 10000,100000`), defaults otherwise. */
  events: number[];
  /** Subscribers of the fan-out measures (`--subscribers`). */
  subscribers: number;
  /** Rounds of each timing; the median is reported (`--rounds`, default 3). */
  rounds: number;
  log(message: string): void;
}

/** One row of the table: Calsync's figure, the baseline's, and the goal for their ratio. */
export interface Measurement {
  measure: string;
  calsync: number;
  baseline: number;
  /** `ms` (lower is better) or `req/s` (higher is better). */
  unit: 'ms' | 'req/s';
  /** The largest ratio that meets the goal (calsync/baseline for ms, baseline/calsync for req/s). */
  goal: number;
  /** What else a reader needs: sizes, statement counts, percentiles. */
  detail?: string;
}

/** A named group of measurements. */
export interface Measure {
  name: string;
  run(context: BenchContext): Promise<Measurement[]>;
}

/** How much slower Calsync is than the baseline: above 1 is slower, whatever the unit. */
export function ratioOf(row: Measurement): number {
  return row.unit === 'req/s' ? row.baseline / row.calsync : row.calsync / row.baseline;
}

/** The median of some numbers (the middle one, or the mean of the two middle ones). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The `p`th percentile (nearest rank) of some numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Milliseconds `work` takes, once. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Times Calsync's way and the baseline alternately, `rounds` times each after one warm-up of
 * each, so that both see the same caches and load; returns the medians in milliseconds.
 * `prepare`, when given, runs untimed before every run of Calsync's way (e.g. to set up the
 * state a cold answer starts from, which a process does once, not per answer).
 */
export async function interleaved(
  rounds: number,
  calsync: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  prepare: () => unknown = () => undefined,
): Promise<{ calsync: number; baseline: number }> {
  await prepare();
  await calsync();
  await baseline();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await prepare();
    ours.push(await timed(calsync));
    theirs.push(await timed(baseline));
  }
  return { calsync: median(ours), baseline: median(theirs) };
}
