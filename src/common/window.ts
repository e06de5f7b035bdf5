/**
 * The one rule for "is this event in the window", for every adapter that clips, for the stored
 * events a window selects, and for working time. Events and windows are half-open, [start, end)
 * and [from, to): they overlap when `start < to && end > from`. A zero-length event at `t` (a
 * VEVENT without DTEND, a zero DURATION, a 0-minute Google or Graph event) is in the window when
 * `from <= t < to`, as CalDAV's time-range filter has it: it belongs to the window it starts in,
 * and a window ending at `t` does not hold it.
 * @see https://www.rfc-editor.org/rfc/rfc4791#section-9.9
 */

/** Whether [start, end) is in [from, to), instants in epoch milliseconds (see the rule above). */
export function overlapsWindow(start: number, end: number, from: number, to: number): boolean {
  return start < to && (end > from || (end === start && start >= from));
}

/** {@link overlapsWindow} for an event's `startsAt`/`endsAt` and a window's `from`/`to`. */
export function eventInWindow(event: { startsAt: Date; endsAt: Date }, window: { from: Date; to: Date }): boolean {
  return overlapsWindow(event.startsAt.getTime(), event.endsAt.getTime(), window.from.getTime(), window.to.getTime());
}

/**
 * The same rule in SQL over a start and an end `timestamptz` column, with four `?` parameters
 * that {@link overlapsWindowParams} gives in order. The range form lets PostgreSQL use a GiST
 * index on `tstzrange(start, end, '[)')`.
 */
export function overlapsWindowSql(start: string, end: string): string {
  return `(tstzrange(${start}, ${end}, '[)') && tstzrange(?, ?, '[)') or (${start} = ${end} and ${start} >= ? and ${start} < ?))`;
}

/** The parameters of {@link overlapsWindowSql}. */
export function overlapsWindowParams(window: { from: Date; to: Date }): Date[] {
  return [window.from, window.to, window.from, window.to];
}
