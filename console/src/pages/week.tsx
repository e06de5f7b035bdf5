import type { CombinedError } from '@urql/core';
import { useClient } from '@urql/preact';
import { DateTime } from 'luxon';
import { useRef, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import { ExplainDocument, type ExplainQuery } from '../generated';
import { ResourceSelectField, useAllResources, useSelectedResource } from '../resource-select';
import { useCanWrite } from '../use-session';
import { WeekGrid, type Moving } from '../week-grid';
import type { WeekCell } from '../week-rows';

// The Appointments page imports the live export status from here.
export { useExportUpdates } from '../week-data';

interface Explained {
  resourceId: string;
  resourceName: string;
  zone: string;
  cell: WeekCell;
  answer: ExplainQuery['explainAvailability'];
}

/**
 * The Week page: one week (Monday to Sunday, chosen by Previous/This/Next or by a date in it) of
 * the resource chosen as "Resource", and of any others ticked under "Side by side", each as its
 * own WeekGrid in its own time zone (side by side where the screen is wide enough, else one
 * under the other). "This week" is today's week in the first resource's zone; the week is a run
 * of local dates, so every grid shows the same dates, each from its own local midnight. Hovering,
 * focusing or tapping a blocked cell shows explainAvailability for its instant below the toolbar.
 */
export function WeekPage() {
  const client = useClient();
  const canWrite = useCanWrite();
  const resources = useAllResources();
  const [resourceId, setResourceId] = useSelectedResource();
  const [besides, setBesides] = useState<string[]>([]);
  const [chosenMonday, setChosenMonday] = useState<string | null>(null);
  const [title, setTitle] = useState('Appointment');
  const [moving, setMoving] = useState<Moving | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [explained, setExplained] = useState<Explained | null>(null);
  /** The latest explanation asked for: the arrow keys pass blocked cells faster than the answers come, and only the last one's is shown. */
  const asked = useRef(0);
  const primary = resources.items.find((r) => r.id === resourceId);
  const zone = primary?.timeZone ?? 'UTC';
  const monday = chosenMonday ?? DateTime.now().setZone(zone).startOf('week').toISODate()!;
  const shift = (weeks: number) => setChosenMonday(DateTime.fromISO(monday).plus({ weeks }).toISODate()!);
  // In the order of the resource list, the "Resource" first.
  const shown = [...(primary ? [primary] : []), ...resources.items.filter((r) => r.id !== resourceId && besides.includes(r.id))];
  const several = shown.length > 1;

  const explain = async ({ resourceId: id, zone: cellZone, cell }: { resourceId: string; zone: string; cell: WeekCell }) => {
    const question = ++asked.current;
    if (explained?.resourceId === id && explained.cell.start === cell.start) return;
    const at = new Date(cell.start).toISOString();
    const result = await client.query(ExplainDocument, { resourceId: id, at }, { requestPolicy: 'network-only' }).toPromise();
    if (question !== asked.current) return;
    setError(result.error ?? null);
    const resourceName = resources.items.find((r) => r.id === id)?.name ?? '';
    if (result.data) setExplained({ resourceId: id, resourceName, zone: cellZone, cell, answer: result.data.explainAvailability });
  };
  const local = (iso: string) => DateTime.fromISO(iso, { zone: explained?.zone }).toFormat('ccc HH:mm');
  const movingName = moving && resources.items.find((r) => r.id === moving.resourceId)?.name;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Week
      </h1>
      <ResourceSelectField value={resourceId} onChange={setResourceId} resources={resources.items} error={resources.error} />
      {resources.items.length > 1 && (
        <fieldset class="besides">
          <legend>Side by side</legend>
          {resources.items
            .filter((r) => r.id !== resourceId)
            .map((r) => (
              <label class="check" key={r.id}>
                <input
                  type="checkbox"
                  checked={besides.includes(r.id)}
                  onChange={(e) => setBesides(e.currentTarget.checked ? [...besides, r.id] : besides.filter((id) => id !== r.id))}
                />
                {r.name} <span class="muted">{r.timeZone}</span>
              </label>
            ))}
        </fieldset>
      )}
      <div class="toolbar">
        <button type="button" onClick={() => shift(-1)}>
          Previous week
        </button>
        <button type="button" onClick={() => setChosenMonday(null)}>
          This week
        </button>
        <button type="button" onClick={() => shift(1)}>
          Next week
        </button>
        <label>
          Week of
          <input
            type="date"
            value={monday}
            onChange={(e) => {
              // An incomplete or cleared date keeps the week shown.
              const day = DateTime.fromISO(e.currentTarget.value);
              if (day.isValid) setChosenMonday(day.startOf('week').toISODate()!);
            }}
          />
        </label>
        <label>
          Title
          <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} disabled={!canWrite} />
        </label>
      </div>
      <p>
        Week of {DateTime.fromISO(monday).toFormat('d LLL yyyy')}, {several ? 'each resource in its own time zone' : `times in ${zone}`}.
      </p>
      {moving && (
        <p role="status">
          Choose a free slot {several ? `of ${movingName} ` : ''}to move “{moving.appointment.title}” to, or{' '}
          <button type="button" onClick={() => setMoving(null)}>
            Stop rescheduling
          </button>
        </p>
      )}
      <ErrorAlert error={error} />
      <div class="explain" aria-live="polite" id="explanation">
        {explained && (
          <p>
            {several ? `${explained.resourceName}, ` : ''}
            {explained.cell.label}: {explained.answer.free ? 'free' : 'blocked by '}
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
      <div class={several ? 'weeks several' : 'weeks'}>
        {shown.map((r) => (
          <WeekGrid
            key={r.id}
            resource={r}
            monday={monday}
            title={title}
            canWrite={canWrite}
            moving={moving}
            onMove={setMoving}
            onExplain={(cell) => void explain(cell)}
          />
        ))}
      </div>
    </section>
  );
}
