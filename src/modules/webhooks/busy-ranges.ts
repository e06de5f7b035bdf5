/** A changed span of busy time, UTC instants. */
export interface BusyRange {
  from: Date;
  to: Date;
}

/** Most ranges one availability.changed lists; more are sent as the one range that covers them. */
export const MAX_RANGES = 50;

/**
 * The ranges merged: sorted, overlapping or touching ones joined; more than {@link MAX_RANGES}
 * become their bounding range, so that a payload stays small.
 */
export function mergeRanges(ranges: BusyRange[]): BusyRange[] {
  const sorted = [...ranges].sort((a, b) => a.from.getTime() - b.from.getTime());
  const merged: BusyRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.from.getTime() <= last.to.getTime()) {
      if (range.to > last.to) last.to = range.to;
    } else merged.push({ from: range.from, to: range.to });
  }
  if (merged.length <= MAX_RANGES) return merged;
  return [{ from: merged[0]!.from, to: new Date(Math.max(...merged.map((range) => range.to.getTime()))) }];
}
