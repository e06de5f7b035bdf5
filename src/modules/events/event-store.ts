import type { EntityManager } from '@mikro-orm/postgresql';
import { isId } from '../../common/validate';
import type { ChangeSet, NormalizedEvent, TimeWindow } from '../../providers/provider';

/** Rows per INSERT statement: one jsonb parameter each, so the size is bounded by memory, not by bind limits. */
const BATCH_SIZE = 500;

/** Where synced occurrences are stored. */
export interface EventTarget {
  tenantId: string;
  resourceId: string;
  externalCalendarId: string;
  providerCalendarId: string;
  /** Store no titles (SyncConfig.privateImport). */
  privateImport: boolean;
}

/** What a write changed. */
export interface StoreResult {
  /** Occurrences inserted or changed; unchanged rows are not rewritten and not counted. */
  upserted: number;
  /** Stored occurrences removed because the provider no longer has them. */
  deleted: number;
}

const COLUMNS = `external_id text, series_id text, recurrence_id text, title text, starts_at timestamptz, ends_at timestamptz,
  all_day boolean, start_date date, end_date date, time_zone text, status text, transparency text, appointment_id uuid`;
const COMPARED = ['series_id', 'recurrence_id', 'title', 'starts_at', 'ends_at', 'all_day', 'start_date', 'end_date', 'time_zone', 'status', 'transparency', 'appointment_id'];

/**
 * Applies what a provider returned for one calendar, in the caller's transaction: a full
 * answer makes the stored occurrences of the window equal to it; an incremental one upserts the
 * changed occurrences and deletes the ones named in `deletedIds`.
 */
export async function applyChanges(em: EntityManager, target: EventTarget, window: TimeWindow, changes: ChangeSet): Promise<StoreResult> {
  const unique = new Map<string, NormalizedEvent>();
  for (const event of changes.events) if (!unique.has(event.externalId)) unique.set(event.externalId, event);
  const upserted = await upsert(em, target, [...unique.values()]);
  const deleted = changes.full
    ? await deleteMissing(em, target, window, [...unique.keys()])
    : await deleteNamed(em, target, changes.deletedIds, [...unique.keys()]);
  return { upserted, deleted };
}

/** Upserts by (provider calendar, externalId) in batches, rewriting a row only when something changed. */
async function upsert(em: EntityManager, target: EventTarget, events: NormalizedEvent[]): Promise<number> {
  const connection = em.getConnection();
  let upserted = 0;
  const rows = events.map((event) => ({
    external_id: event.externalId,
    series_id: event.seriesId,
    recurrence_id: event.recurrenceId,
    title: target.privateImport ? null : event.title,
    starts_at: event.startsAt.toISOString(),
    ends_at: event.endsAt.toISOString(),
    all_day: event.allDay,
    start_date: event.startDate,
    end_date: event.endDate,
    time_zone: event.timeZone,
    status: event.status,
    transparency: event.transparency,
    // A provider's mark is foreign input: only a UUID can name an appointment.
    appointment_id: event.appointmentId && isId(event.appointmentId) ? event.appointmentId : null,
  }));
  for (let offset = 0; offset < rows.length; offset += BATCH_SIZE) {
    const result = await connection.execute(
      `insert into external_event (id, created_at, updated_at, tenant_id, resource_id, external_calendar_id, provider_calendar_id,
         external_id, series_id, recurrence_id, title, starts_at, ends_at, all_day, start_date, end_date, time_zone, status, transparency, appointment_id, active, source)
       select gen_random_uuid(), now(), now(), ?, ?, ?, ?,
         x.external_id, x.series_id, x.recurrence_id, x.title, x.starts_at, x.ends_at, x.all_day, x.start_date, x.end_date, x.time_zone,
         x.status::external_event_status, x.transparency::transparency, x.appointment_id, true, 'PROVIDER_SYNC'
       from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})
       on conflict (provider_calendar_id, external_id) do update set
         ${COMPARED.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()
       where (${COMPARED.map((column) => `external_event.${column}`).join(', ')})
         is distinct from (${COMPARED.map((column) => `excluded.${column}`).join(', ')})
       returning id`,
      [target.tenantId, target.resourceId, target.externalCalendarId, target.providerCalendarId, JSON.stringify(rows.slice(offset, offset + BATCH_SIZE))],
    );
    upserted += result.length;
  }
  return upserted;
}

/** Deletes the calendar's synced occurrences overlapping the window that are not in `keep`. */
async function deleteMissing(em: EntityManager, target: EventTarget, window: TimeWindow, keep: string[]): Promise<number> {
  const removed = await em.execute(
    `delete from external_event
      where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
        and starts_at < ? and (ends_at > ? or (ends_at = starts_at and starts_at >= ?))
        and external_id not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [target.providerCalendarId, window.to, window.from, window.from, JSON.stringify(keep)],
  );
  return removed.length;
}

/**
 * Deletes the calendar's synced occurrences with these externalIds, and every occurrence of a
 * series whose id is among them (a deleted series may not list all its cancelled instances:
 * Google lists them only some months ahead; a changed CalDAV object names its UID), except the
 * occurrences in `keep`, which the same answer sends again.
 */
async function deleteNamed(em: EntityManager, target: EventTarget, externalIds: string[], keep: string[]): Promise<number> {
  if (externalIds.length === 0) return 0;
  const removed = await em.execute(
    `with gone as (select jsonb_array_elements_text(?::jsonb) as id)
     delete from external_event
      where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
        and (external_id in (select id from gone) or series_id in (select id from gone))
        and external_id not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [JSON.stringify(externalIds), target.providerCalendarId, JSON.stringify(keep)],
  );
  return removed.length;
}
