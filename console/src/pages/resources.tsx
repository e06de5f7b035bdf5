import type { CombinedError } from '@urql/core';
import { useClient } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import {
  CreateResourceDocument,
  ResourcesDocument,
  UpdateResourceDocument,
  type ConsoleResourceFieldsFragment,
  type Weekday,
  type WorkingHoursInput,
} from '../generated';
import { useCanWrite } from '../use-session';

const PAGE_SIZE = 20;
export const WEEKDAYS: [Weekday, string][] = [
  ['MONDAY', 'Monday'],
  ['TUESDAY', 'Tuesday'],
  ['WEDNESDAY', 'Wednesday'],
  ['THURSDAY', 'Thursday'],
  ['FRIDAY', 'Friday'],
  ['SATURDAY', 'Saturday'],
  ['SUNDAY', 'Sunday'],
];

type Resource = ConsoleResourceFieldsFragment;

/** Local times as the API takes them ("09:00", "24:00" for the end of the day), which a type=time input cannot express. */
const TIME_INPUT = { type: 'text', inputMode: 'numeric', pattern: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00', placeholder: 'HH:MM', size: 5 } as const;

/** Every resource of the key, page by page (Relay `first`/`after`); `more` reads the next page. */
export function useResourcePages() {
  const client = useClient();
  const [items, setItems] = useState<Resource[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasNext, setHasNext] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const load = async (after: string | null, reset: boolean) => {
    const result = await client.query(ResourcesDocument, { first: PAGE_SIZE, after }, { requestPolicy: 'network-only' }).toPromise();
    setError(result.error ?? null);
    const page = result.data?.resources;
    if (!page) return;
    setItems((current) => [...(reset ? [] : current), ...page.edges.map((edge) => edge.node)]);
    setCursor(page.pageInfo.endCursor ?? null);
    setHasNext(page.pageInfo.hasNextPage);
  };
  useEffect(() => void load(null, true), []);
  return { items, hasNext, error, more: () => load(cursor, false), reload: () => load(null, true), setItems };
}

export function ResourcesPage() {
  const pages = useResourcePages();
  const [selected, setSelected] = useState<string | null>(null);
  const resource = pages.items.find((r) => r.id === selected) ?? null;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Resources
      </h1>
      <ErrorAlert error={pages.error} />
      <ul class="list" aria-label="Resources">
        {pages.items.map((r) => (
          <li key={r.id}>
            <button type="button" class="link" aria-pressed={r.id === selected} onClick={() => setSelected(r.id)}>
              {r.name}
            </button>
            <span class="muted"> {r.timeZone}</span>
          </li>
        ))}
        {pages.items.length === 0 && !pages.error && <li class="muted">No resources yet.</li>}
      </ul>
      {pages.hasNext && (
        <button type="button" onClick={() => void pages.more()}>
          More
        </button>
      )}
      {resource && (
        <EditResource key={resource.id} resource={resource} onSaved={(saved) => pages.setItems((items) => items.map((r) => (r.id === saved.id ? saved : r)))} />
      )}
      <CreateResource onCreated={(created) => pages.setItems((items) => [...items, created])} />
    </section>
  );
}

function CreateResource({ onCreated }: { onCreated: (resource: Resource) => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [error, setError] = useState<CombinedError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <form
      class="card"
      aria-labelledby="create-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await client.mutation(CreateResourceDocument, { input: { name, timeZone } }).toPromise();
        setError(result.error ?? null);
        if (result.data) {
          onCreated(result.data.createResource);
          setDone(`Created ${result.data.createResource.name}.`);
          setName('');
        } else setDone(null);
      }}
    >
      <h2 id="create-title">New resource</h2>
      <label>
        Name
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} disabled={!canWrite} />
      </label>
      <label>
        Time zone
        <input value={timeZone} required onInput={(e) => setTimeZone(e.currentTarget.value)} disabled={!canWrite} />
      </label>
      <button type="submit" disabled={!canWrite}>
        Create resource
      </button>
      {done && <p role="status">{done}</p>}
      <ErrorAlert error={error} />
    </form>
  );
}

function EditResource({ resource, onSaved }: { resource: Resource; onSaved: (resource: Resource) => void }) {
  const client = useClient();
  const canWrite = useCanWrite();
  const [timeZone, setTimeZone] = useState(resource.timeZone);
  const [before, setBefore] = useState(String(resource.bufferBeforeMinutes));
  const [after, setAfter] = useState(String(resource.bufferAfterMinutes));
  const [hours, setHours] = useState<Record<string, { start: string; end: string }>>(() =>
    Object.fromEntries(WEEKDAYS.map(([day]) => [day, resource.workingHours.find((h) => h.weekday === day) ?? { start: '', end: '' }])),
  );
  const [overrides, setOverrides] = useState(() =>
    resource.dateOverrides.map((o) => ({ date: o.date, hours: o.hours.map((h) => `${h.start}-${h.end}`).join(', ') })),
  );
  const [error, setError] = useState<CombinedError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <form
      class="card"
      aria-labelledby="edit-title"
      onSubmit={async (event) => {
        event.preventDefault();
        setSaved(null);
        const workingHours: WorkingHoursInput[] = [];
        for (const [day, label] of WEEKDAYS) {
          const { start, end } = hours[day];
          if (!start && !end) continue;
          if (!start || !end) {
            setMessage(`BAD_USER_INPUT: ${label} needs both a start and an end (workingHours)`);
            return;
          }
          workingHours.push({ weekday: day, start, end });
        }
        const dateOverrides = [];
        for (const [i, o] of overrides.entries()) {
          const hours = o.hours
            .split(',')
            .map((range) => range.trim())
            .filter(Boolean)
            .map((range) => range.split('-').map((time) => time.trim()));
          if (!o.date || hours.some((range) => range.length !== 2)) {
            setMessage(`BAD_USER_INPUT: date override ${i + 1} needs a date and hours like "09:00-12:00, 13:00-17:00" (or none: closed) (dateOverrides)`);
            return;
          }
          dateOverrides.push({ date: o.date, hours: hours.map(([start, end]) => ({ start, end })) });
        }
        setMessage(null);
        const input = { timeZone, bufferBeforeMinutes: Number(before), bufferAfterMinutes: Number(after), workingHours, dateOverrides };
        const result = await client.mutation(UpdateResourceDocument, { id: resource.id, input }).toPromise();
        setError(result.error ?? null);
        if (result.data) {
          onSaved(result.data.updateResource);
          setSaved(`Saved ${result.data.updateResource.name}.`);
        }
      }}
    >
      <h2 id="edit-title">Edit {resource.name}</h2>
      <fieldset disabled={!canWrite}>
        <label>
          Time zone
          <input value={timeZone} required onInput={(e) => setTimeZone(e.currentTarget.value)} />
        </label>
        <label>
          Buffer before (minutes)
          <input type="number" min="0" value={before} onInput={(e) => setBefore(e.currentTarget.value)} />
        </label>
        <label>
          Buffer after (minutes)
          <input type="number" min="0" value={after} onInput={(e) => setAfter(e.currentTarget.value)} />
        </label>
        <fieldset class="hours">
          <legend>Working hours (local time; leave a day empty for no hours)</legend>
          {WEEKDAYS.map(([day, label]) => (
            <div class="day" key={day}>
              <label>
                {label} start
                <input
                  {...TIME_INPUT}
                  value={hours[day].start}
                  onInput={(e) => setHours({ ...hours, [day]: { ...hours[day], start: e.currentTarget.value } })}
                />
              </label>
              <label>
                {label} end
                <input {...TIME_INPUT} value={hours[day].end} onInput={(e) => setHours({ ...hours, [day]: { ...hours[day], end: e.currentTarget.value } })} />
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset class="hours">
          <legend>Date overrides (local hours of one date; no hours: closed that day)</legend>
          {overrides.map((o, i) => (
            <div class="day" key={i}>
              <label>
                Override {i + 1} date
                <input
                  type="date"
                  value={o.date}
                  required
                  onInput={(e) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, date: e.currentTarget.value } : x)))}
                />
              </label>
              <label>
                Override {i + 1} hours
                <input
                  value={o.hours}
                  placeholder="09:00-12:00, 13:00-17:00"
                  onInput={(e) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, hours: e.currentTarget.value } : x)))}
                />
              </label>
              <button type="button" class="danger" onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}>
                Remove override {i + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setOverrides([...overrides, { date: '', hours: '' }])}>
            Add date override
          </button>
        </fieldset>
        <button type="submit">Save resource</button>
      </fieldset>
      {saved && <p role="status">{saved}</p>}
      <ErrorAlert error={error} message={message} />
    </form>
  );
}
