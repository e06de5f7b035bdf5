import type { CombinedError } from '@urql/core';
import { useClient, useQuery, useSubscription } from '@urql/preact';
import { DateTime } from 'luxon';
import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import {
  IngestRangeDocument,
  ResourceZoneDocument,
  SyncNowDocument,
  SyncRunDetailDocument,
  SyncRunsDocument,
  SyncStatusDocument,
  type ConsoleRunFieldsFragment,
  type SyncStatusSubscription,
} from '../generated';
import { ResourceSelect, useSelectedResource } from '../resource-select';
import { useCanWrite } from '../use-session';
import { connectionLabel, useConnections } from './connections';
import { RunCard, type HeardRun } from './sync-run-card';

type Run = ConsoleRunFieldsFragment;
type Live = SyncStatusSubscription['syncStatusChanged'];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * The Sync page of a resource: start a sync of its connections ("Sync now", incremental or full)
 * or a ranged ingest over all of them (local dates in the resource's time zone, the last day
 * included), and watch each run live over syncStatusChanged (RunCard); the connections' statuses
 * live over externalCalendarStatusChanged; the resource's past runs.
 */
export function SyncPage() {
  const client = useClient();
  const canWrite = useCanWrite();
  const [resourceId, setResourceId] = useSelectedResource();
  const { connections, error: connectionsError, refresh } = useConnections(resourceId);
  const [history, refetchHistory] = useQuery({
    query: SyncRunsDocument,
    variables: { resourceId, first: 20 },
    pause: !resourceId,
    requestPolicy: 'network-only',
  });
  /** The runs started here, by id, as last heard (mutation answer, then syncStatusChanged events, then the finished row). */
  const [runs, setRuns] = useState<Record<string, HeardRun>>({});
  const [finished, setFinished] = useState<Record<string, Run>>({});
  const [error, setError] = useState<CombinedError | null>(null);
  const [starting, setStarting] = useState(false);
  const [full, setFull] = useState(false);
  const [range, setRange] = useState({ from: '', to: '' });
  const [zone] = useQuery({ query: ResourceZoneDocument, variables: { id: resourceId }, pause: !resourceId });
  const timeZone = zone.data?.resource?.timeZone ?? 'UTC';
  /** Finished runs whose row (skip reasons) was asked for already. */
  const [fetching] = useState(() => new Set<string>());
  const [live] = useSubscription({ query: SyncStatusDocument, variables: { resourceId }, pause: !resourceId }, (latest: Record<string, Live> = {}, event) => ({
    ...latest,
    [event.syncStatusChanged.syncRunId]: event.syncStatusChanged,
  }));
  useEffect(() => setRuns({}), [resourceId]);
  useEffect(() => {
    const events = Object.values(live.data ?? {}).filter((event) => runs[event.syncRunId]);
    if (events.length === 0) return;
    setRuns((current) => {
      const next = { ...current };
      for (const event of events) next[event.syncRunId] = { ...current[event.syncRunId], ...event, id: event.syncRunId };
      return next;
    });
    for (const event of events) {
      if (!TERMINAL.has(event.status) || fetching.has(event.syncRunId)) continue;
      fetching.add(event.syncRunId);
      // The calendars' lastSyncedAt and lastError.
      refresh();
      void client
        .query(SyncRunDetailDocument, { id: event.syncRunId }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((result) => {
          if (result.error) setError(result.error);
          if (result.data?.syncRun) setFinished((current) => ({ ...current, [event.syncRunId]: result.data!.syncRun! }));
          refetchHistory({ requestPolicy: 'network-only' });
        });
    }
  }, [live.data, Object.keys(runs).sort().join()]);
  useEffect(() => {
    // A safety net for events sent before the subscription was established: the runs' rows, every 2 s until they finish.
    const pending = Object.keys(runs).filter((id) => !finished[id]);
    if (pending.length === 0) return;
    const timer = setInterval(() => {
      for (const id of pending) {
        void client
          .query(SyncRunDetailDocument, { id }, { requestPolicy: 'network-only' })
          .toPromise()
          .then((result) => {
            const run = result.data?.syncRun;
            if (!run) return;
            setRuns((current) => (current[id] && !TERMINAL.has(current[id].status) ? { ...current, [id]: run } : current));
            if (TERMINAL.has(run.status)) {
              setFinished((current) => ({ ...current, [id]: run }));
              refresh();
              refetchHistory({ requestPolicy: 'network-only' });
            }
          });
      }
    }, 2000);
    return () => clearInterval(timer);
  }, [Object.keys(runs).sort().join(), Object.keys(finished).sort().join()]);
  const syncable = connections.filter((c) => c.status !== 'DISCONNECTED' && c.status !== 'PENDING');
  /** Shows the runs the mutations started (and the first error with its code), replacing the runs shown before. */
  const start = async (mutations: Promise<{ run: Run | null; error?: CombinedError }>[]) => {
    setStarting(true);
    setError(null);
    setRuns({});
    setFinished({});
    const answers = await Promise.all(mutations);
    setStarting(false);
    setError(answers.find((a) => a.error)?.error ?? null);
    const started = answers.flatMap((a) => (a.run ? [a.run] : []));
    setRuns(Object.fromEntries(started.map((run) => [run.id, run])));
    for (const run of started) if (TERMINAL.has(run.status)) setFinished((current) => ({ ...current, [run.id]: run }));
  };
  const startSync = (id: string) =>
    client
      .mutation(SyncNowDocument, { id, full })
      .toPromise()
      .then((a) => ({ run: a.data?.syncExternalCalendar ?? null, error: a.error }));
  /** A RANGE run over every connection: from the start of the first day to the end of the last, in the resource's zone. */
  const ingest = () =>
    client
      .mutation(IngestRangeDocument, {
        input: {
          resourceId,
          from: DateTime.fromISO(range.from, { zone: timeZone }).toUTC().toISO()!,
          to: DateTime.fromISO(range.to, { zone: timeZone }).plus({ days: 1 }).toUTC().toISO()!,
        },
      })
      .toPromise()
      .then((a) => ({ run: a.data?.ingestExternalEvents ?? null, error: a.error }));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Sync
      </h1>
      <ResourceSelect value={resourceId} onChange={setResourceId} />
      <div class="toolbar">
        <button type="button" disabled={!canWrite || starting || syncable.length === 0} onClick={() => void start(syncable.map((c) => startSync(c.id)))}>
          Sync now
        </button>
        <label class="check">
          <input type="checkbox" checked={full} disabled={!canWrite} onChange={(e) => setFull(e.currentTarget.checked)} /> Full sync (the whole window, not the
          changes)
        </label>
      </div>
      <form
        class="toolbar"
        aria-label="Ingest a range"
        onSubmit={(e) => {
          e.preventDefault();
          void start([ingest()]);
        }}
      >
        <label>
          From
          <input type="date" required value={range.from} disabled={!canWrite} onInput={(e) => setRange({ ...range, from: e.currentTarget.value })} />
        </label>
        <label>
          To (included)
          <input type="date" required value={range.to} disabled={!canWrite} onInput={(e) => setRange({ ...range, to: e.currentTarget.value })} />
        </label>
        <button type="submit" disabled={!canWrite || starting || syncable.length === 0}>
          Ingest range
        </button>
        <span class="muted">Dates in {timeZone}.</span>
      </form>
      {resourceId && syncable.length === 0 && <p class="muted">No connection of this resource can sync.</p>}
      <ErrorAlert error={error ?? connectionsError ?? live.error ?? history.error} />

      <h2>Connections</h2>
      <ul class="list" aria-label="Connection statuses">
        {connections.map((c) => (
          <li key={c.id}>
            {connectionLabel(c)} <span class={`badge status-${c.status.toLowerCase()}`}>{c.status}</span>
            {c.status !== 'CONNECTED' && c.lastError && <span class="reason"> {c.lastError}</span>}
          </li>
        ))}
      </ul>

      {Object.keys(runs).length > 0 && <h2>This sync</h2>}
      {Object.values(runs).map((run) => {
        const connection = connections.find((c) => c.id === ('syncRunId' in run ? run.externalCalendarId : run.externalCalendar?.id));
        return (
          <RunCard
            key={run.id}
            run={run}
            done={finished[run.id]}
            title={connection ? connectionLabel(connection) : 'Every connection of the resource'}
            connectionName={(id) => {
              const named = connections.find((c) => c.id === id);
              return named ? connectionLabel(named) : id;
            }}
            calendarName={(id) => connections.flatMap((c) => c.providerCalendars).find((p) => p.id === id)?.name ?? id}
          />
        );
      })}

      <h2>Past runs</h2>
      <div class="table-wrap">
        <table>
          <caption class="sr-only">Past sync runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Connection</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Fetched</th>
              <th scope="col">Stored</th>
              <th scope="col">Skipped</th>
            </tr>
          </thead>
          <tbody>
            {(history.data?.syncRuns.edges ?? []).map(({ node: run }) => (
              <tr key={run.id}>
                <td>{new Date(run.startedAt ?? run.createdAt).toLocaleString()}</td>
                <td>{run.externalCalendar ? connectionLabel(run.externalCalendar) : '—'}</td>
                <td>{run.kind}</td>
                <td>
                  {run.status}
                  {run.error ? ` (${run.errorCode ?? 'ERROR'}: ${run.error})` : ''}
                </td>
                <td>{run.fetched}</td>
                <td>{run.upserted}</td>
                <td>{run.skipped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
