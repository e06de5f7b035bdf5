import { DateTime } from 'luxon';
import type { Interval } from './intervals';

const MINUTE = 60_000;

/**
 * Bookable slots of `slotMinutes` inside free intervals, starting on a grid of `stepMinutes`
 * counted from local midnight in `timeZone` (so 30-minute steps give :00 and :30 local times).
 * A slot never leaves its free interval.
 */
export function slotsIn(free: Interval[], slotMinutes: number, stepMinutes: number, timeZone: string): Interval[] {
  const slots: Interval[] = [];
  for (const interval of free) {
    const local = DateTime.fromMillis(interval.start, { zone: timeZone });
    const sinceMidnight = local.toMillis() - local.startOf('day').toMillis();
    const step = stepMinutes * MINUTE;
    let start = interval.start + ((step - (sinceMidnight % step)) % step);
    for (; start + slotMinutes * MINUTE <= interval.end; start += step) slots.push({ start, end: start + slotMinutes * MINUTE });
  }
  return slots;
}
