import type { ConsoleRunCalendarFieldsFragment, ConsoleRunFieldsFragment, SyncStatusSubscription } from '../generated';

type Calendar = ConsoleRunCalendarFieldsFragment;
/** A run as last heard: the mutation's answer or the finished row (SyncRun), or a syncStatusChanged event. */
export type HeardRun = ConsoleRunFieldsFragment | (SyncStatusSubscription['syncStatusChanged'] & { id: string });

/** Calendar statuses after which the run is done with a calendar. */
const DONE = new Set(['SUCCEEDED', 'FAILED', 'SKIPPED']);

/**
 * One calendar of a run as a native progress bar named after the calendar: empty while WAITING,
 * indeterminate (no value: the providers do not say how many events a calendar holds) while
 * RUNNING, full once SUCCEEDED, FAILED or SKIPPED; its counters and, for FAILED or SKIPPED, why.
 * `data-status` carries the status for tests and styles.
 */
function CalendarProgress({ calendar, prefix, finished }: { calendar: Calendar; prefix: string; finished: boolean }) {
  const done = DONE.has(calendar.status);
  // A finished run's WAITING calendar was never reached (the run stopped before it).
  const status = finished && calendar.status === 'WAITING' ? 'NOT REACHED' : calendar.status;
  return (
    <li class="progress" data-status={calendar.status}>
      <span>
        {prefix}
        {calendar.name}
      </span>{' '}
      {calendar.status === 'RUNNING' ? (
        <progress aria-label={calendar.name} aria-valuetext="RUNNING" />
      ) : (
        <progress aria-label={calendar.name} aria-valuetext={status} value={done ? 1 : 0} max={1} />
      )}{' '}
      <span class={`status-${calendar.status.toLowerCase()}`}>{status}</span>
      <span class="counters">
        {' '}
        · fetched {calendar.fetched} · stored {calendar.upserted} · deleted {calendar.deleted} · skipped {calendar.skipped}
      </span>
      {calendar.error && <span class="reason"> {calendar.error}</span>}
    </li>
  );
}

/**
 * A run started from the Sync page: a bar over its calendars (done of planned), a bar per calendar
 * (SyncRun.calendars, live from syncStatusChanged), the run's counters and status, its error with
 * its code, and once finished the skipped items with their reasons (from the run's row, `done`).
 * @param title what the run syncs (a connection, or every connection of the resource).
 * @param connectionName names a connection (ExternalCalendar id), for a run over several.
 * @param calendarName names a provider calendar id, for the skip reasons.
 */
export function RunCard({
  run,
  done,
  title,
  connectionName,
  calendarName,
}: {
  run: HeardRun;
  done: ConsoleRunFieldsFragment | undefined;
  title: string;
  connectionName: (externalCalendarId: string) => string;
  calendarName: (providerCalendarId: string) => string;
}) {
  const status = done?.status ?? run.status;
  const finished = !!done;
  const calendars = done?.calendars ?? run.calendars;
  const connections = new Set(calendars.map((c) => c.externalCalendarId));
  const completed = calendars.filter((c) => DONE.has(c.status)).length;
  const error = done?.error ?? run.error;
  return (
    <article class="card run" aria-label={`Sync of ${title}`}>
      <h3>
        {title} <span class="muted">{run.kind}</span>
      </h3>
      <label class="check">
        Calendars done
        <progress value={completed} max={Math.max(calendars.length, 1)} aria-valuetext={`${completed} of ${calendars.length}`} />
        {completed}/{calendars.length}
      </label>
      <ul class="list" aria-label="Calendars of the run">
        {calendars.map((c) => (
          <CalendarProgress
            key={c.providerCalendarId}
            calendar={c}
            finished={finished}
            // Calendars of several connections (a ranged ingest over the resource) may share names.
            prefix={connections.size > 1 ? `${connectionName(c.externalCalendarId)}: ` : ''}
          />
        ))}
      </ul>
      <p class="counters">
        fetched {run.fetched} · stored {run.upserted} · deleted {run.deleted} · skipped {run.skipped}
      </p>
      <p aria-live="polite">
        Status: <strong class={`status-${status.toLowerCase()}`}>{status}</strong>
      </p>
      {error && (
        <p role="alert" class="alert">
          {done?.errorCode ?? run.errorCode ?? 'ERROR'}: {error}
        </p>
      )}
      {done && done.skipReasons.length > 0 && (
        <>
          <h4>Skipped</h4>
          <ul aria-label="Skipped items">
            {done.skipReasons.map((s, i) => (
              <li key={i}>
                {calendarName(s.providerCalendarId)}
                {s.uid ? ` ${s.uid}` : ''}: {s.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
