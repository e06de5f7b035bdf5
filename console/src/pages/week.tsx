import type { CombinedError } from '@urql/core';
import { useClient, useQuery, useSubscription } from '@urql/preact';
import { DateTime } from 'luxon';
import { useMemo, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import {
  AppointmentExportDocument,
  BookDocument,
  CancelAppointmentDocument,
  ExplainDocument,
  RescheduleDocument,
  WeekDocument,
  type ConsoleAppointmentFieldsFragment,
  type ExplainQuery,
} from '../generated';
import { ResourceSelect, useSelectedResource } from '../resource-select';
import { useCanWrite } from '../use-session';

type Appointment = ConsoleAppointmentFieldsFragment;
const STEP_MINUTES = 30;

/** Live export changes of a resource's appointments (appointmentExportChanged), by appointment id. */
export function useExportUpdates(resourceId: string) {
  const [live] = useSubscription(
    { query: AppointmentExportDocument, variables: { resourceId }, pause: !resourceId },
    (latest: Record<string, Partial<Appointment>> = {}, event) => {
      const e = event.appointmentExportChanged;
      return { ...latest, [e.appointmentId]: { status: e.status, exportStatus: e.exportStatus, exportError: e.exportError ?? null, version: e.version } };
    },
  );
  const apply = (a: Appointment): Appointment => {
    const update = live.data?.[a.id];
    return update && (update.version ?? 0) >= a.version ? { ...a, ...update } : a;
  };
  return { apply, error: live.error };
}

const overlaps = (start: number, end: number, a: { startsAt: string; endsAt: string }) => Date.parse(a.startsAt) < end && Date.parse(a.endsAt) > start;

/**
 * A resource's week as a grid in the resource's time zone: rows are local half hours, so a day
 * crossing a DST change has its local times at their true instants (a skipped hour is shown as
 * such, a repeated one once per instant is not drawn twice: luxon resolves the local time).
 */
export function WeekPage() {
  const client = useClient();
  const canWrite = useCanWrite();
  const [resourceId, setResourceId] = useSelectedResource();
  const [weekOffset, setWeekOffset] = useState(0);
  const [title, setTitle] = useState('Appointment');
  const [moving, setMoving] = useState<Appointment | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [explained, setExplained] = useState<{ at: string; answer: ExplainQuery['explainAvailability'] } | null>(null);
  const [zone, setZone] = useState<string | null>(null);
  const weekStart = useMemo(
    () =>
      DateTime.now()
        .setZone(zone ?? 'UTC')
        .startOf('week')
        .plus({ weeks: weekOffset }),
    [zone, weekOffset],
  );
  const from = weekStart.toUTC().toISO()!;
  const to = weekStart.plus({ weeks: 1 }).toUTC().toISO()!;
  const [week, refetch] = useQuery({ query: WeekDocument, variables: { resourceId, from, to }, pause: !resourceId, requestPolicy: 'network-only' });
  const exports = useExportUpdates(resourceId);
  const resource = week.data?.resource;
  if (resource && resource.timeZone !== zone) setZone(resource.timeZone);
  const tz = resource?.timeZone ?? 'UTC';
  const events = (week.data?.externalEvents.edges ?? [])
    .map((e) => e.node)
    .filter((e) => e.active && e.status !== 'CANCELLED' && e.transparency !== 'TRANSPARENT');
  const appointments = (week.data?.appointments.edges ?? []).map((e) => exports.apply(e.node)).filter((a) => a.status !== 'CANCELLED');
  const slots = new Set((week.data?.availability.slots ?? []).map((s) => Date.parse(s.start)));
  const free = (week.data?.availability.free ?? []).map((f) => [Date.parse(f.start), Date.parse(f.end)] as const);
  const days = Array.from({ length: 7 }, (_, i) => weekStart.setZone(tz).plus({ days: i }).startOf('day'));
  const rows = Array.from({ length: (24 * 60) / STEP_MINUTES }, (_, i) => i * STEP_MINUTES);
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  const book = async (start: number) => {
    const startsAt = new Date(start).toISOString();
    const endsAt = new Date(start + STEP_MINUTES * 60_000).toISOString();
    const result = moving
      ? await client.mutation(RescheduleDocument, { input: { id: moving.id, startsAt, endsAt } }).toPromise()
      : await client.mutation(BookDocument, { input: { resourceId, startsAt, endsAt, title } }).toPromise();
    setError(result.error ?? null);
    if (!result.error) {
      setMoving(null);
      refresh();
    }
  };
  const cancel = async (a: Appointment) => {
    const result = await client.mutation(CancelAppointmentDocument, { id: a.id }).toPromise();
    setError(result.error ?? null);
    if (!result.error) refresh();
  };
  const explain = async (at: string) => {
    if (explained?.at === at) return;
    const result = await client.query(ExplainDocument, { resourceId, at }, { requestPolicy: 'network-only' }).toPromise();
    if (result.error) setError(result.error);
    if (result.data) setExplained({ at, answer: result.data.explainAvailability });
  };
  const local = (iso: string) => DateTime.fromISO(iso).setZone(tz).toFormat('ccc HH:mm');

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Week</h1>
      <ResourceSelect value={resourceId} onChange={setResourceId} />
      <div class="toolbar">
        <button type="button" onClick={() => setWeekOffset(weekOffset - 1)}>
          Previous week
        </button>
        <button type="button" onClick={() => setWeekOffset(0)}>
          This week
        </button>
        <button type="button" onClick={() => setWeekOffset(weekOffset + 1)}>
          Next week
        </button>
        <label>
          Title
          <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} disabled={!canWrite} />
        </label>
      </div>
      <p>
        Week of {days[0].toFormat('d LLL yyyy')}, times in {tz}.
      </p>
      {moving && (
        <p role="status">
          Choose a free slot to move “{moving.title}” to, or{' '}
          <button type="button" onClick={() => setMoving(null)}>
            Stop rescheduling
          </button>
        </p>
      )}
      <ErrorAlert error={error ?? week.error ?? exports.error} />
      <div class="explain" aria-live="polite" id="explanation">
        {explained && (
          <p>
            {local(explained.at)}: {explained.answer.free ? 'free' : 'blocked by '}
            {explained.answer.blocks
              .map(
                (b) =>
                  `${b.kind}${b.externalEvent ? ` (${b.externalEvent.title ?? 'Busy'}${b.externalEvent.calendar ? `, ${b.externalEvent.calendar.name}` : ''})` : ''}${
                    b.appointment ? ` (${b.appointment.title})` : ''
                  }${b.start && b.end ? ` ${local(b.start)}–${local(b.end)}` : ''}`,
              )
              .join('; ')}
          </p>
        )}
      </div>
      <div class="week-wrap">
        <table class="week">
          <caption class="sr-only">Week of {resource?.name ?? 'the resource'}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {days.map((d) => (
                <th scope="col" key={d.toISODate()}>
                  {d.toFormat('ccc d LLL')}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((minutes) => (
              <tr key={minutes}>
                <th scope="row">{DateTime.fromObject({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toFormat('HH:mm')}</th>
                {days.map((d) => {
                  const cellStart = d.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
                  // A local time skipped by a DST change: luxon moves it forward an hour.
                  if (cellStart.hour * 60 + cellStart.minute !== minutes || !cellStart.hasSame(d, 'day'))
                    return (
                      <td key={d.toISODate()} class="skipped">
                        (no such time)
                      </td>
                    );
                  const start = cellStart.toMillis();
                  const end = start + STEP_MINUTES * 60_000;
                  const iso = cellStart.toUTC().toISO()!;
                  const appointment = appointments.find((a) => overlaps(start, end, a));
                  const event = events.find((e) => overlaps(start, end, e));
                  const working = free.some(([s, e]) => s < end && e > start);
                  const first = (a: { startsAt: string }) => Date.parse(a.startsAt) >= start || minutes === 0;
                  const isSlot = slots.has(start);
                  const classes = ['cell', appointment ? 'appointment' : event ? 'busy' : isSlot ? 'free' : working ? 'working' : 'closed'].join(' ');
                  return (
                    <td key={d.toISODate()} class={classes} data-start={iso}>
                      {appointment && first(appointment) && (
                        <div class="item">
                          <span>{appointment.title}</span>{' '}
                          <span class={`badge export-${appointment.exportStatus.toLowerCase()}`}>{appointment.exportStatus}</span>
                          {appointment.exportError && <span class="reason"> {appointment.exportError}</span>}
                          <button type="button" disabled={!canWrite} onClick={() => setMoving(appointment)}>
                            Reschedule
                          </button>
                          <button type="button" class="danger" disabled={!canWrite} onClick={() => void cancel(appointment)}>
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
                        <button type="button" disabled={!canWrite} onClick={() => void book(start)}>
                          {moving ? 'Move here' : 'Book'}
                        </button>
                      )}
                      {!isSlot && !appointment && (
                        <span
                          class="blocked"
                          tabIndex={0}
                          aria-describedby="explanation"
                          onMouseEnter={() => void explain(iso)}
                          onFocus={() => void explain(iso)}
                          onClick={() => void explain(iso)}
                        >
                          {event ? '' : working ? '' : '·'}
                          <span class="sr-only">Why is {cellStart.toFormat('ccc HH:mm')} blocked?</span>
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
