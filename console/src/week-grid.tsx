import type { CombinedError } from '@urql/core';
import { useClient } from '@urql/preact';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorAlert } from './errors';
import { moveInGrid } from './grid-keys';
import { BookDocument, CancelAppointmentDocument, RescheduleDocument, type ConsoleAppointmentFieldsFragment } from './generated';
import { useExportUpdates, useWeekData } from './week-data';
import { weekLayout, type WeekCell } from './week-rows';

type Appointment = ConsoleAppointmentFieldsFragment;

/** Length of a cell and of a booking made by clicking one, minutes. */
export const STEP_MINUTES = 30;

/** An appointment being moved: the next "Move here" in its resource's grid reschedules it. */
export interface Moving {
  resourceId: string;
  appointment: Appointment;
}

/** The cell's controls that can take the focus, in order: a cell without one (a "(no such time)" filler, an appointment's later half hours, or a read-only key's slot) takes it itself. */
const focusables = (td: HTMLTableCellElement): HTMLElement[] => [...td.querySelectorAll<HTMLElement>('button:not(:disabled)')];

/** The cell of the grid's body that holds `target` (or is it): its row and column (0 = Monday), and which of its controls `target` is. */
function positionOf(target: EventTarget | null): { td: HTMLTableCellElement; row: number; column: number; control: number } | null {
  const td = target instanceof Element ? target.closest('td') : null;
  if (!td || !td.closest('tbody')) return null;
  const control = focusables(td).indexOf(target as HTMLElement);
  return { td, row: (td.parentElement as HTMLTableRowElement).sectionRowIndex, column: td.cellIndex - 1, control: Math.max(control, 0) };
}

const overlaps = (start: number, end: number, a: { startsAt: string; endsAt: string }) => Date.parse(a.startsAt) < end && Date.parse(a.endsAt) > start;

/**
 * One resource's week as a table in the resource's time zone, named by a heading with the
 * resource's name and zone. Its rows (weekLayout) follow true instants: on the day clocks go
 * forward the skipped half hours read "(no such time)"; on the day they go back the repeated ones
 * have rows of their own after the first ("02:30 (UTC+1)"), which read "(no such time)" on the
 * other days, and a line above the table names the change. Cells are its working time, external
 * events (untitled ones, i.e. privately imported, as "Busy"), appointments with their export
 * status (live), and free slots to book or to move `moving` to. A blocked cell asks `onExplain` with the cell's instant when it is
 * hovered, focused or tapped. `monday` is an ISO date, the week's first local day in every zone.
 * A booking, move or cancellation is announced in the grid's status line, and the focus, whose
 * button the change removed, goes to what took its place (the appointment's first button, or the
 * freed slot's Book).
 *
 * The table is one tab stop (a roving tabindex, WAI-ARIA's data grid): the control last focused in
 * it (at first the first cell's) has tabIndex 0, every other -1, and the keys of moveInGrid move
 * the focus between the cells: the arrows, Home/End, Ctrl+Home/Ctrl+End, PageUp/PageDown; Left and
 * Right also between an appointment's Reschedule and Cancel; Tab leaves the table. Enter and Space
 * are the buttons' own. A cell without a control takes the focus itself and does nothing.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/grid/
 */
export function WeekGrid({
  resource,
  monday,
  title,
  canWrite,
  moving,
  onMove,
  onExplain,
}: {
  resource: { id: string; name: string; timeZone: string };
  monday: string;
  title: string;
  canWrite: boolean;
  moving: Moving | null;
  onMove: (moving: Moving | null) => void;
  onExplain: (explain: { resourceId: string; zone: string; cell: WeekCell }) => void;
}) {
  const client = useClient();
  const [error, setError] = useState<CombinedError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** The button to focus once the week has been reloaded (its data is no longer `stale`): the one named `name` in the cell starting at `start` (ISO). */
  const [focusNext, setFocusNext] = useState<{ start: string; name: string; stale: unknown } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const { id: resourceId, timeZone: zone } = resource;
  const layout = useMemo(() => weekLayout(monday, zone, STEP_MINUTES), [monday, zone]);
  const from = new Date(layout.days[0].start).toISOString();
  const to = new Date(layout.days[6].end).toISOString();
  const week = useWeekData(resourceId, from, to);
  const exports = useExportUpdates(resourceId);
  const events = (week.data?.events ?? []).filter((e) => e.active && e.status !== 'CANCELLED' && e.transparency !== 'TRANSPARENT');
  const appointments = (week.data?.appointments ?? []).map(exports.apply).filter((a) => a.status !== 'CANCELLED');
  const slots = new Set((week.data?.availability.slots ?? []).map((s) => Date.parse(s.start)));
  const free = (week.data?.availability.free ?? []).map((f) => [Date.parse(f.start), Date.parse(f.end)] as const);
  const movingHere = moving?.resourceId === resourceId ? moving.appointment : null;

  const book = async (cell: WeekCell) => {
    const startsAt = new Date(cell.start).toISOString();
    const endsAt = new Date(cell.start + STEP_MINUTES * 60_000).toISOString();
    const result = movingHere
      ? await client.mutation(RescheduleDocument, { input: { id: movingHere.id, startsAt, endsAt } }).toPromise()
      : await client.mutation(BookDocument, { input: { resourceId, startsAt, endsAt, title } }).toPromise();
    setError(result.error ?? null);
    setDone(result.error ? null : movingHere ? `Moved “${movingHere.title}” to ${cell.label}.` : `Booked “${title}” on ${cell.label}.`);
    if (!result.error) {
      if (movingHere) onMove(null);
      setFocusNext({ start: startsAt, name: 'Reschedule', stale: week.data });
      week.reload();
    }
  };
  const cancel = async (a: Appointment, cell: WeekCell) => {
    const result = await client.mutation(CancelAppointmentDocument, { id: a.id }).toPromise();
    setError(result.error ?? null);
    setDone(result.error ? null : `Cancelled “${a.title}” on ${cell.label}.`);
    if (!result.error) {
      setFocusNext({ start: new Date(cell.start).toISOString(), name: 'Book', stale: week.data });
      week.reload();
    }
  };
  useEffect(() => {
    if (!focusNext || week.data === focusNext.stale) return;
    const buttons = gridRef.current?.querySelectorAll<HTMLButtonElement>(`td[data-start="${focusNext.start}"] button`) ?? [];
    [...buttons].find((b) => b.textContent === focusNext.name)?.focus();
    setFocusNext(null);
  }, [week.data, focusNext]);
  const changes = layout.days.map((d) => d.change).filter((change) => change !== null);
  const nameId = useId();
  const keysId = useId();
  /** Where the table's tab stop is: the cell in row `row` (a WeekRow key) and column `day` (0 = Monday), its `control`-th control. */
  const [stop, setStop] = useState<{ row: string; day: number; control: number }>({ row: '', day: 0, control: 0 });
  // The first cell's until a cell has had the focus, and when its row is not in this week (a clock change's).
  const stopRow = layout.rows.some((row) => row.key === stop.row) ? stop.row : layout.rows[0].key;
  const stopDay = stopRow === stop.row ? stop.day : 0;
  const stopAt = stopRow === stop.row ? stop.control : 0;
  const onFocusCapture = (e: FocusEvent) => {
    const at = positionOf(e.target);
    if (!at) return;
    const row = layout.rows[at.row].key;
    if (row !== stop.row || at.column !== stop.day || at.control !== stop.control) setStop({ row, day: at.column, control: at.control });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.metaKey || e.shiftKey) return;
    const at = positionOf(e.target);
    const body = at?.td.closest('tbody');
    if (!at || !body) return;
    // A cell without a control does nothing (Space would scroll the week).
    if (e.target === at.td && (e.key === ' ' || e.key === 'Enter')) return e.preventDefault();
    const td = (row: number, column: number) => body.rows[row].cells[column + 1];
    const size = { rows: body.rows.length, columns: layout.days.length };
    const next = moveInGrid(e.key, e.ctrlKey, at, size, (row, column) => focusables(td(row, column)).length);
    if (!next) return;
    e.preventDefault();
    const target = td(next.row, next.column);
    const controls = focusables(target);
    (controls[Math.min(next.control, controls.length - 1)] ?? target).focus();
  };

  return (
    <div class="week-grid" ref={gridRef}>
      {/* The table's name, outside its scrolling box so that it stays in sight. */}
      <h2 class="grid-title" id={nameId}>
        {resource.name} <span class="muted">({zone})</span>
      </h2>
      <ErrorAlert error={error ?? week.error ?? exports.error} />
      <p role="status" class="grid-status">
        {done}
      </p>
      {changes.map((change) => (
        <p class="muted clock-change" key={change}>
          {change}
        </p>
      ))}
      <div class="week-wrap">
        <p class="sr-only" id={keysId}>
          Arrow keys move between the cells, Left and Right also between an appointment's two buttons; Home and End to the first and last day, Control+Home and
          Control+End to the first and last cell, Page Up and Page Down by four hours.
        </p>
        <table class="week" role="grid" aria-labelledby={nameId} aria-describedby={keysId} onKeyDown={onKeyDown} onFocusCapture={onFocusCapture}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {layout.days.map((d) => (
                <th scope="col" key={d.date.toISODate()}>
                  {d.date.toFormat('ccc d LLL')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {layout.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                {layout.days.map((d, day) => {
                  const cell = d.cells.get(row.key);
                  const isStop = row.key === stopRow && day === stopDay;
                  if (!cell)
                    return (
                      <td key={d.date.toISODate()} class="skipped" tabIndex={isStop ? 0 : -1}>
                        (no such time)
                      </td>
                    );
                  const { start } = cell;
                  const end = start + STEP_MINUTES * 60_000;
                  const iso = new Date(start).toISOString();
                  const appointment = appointments.find((a) => overlaps(start, end, a));
                  const event = events.find((e) => overlaps(start, end, e));
                  const working = free.some(([s, e]) => s < end && e > start);
                  // Its title is drawn once: in the cell it starts in, or the day's first cell when it began the day before.
                  const first = (a: { startsAt: string }) => Date.parse(a.startsAt) >= start || start === d.start;
                  const isSlot = slots.has(start);
                  const classes = ['cell', appointment ? 'appointment' : event ? 'busy' : isSlot ? 'free' : working ? 'working' : 'closed'].join(' ');
                  // The cell's controls that can take the focus (as focusables finds them), and which of them is the tab stop.
                  const count = appointment ? (first(appointment) && canWrite ? 2 : 0) : isSlot ? (canWrite ? 1 : 0) : 1;
                  const stopControl = isStop ? Math.min(stopAt, count - 1) : -1;
                  const tabIndex = (control: number) => (control === stopControl ? 0 : -1);
                  return (
                    <td key={d.date.toISODate()} class={classes} data-start={iso} tabIndex={count === 0 ? (isStop ? 0 : -1) : undefined}>
                      {appointment && first(appointment) && (
                        <div class="item">
                          <span>{appointment.title}</span>{' '}
                          <span class={`badge export-${appointment.exportStatus.toLowerCase()}`}>{appointment.exportStatus}</span>
                          {appointment.exportError && <span class="reason"> {appointment.exportError}</span>}
                          <button type="button" tabIndex={tabIndex(0)} disabled={!canWrite} onClick={() => onMove({ resourceId, appointment })}>
                            Reschedule
                          </button>
                          <button type="button" class="danger" tabIndex={tabIndex(1)} disabled={!canWrite} onClick={() => void cancel(appointment, cell)}>
                            Cancel
                          </button>
                        </div>
                      )}
                      {!appointment && event && first(event) && (
                        <span class="item">
                          {event.title ?? 'Busy'}
                          {event.calendar ? <span class="muted"> {event.calendar.name}</span> : null}
                        </span>
                      )}
                      {isSlot && !appointment && (
                        <button type="button" tabIndex={tabIndex(0)} disabled={!canWrite} onClick={() => void book(cell)}>
                          {movingHere ? 'Move here' : 'Book'}
                        </button>
                      )}
                      {!isSlot && !appointment && (
                        // A button, so that Enter and Space ask as a click does (focusing it asks already).
                        <button
                          type="button"
                          class="blocked"
                          tabIndex={tabIndex(0)}
                          aria-describedby="explanation"
                          onMouseEnter={() => onExplain({ resourceId, zone, cell })}
                          onFocus={() => onExplain({ resourceId, zone, cell })}
                          onClick={() => onExplain({ resourceId, zone, cell })}
                        >
                          {event || working ? '' : <span aria-hidden="true">·</span>}
                          <span class="sr-only">Why is {cell.label} blocked?</span>
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
