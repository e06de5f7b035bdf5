import { storableId, storableText } from '../../common/text';
import { isId } from '../../common/validate';
import type { NormalizedEvent } from '../../providers/provider';

/** Longest title stored (code points); longer ones are cut. */
const MAX_TITLE_LENGTH = 1_000;

/** One external_event row as the upsert writes it; the insert adds id, owner, `active` and source. */
export interface EventRow {
  external_id: string;
  series_id: string | null;
  recurrence_id: string | null;
  title: string | null;
  /** ISO 8601 instants (toISOString). */
  starts_at: string;
  ends_at: string;
  all_day: boolean;
  /** `YYYY-MM-DD` or null. */
  start_date: string | null;
  end_date: string | null;
  time_zone: string | null;
  status: string;
  transparency: string;
  appointment_id: string | null;
}

/**
 * The row a synced occurrence is stored as: no NUL in any text, the title cut to
 * {@link MAX_TITLE_LENGTH} (none with `privateImport`), ids longer than 500 characters stored as
 * their SHA-256 (storableId), consistently with the ids of deletions.
 */
export function syncedRow(event: NormalizedEvent, privateImport: boolean): EventRow {
  return {
    external_id: storableId(event.externalId),
    series_id: event.seriesId === null ? null : storableId(event.seriesId),
    recurrence_id: event.recurrenceId === null ? null : storableText(event.recurrenceId, 100),
    title: privateImport || event.title === null ? null : storableText(event.title, MAX_TITLE_LENGTH),
    starts_at: event.startsAt.toISOString(),
    ends_at: event.endsAt.toISOString(),
    all_day: event.allDay,
    start_date: event.startDate,
    end_date: event.endDate,
    time_zone: event.timeZone === null ? null : storableText(event.timeZone, 200),
    status: event.status,
    transparency: event.transparency,
    // A provider's mark is foreign input: only a UUID can name an appointment.
    appointment_id: event.appointmentId && isId(event.appointmentId) ? event.appointmentId : null,
  };
}

/**
 * A stored row as {@link STORED_ROW_SQL} selects it, in forms that compare exactly with an {@link EventRow}'s:
 * its instants as `starts_ms` and `ends_ms`, milliseconds since the epoch as numeric text without
 * trailing zeros (a fraction only when the stored instant has microseconds), and `active`.
 */
export type StoredRow = Omit<EventRow, 'starts_at' | 'ends_at'> & { starts_ms: string; ends_ms: string; active: boolean };

/** The select list of a {@link StoredRow} from `external_event` (no alias). */
export const STORED_ROW_SQL = `external_id, series_id, recurrence_id, title,
  trim_scale(extract(epoch from starts_at) * 1000)::text as starts_ms, trim_scale(extract(epoch from ends_at) * 1000)::text as ends_ms,
  all_day, start_date::text, end_date::text, time_zone, status::text, transparency::text, appointment_id::text, active`;

/**
 * Whether writing `row` over `stored` (an active synced row) would change nothing. Compares the
 * texts as stored, so that it errs only towards "changed" (a date or UUID spelled differently
 * but equal in PostgreSQL), which the upsert then finds unchanged itself; never the other way.
 */
export function sameAsStored(row: EventRow, stored: StoredRow): boolean {
  return (
    stored.active &&
    row.external_id === stored.external_id &&
    row.series_id === stored.series_id &&
    row.recurrence_id === stored.recurrence_id &&
    row.title === stored.title &&
    String(Date.parse(row.starts_at)) === stored.starts_ms &&
    String(Date.parse(row.ends_at)) === stored.ends_ms &&
    row.all_day === stored.all_day &&
    row.start_date === stored.start_date &&
    row.end_date === stored.end_date &&
    row.time_zone === stored.time_zone &&
    row.status === stored.status &&
    row.transparency === stored.transparency &&
    row.appointment_id === stored.appointment_id
  );
}
