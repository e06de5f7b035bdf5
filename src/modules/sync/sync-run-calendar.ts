import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where a run is with one of its calendars. */
export enum SyncRunCalendarStatus {
  WAITING = 'WAITING',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}
registerEnumType(SyncRunCalendarStatus, {
  name: 'SyncRunCalendarStatus',
  description:
    'WAITING (not reached yet; on a finished run: not reached, the run stopped before it) -> RUNNING -> SUCCEEDED (stored with its cursor) | FAILED (see error) | SKIPPED (left out, see error: still backing off after failed syncs).',
});

/**
 * One provider calendar of a run and its share of the run's counters, in the order the run takes
 * them (by connection, then by calendar name). Stored as JSON on the run, so that `syncRun` and
 * every `syncStatusChanged` event carry the same list.
 */
@ObjectType({ description: "One calendar of a sync run: where the run is with it, and its share of the run's counters." })
export class SyncRunCalendar {
  @Field(() => ID, { description: 'The provider calendar (ProviderCalendar.id).' })
  providerCalendarId!: string;

  @Field(() => ID, { description: 'The connection it belongs to.' })
  externalCalendarId!: string;

  @Field(() => String, { description: 'Its name when the run reached it.' })
  name!: string;

  @Field(() => SyncRunCalendarStatus)
  status!: SyncRunCalendarStatus;

  @Field(() => Int, { description: 'Occurrences read from it; counted once the calendar is stored whole.' })
  fetched!: number;

  @Field(() => Int, { description: 'Occurrences stored that were new or changed, growing chunk by chunk.' })
  upserted!: number;

  @Field(() => Int, { description: 'Stored occurrences removed, growing chunk by chunk.' })
  deleted!: number;

  @Field(() => Int, { description: 'Events of it that could not be read (SyncRun.skipReasons says why), or 1 when the calendar was SKIPPED.' })
  skipped!: number;

  @Field(() => String, { nullable: true, description: 'Why it FAILED or was SKIPPED, for people.' })
  error!: string | null;
}

/** The calendars `run` has not planned yet appended as WAITING, in the order given; the planned ones kept as they are (a resumed run). */
export function plannedCalendars(planned: SyncRunCalendar[], calendars: { id: string; name: string }[], externalCalendarId: string): SyncRunCalendar[] {
  const known = new Set(planned.map((entry) => entry.providerCalendarId));
  const added = calendars
    .filter((calendar) => !known.has(calendar.id))
    .map((calendar) => ({
      providerCalendarId: calendar.id,
      externalCalendarId,
      name: calendar.name,
      status: SyncRunCalendarStatus.WAITING,
      fetched: 0,
      upserted: 0,
      deleted: 0,
      skipped: 0,
      error: null,
    }));
  return added.length > 0 ? [...planned, ...added] : planned;
}

/** `entries` with the one of `providerCalendarId` changed by `change` (a new array; entries are never shared). */
export function withCalendar(
  entries: SyncRunCalendar[],
  providerCalendarId: string,
  change: (entry: SyncRunCalendar) => Partial<SyncRunCalendar>,
): SyncRunCalendar[] {
  return entries.map((entry) => (entry.providerCalendarId === providerCalendarId ? { ...entry, ...change(entry) } : entry));
}
