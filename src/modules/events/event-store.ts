import type { EntityManager } from '@mikro-orm/postgresql';
import type { NormalizedEvent, TimeWindow } from '../../providers/provider';

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

/** What {@link replaceWindow} changed. */
export interface ReplaceResult {
  /** Occurrences inserted or changed; unchanged rows are not rewritten and not counted. */
  upserted: number;
  /** Stored provider occurrences in the window that the provider no longer has. */
  deleted: number;
  /** Occurrences given twice with the same externalId (the first is kept). */
  duplicates: number;
}

const COLUMNS = `external_id text, series_id text, recurrence_id text, title text, starts_at timestamptz, ends_at timestamptz,
  all_day boolean, start_date date, end_date date, time_zone text, status text, transparency text`;
const COMPARED = ['series_id', 'recurrence_id', 'title', 'starts_at', 'ends_at', 'all_day', 'start_date', 'end_date', 'time_zone', 'status', 'transparency'];

/**
 * Makes the stored occurrences of one calendar inside `window` equal to `events`: upserts each
 * by (provider calendar, externalId) in batches, rewriting a row only when something changed,
 * and deletes the calendar's synced occurrences overlapping the window that are not in `events`.
 * Runs in the caller's transaction, so a crash leaves either all of it or none.
 */
export async function replaceWindow(em: EntityManager, target: EventTarget, window: TimeWindow, events: NormalizedEvent[]): Promise<ReplaceResult> {
  const unique = new Map<string, NormalizedEvent>();
  for (const event of events) if (!unique.has(event.externalId)) unique.set(event.externalId, event);
  const connection = em.getConnection();

  let upserted = 0;
  const rows = [...unique.values()].map((event) => ({
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
  }));
  for (let offset = 0; offset < rows.length; offset += BATCH_SIZE) {
    const result = await connection.execute(
      `insert into external_event (id, created_at, updated_at, tenant_id, resource_id, external_calendar_id, provider_calendar_id,
         external_id, series_id, recurrence_id, title, starts_at, ends_at, all_day, start_date, end_date, time_zone, status, transparency, active, source)
       select gen_random_uuid(), now(), now(), ?, ?, ?, ?,
         x.external_id, x.series_id, x.recurrence_id, x.title, x.starts_at, x.ends_at, x.all_day, x.start_date, x.end_date, x.time_zone,
         x.status::external_event_status, x.transparency::transparency, true, 'PROVIDER_SYNC'
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

  const removed = await connection.execute(
    `delete from external_event
      where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
        and starts_at < ? and (ends_at > ? or (ends_at = starts_at and starts_at >= ?))
        and external_id not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [target.providerCalendarId, window.to, window.from, window.from, JSON.stringify([...unique.keys()])],
  );
  return { upserted, deleted: removed.length, duplicates: events.length - unique.size };
}
