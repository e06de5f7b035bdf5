import type { CombinedError } from '@urql/core';
import { useClient, useQuery } from '@urql/preact';
import { DateTime } from 'luxon';
import { useMemo, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import { AppointmentsDocument, CancelAppointmentDocument, RescheduleDocument, type ConsoleAppointmentFieldsFragment } from '../generated';
import { ResourceSelect, useSelectedResource } from '../resource-select';
import { useCanWrite } from '../use-session';
import { useExportUpdates } from './week';

/** A resource's appointments from a week ago to 60 days ahead, export status live; cancel or move one. */
export function AppointmentsPage() {
  const [resourceId, setResourceId] = useSelectedResource();
  const range = useMemo(() => ({ from: DateTime.now().minus({ days: 7 }).toUTC().toISO()!, to: DateTime.now().plus({ days: 60 }).toUTC().toISO()! }), []);
  const [list, refetch] = useQuery({ query: AppointmentsDocument, variables: { resourceId, ...range }, pause: !resourceId, requestPolicy: 'network-only' });
  const exports = useExportUpdates(resourceId);
  const appointments = (list.data?.appointments.edges ?? []).map((e) => exports.apply(e.node));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Appointments
      </h1>
      <ResourceSelect value={resourceId} onChange={setResourceId} />
      <p class="muted">Book a free slot on the Week page; reschedule there by choosing another slot, or here by a new start.</p>
      <ErrorAlert error={list.error ?? exports.error} />
      <ul class="list" aria-label="Appointments">
        {appointments.map((a) => (
          <AppointmentItem key={a.id} appointment={a} onChange={() => refetch({ requestPolicy: 'network-only' })} />
        ))}
        {resourceId && appointments.length === 0 && !list.error && <li class="muted">No appointments in these dates.</li>}
      </ul>
    </section>
  );
}

function AppointmentItem({ appointment: a, onChange }: { appointment: ConsoleAppointmentFieldsFragment; onChange: () => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [error, setError] = useState<CombinedError | null>(null);
  const minutes = (Date.parse(a.endsAt) - Date.parse(a.startsAt)) / 60_000;
  const [start, setStart] = useState(DateTime.fromISO(a.startsAt).toFormat("yyyy-LL-dd'T'HH:mm"));
  const cancelled = a.status === 'CANCELLED';
  return (
    <li class="card" aria-label={a.title}>
      <strong>{a.title}</strong> {DateTime.fromISO(a.startsAt).toFormat('ccc d LLL HH:mm')}–{DateTime.fromISO(a.endsAt).toFormat('HH:mm')}{' '}
      <span class="badge">{a.status}</span> <span class={`badge export-${a.exportStatus.toLowerCase()}`}>{a.exportStatus}</span>
      {a.exportError && <span class="reason"> {a.exportError}</span>}
      {!cancelled && (
        <form
          class="inline"
          onSubmit={async (event) => {
            event.preventDefault();
            const startsAt = DateTime.fromISO(start);
            const input = { id: a.id, startsAt: startsAt.toUTC().toISO()!, endsAt: startsAt.plus({ minutes }).toUTC().toISO()! };
            const result = await client.mutation(RescheduleDocument, { input }).toPromise();
            setError(result.error ?? null);
            if (!result.error) onChange();
          }}
        >
          <fieldset disabled={!canWrite}>
            <label>
              New start (your local time)
              <input type="datetime-local" value={start} required onInput={(e) => setStart(e.currentTarget.value)} />
            </label>
            <button type="submit">Reschedule</button>
            <button
              type="button"
              class="danger"
              onClick={async () => {
                const result = await client.mutation(CancelAppointmentDocument, { id: a.id }).toPromise();
                setError(result.error ?? null);
                if (!result.error) onChange();
              }}
            >
              Cancel
            </button>
          </fieldset>
        </form>
      )}
      <ErrorAlert error={error} />
    </li>
  );
}
