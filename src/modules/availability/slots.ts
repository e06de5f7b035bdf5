import { DateTime } from 'luxon';
import type { Interval } from './intervals';

const MINUTE = 60_000;

/**
 * Bookable slots of `slotMinutes` inside free intervals, starting where the local wall clock
 * in `timeZone` is on a grid of `stepMinutes` from midnight (30-minute steps give :00 and :30
 * local times). The grid is read on the wall clock at every slot, so it stays aligned across a
 * DST change inside a free interval. A slot never leaves its free interval.
 */
export function slotsIn(free: Interval[], slotMinutes: number, stepMinutes: number, timeZone: string): Interval[] {
  const slot = slotMinutes * MINUTE;
  const step = stepMinutes * MINUTE;
  /** The first instant at or after `t` whose local wall time is on the grid. */
  const onGrid = (t: number): number => {
    const local = DateTime.fromMillis(t, { zone: timeZone });
    const wall = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
    return t + ((step - (wall % step)) % step);
  };
  const slots: Interval[] = [];
  for (const interval of free) {
    for (let start = onGrid(interval.start); start + slot <= interval.end; start = onGrid(start + step)) slots.push({ start, end: start + slot });
  }
  return slots;
}
