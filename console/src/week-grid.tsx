import type { CombinedError } from '@urql/core';
import { useClient } from '@urql/preact';
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorAlert } from './errors';
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
        <table class="week" aria-labelledby={nameId}>
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
                {layout.days.map((d) => {
                  const cell = d.cells.get(row.key);
                  if (!cell)
                    return (
                      <td key={d.date.toISODate()} class="skipped">
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
                  return (
                    <td key={d.date.toISODate()} class={classes} data-start={iso}>
                      {appointment && first(appointment) && (
                        <div class="item">
                          <span>{appointment.title}</span>{' '}
                          <span class={`badge export-${appointment.exportStatus.toLowerCase()}`}>{appointment.exportStatus}</span>
                          {appointment.exportError && <span class="reason"> {appointment.exportError}</span>}
                          <button type="button" disabled={!canWrite} onClick={() => onMove({ resourceId, appointment })}>
                            Reschedule
                          </button>
                          <button type="button" class="danger" disabled={!canWrite} onClick={() => void cancel(appointment, cell)}>
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
                        <button type="button" disabled={!canWrite} onClick={() => void book(cell)}>
                          {movingHere ? 'Move here' : 'Book'}
                        </button>
                      )}
                      {!isSlot && !appointment && (
                        // A button, so that Enter and Space ask as a click does (focusing it asks already).
                        <button
                          type="button"
                          class="blocked"
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
