import type { CombinedError } from '@urql/core';
import { useClient, useQuery, useSubscription } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from '../errors';
import {
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

type Run = ConsoleRunFieldsFragment;
type Live = SyncStatusSubscription['syncStatusChanged'];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

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
  const [runs, setRuns] = useState<Record<string, Run | (Live & { id: string })>>({});
  const [finished, setFinished] = useState<Record<string, Run>>({});
  const [error, setError] = useState<CombinedError | null>(null);
  const [starting, setStarting] = useState(false);
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
    // Calendars' lastSyncedAt tell which calendars of the run are done.
    refresh();
    for (const event of events) {
      if (!TERMINAL.has(event.status) || fetching.has(event.syncRunId)) continue;
      fetching.add(event.syncRunId);
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
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Sync</h1>
      <ResourceSelect value={resourceId} onChange={setResourceId} />
      <button
        type="button"
        disabled={!canWrite || starting || syncable.length === 0}
        onClick={async () => {
          setStarting(true);
          setError(null);
          setRuns({});
          setFinished({});
          const answers = await Promise.all(syncable.map((c) => client.mutation(SyncNowDocument, { id: c.id }).toPromise()));
          setStarting(false);
          setError(answers.find((a) => a.error)?.error ?? null);
          const started = answers.flatMap((a) => (a.data ? [a.data.syncExternalCalendar] : []));
          setRuns(Object.fromEntries(started.map((run) => [run.id, run])));
          for (const run of started) if (TERMINAL.has(run.status)) setFinished((current) => ({ ...current, [run.id]: run }));
        }}
      >
        Sync now
      </button>
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
        const connection = connections.find(
          (c) => c.id === (('externalCalendarId' in run && run.externalCalendarId) || ('externalCalendar' in run && run.externalCalendar?.id)),
        );
        const done = finished[run.id];
        const status = done?.status ?? run.status;
        const calendars = connection?.providerCalendars.filter((p) => p.read) ?? [];
        const startedAt = run.startedAt ?? ('createdAt' in run ? run.createdAt : null);
        return (
          <article class="card run" key={run.id} aria-label={`Sync of ${connection ? connectionLabel(connection) : run.id}`}>
            <h3>{connection ? connectionLabel(connection) : 'Connection'}</h3>
            {calendars.map((p) => {
              const complete = status === 'SUCCEEDED' || (!!startedAt && !!p.lastSyncedAt && p.lastSyncedAt >= startedAt);
              const value = complete ? 100 : status === 'RUNNING' ? 50 : 0;
              return (
                <div class="progress" key={p.id}>
                  <span>{p.name}</span>
                  <div
                    role="progressbar"
                    aria-label={p.name}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={value}
                    aria-valuetext={complete ? 'done' : status}
                  >
                    <div class={`bar w${value}`} />
                  </div>
                </div>
              );
            })}
            <p class="counters">
              calendars {Math.min(run.pages, calendars.length || run.pages)}/{calendars.length} · fetched {run.fetched} · stored {run.upserted} · deleted{' '}
              {run.deleted} · skipped {run.skipped}
            </p>
            <p aria-live="polite">
              Status: <strong class={`status-${status.toLowerCase()}`}>{status}</strong>
            </p>
            {(done?.error ?? run.error) && (
              <p role="alert" class="alert">
                {done?.errorCode ?? run.errorCode ?? 'ERROR'}: {done?.error ?? run.error}
              </p>
            )}
            {done && done.skipReasons.length > 0 && (
              <>
                <h4>Skipped</h4>
                <ul aria-label="Skipped items">
                  {done.skipReasons.map((s, i) => (
                    <li key={i}>
                      {connection?.providerCalendars.find((p) => p.id === s.providerCalendarId)?.name ?? s.providerCalendarId}
                      {s.uid ? ` ${s.uid}` : ''}: {s.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </article>
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
