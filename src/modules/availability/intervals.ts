/** A half-open interval of UTC instants [start, end), in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorts and merges overlapping or touching intervals; empty ones vanish. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** `base` minus every interval of `remove`; both may be unsorted. The result is sorted and merged. */
export function subtractIntervals(base: Interval[], remove: Interval[]): Interval[] {
  const cuts = mergeIntervals(remove);
  const result: Interval[] = [];
  for (const interval of mergeIntervals(base)) {
    let start = interval.start;
    for (const cut of cuts) {
      if (cut.end <= start) continue;
      if (cut.start >= interval.end) break;
      if (cut.start > start) result.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      if (start >= interval.end) break;
    }
    if (start < interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** Intersection of each interval with [start, end). */
export function clipIntervals(intervals: Interval[], bounds: Interval): Interval[] {
  return intervals.map((i) => ({ start: Math.max(i.start, bounds.start), end: Math.min(i.end, bounds.end) })).filter((i) => i.end > i.start);
}
