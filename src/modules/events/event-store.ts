import type { EntityManager } from '@mikro-orm/postgresql';
import { storableId } from '../../common/text';
import { overlapsWindowParams, overlapsWindowSql } from '../../common/window';
import type { ChangeSet, TimeWindow } from '../../providers/provider';
import { boundQuery } from './bound-query';
import { sameAsStored, STORED_ROW_SQL, syncedRow, type EventRow, type StoredRow } from './stored-row';

/** Rows per INSERT statement: one json parameter each, so the size is bounded by memory, not by bind limits. */
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

/**
 * Applies what a provider returned for one calendar, in the caller's transaction: a full
 * answer makes the stored occurrences of the window equal to it; an incremental one upserts the
 * changed occurrences, deletes the ones named in `deletedIds`, and of the series in
 * `replacedIds` the occurrences of the window not sent again.
 */
export async function applyChanges(em: EntityManager, target: EventTarget, window: TimeWindow, changes: ChangeSet): Promise<StoreResult> {
  const unique = new Map<string, EventRow>();
  for (const event of changes.events) {
    const row = syncedRow(event, target.privateImport);
    if (!unique.has(row.external_id)) unique.set(row.external_id, row);
  }
  const keep = [...unique.keys()];
  const upserted = (await upsertRows(em, { source: 'PROVIDER_SYNC', ...target }, [...unique.values()])).length;
  if (changes.full) return { upserted, deleted: await deleteMissing(em, target, window, keep, null) };
  const replaced = changes.replacedIds?.length ? await deleteMissing(em, target, window, keep, changes.replacedIds.map(storableId)) : 0;
  return { upserted, deleted: replaced + (await deleteNamed(em, target, changes.deletedIds.map(storableId), keep)) };
}

/** Who owns the rows of an upsert: a provider calendar (synced occurrences) or a resource (partner pushes). */
type RowOwner =
  | { source: 'PROVIDER_SYNC'; tenantId: string; resourceId: string; externalCalendarId: string; providerCalendarId: string }
  | { source: 'PARTNER_PUSH'; tenantId: string; resourceId: string };

/** The json_to_recordset columns of an {@link EventRow}, typed as stored so that neither side is cast. */
const COLUMNS = `external_id text, series_id text, recurrence_id text, title text, starts_at timestamptz, ends_at timestamptz,
  all_day boolean, start_date date, end_date date, time_zone text, status external_event_status, transparency transparency, appointment_id uuid`;
/** What makes a row changed; `active` too, so that a re-pushed inactive partner event becomes active again (synced rows are always active). */
const COMPARED = [
  'series_id',
  'recurrence_id',
  'title',
  'starts_at',
  'ends_at',
  'all_day',
  'start_date',
  'end_date',
  'time_zone',
  'status',
  'transparency',
  'appointment_id',
  'active',
];
/** The unique index each source's rows are identified by. */
const CONFLICT_TARGET: Record<RowOwner['source'], string> = {
  PROVIDER_SYNC: '(provider_calendar_id, external_id)',
  PARTNER_PUSH: `(resource_id, external_id) where source = 'PARTNER_PUSH'`,
};
/**
 * The stored rows with one of some keys of an owner (`?`: a text[] of external ids, then the
 * calendar or the resource). One lookup of the unique index per id, whatever the statistics say:
 * as `external_id = any(?)`, a table grown since its last ANALYZE was read whole for every batch.
 */
const STORED_BY_KEY: Record<RowOwner['source'], string> = {
  PROVIDER_SYNC: `select stored.* from unnest(?::text[]) as k(id) cross join lateral
    (select ${STORED_ROW_SQL} from external_event where provider_calendar_id = ? and external_id = k.id) as stored`,
  PARTNER_PUSH: `select stored.* from unnest(?::text[]) as k(id) cross join lateral
    (select ${STORED_ROW_SQL} from external_event where resource_id = ? and source = 'PARTNER_PUSH' and external_id = k.id) as stored`,
};

/**
 * Upserts rows of one owner by its unique key, in the caller's transaction and in batches,
 * writing only rows that are new or changed. Returns the rows inserted or changed, each with
 * whether it was inserted.
 *
 * Each batch's stored rows are read and compared first (sameAsStored), and only the others are
 * sent to the INSERT, none at all when nothing changed: its `on conflict ... where` alone leaves an
 * unchanged row as it is, but only after the BEFORE INSERT row trigger (external_event_blocking)
 * has run for it and the row has been locked, and the statement triggers fire either way. The
 * `on conflict` clause stays for rows written meanwhile and for rows spelled differently but equal.
 */
async function upsertRows(em: EntityManager, owner: RowOwner, rows: EventRow[]): Promise<{ external_id: string; inserted: boolean }[]> {
  const calendar = owner.source === 'PROVIDER_SYNC' ? [owner.externalCalendarId, owner.providerCalendarId] : [null, null];
  const key = owner.source === 'PROVIDER_SYNC' ? owner.providerCalendarId : owner.resourceId;
  const changed: { external_id: string; inserted: boolean }[] = [];
  for (let offset = 0; offset < rows.length; offset += BATCH_SIZE) {
    const slice = rows.slice(offset, offset + BATCH_SIZE);
    const stored = await boundQuery<StoredRow>(em, STORED_BY_KEY[owner.source], [slice.map((row) => row.external_id), key]);
    const byId = new Map(stored.map((row) => [row.external_id, row]));
    const pending = slice.filter((row) => {
      const before = byId.get(row.external_id);
      return !before || !sameAsStored(row, before);
    });
    if (pending.length === 0) continue;
    // xmax = 0 only for a freshly inserted row version.
    const batch = await boundQuery<{ external_id: string; inserted: boolean }>(
      em,
      `insert into external_event (id, created_at, updated_at, tenant_id, resource_id, external_calendar_id, provider_calendar_id,
         external_id, series_id, recurrence_id, title, starts_at, ends_at, all_day, start_date, end_date, time_zone, status, transparency, appointment_id, active, source)
       select gen_random_uuid(), now(), now(), ?, ?, ?, ?,
         x.external_id, x.series_id, x.recurrence_id, x.title, x.starts_at, x.ends_at, x.all_day, x.start_date, x.end_date, x.time_zone,
         x.status, x.transparency, x.appointment_id, true, '${owner.source}'
       from json_to_recordset(?::json) as x(${COLUMNS})
       on conflict ${CONFLICT_TARGET[owner.source]} do update set
         ${COMPARED.map((column) => `${column} = excluded.${column}`).join(', ')}, updated_at = now()
       where (${COMPARED.map((column) => `external_event.${column}`).join(', ')})
         is distinct from (${COMPARED.map((column) => `excluded.${column}`).join(', ')})
       returning external_id, (xmax = 0) as inserted`,
      [owner.tenantId, owner.resourceId, ...calendar, JSON.stringify(pending)],
    );
    changed.push(...batch);
  }
  return changed;
}

/**
 * Deletes the calendar's synced occurrences overlapping the window that are not in `keep`: all
 * of them, or, with `series`, those of these series ids (or single events with these ids).
 * Never a PARTNER_PUSH event: those have no calendar, and the source is checked as well.
 */
async function deleteMissing(em: EntityManager, target: EventTarget, window: TimeWindow, keep: string[], series: string[] | null): Promise<number> {
  const ofSeries = series
    ? `and (series_id in (select jsonb_array_elements_text(?::jsonb)) or external_id in (select jsonb_array_elements_text(?::jsonb)))`
    : '';
  const removed = await boundQuery(
    em,
    `delete from external_event
      where provider_calendar_id = ? and source = 'PROVIDER_SYNC'
        and ${overlapsWindowSql('starts_at', 'ends_at')} ${ofSeries}
        and external_id not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [target.providerCalendarId, ...overlapsWindowParams(window), ...(series ? [JSON.stringify(series), JSON.stringify(series)] : []), JSON.stringify(keep)],
  );
  return removed.length;
}

/**
 * Deletes the calendar's synced occurrences with these externalIds, and every occurrence of a
 * series whose id is among them (a deleted series may not list all its cancelled instances:
 * Google lists them only some months ahead; a changed CalDAV object names its UID), except the
 * occurrences in `keep`, which the same answer sends again. Never a PARTNER_PUSH event (no
 * calendar, and the source is checked as well).
 */
async function deleteNamed(em: EntityManager, target: EventTarget, externalIds: string[], keep: string[]): Promise<number> {
  if (externalIds.length === 0) return 0;
  const removed = await boundQuery(
    em,
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

/** One validated partner item, ready to store (see src/modules/events/partner-events.ts). */
export interface PartnerEventRow {
  externalId: string;
  title: string | null;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  /** Local dates (`YYYY-MM-DD`, end exclusive) of an all-day item, else null. */
  startDate: string | null;
  endDate: string | null;
  /** The resource's time zone for an all-day item, else null. */
  timeZone: string | null;
  status: string;
  transparency: string;
}

/** What {@link upsertPartnerEvents} did to one externalId. */
export type PartnerUpsertOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

/**
 * Upserts PARTNER_PUSH events of one resource by (resource, externalId), in the caller's
 * transaction and in batches, rewriting a row only when something changed; a re-pushed inactive
 * event becomes active again. The externalIds must be distinct. Returns, per externalId, whether
 * it was created, updated or left unchanged.
 */
export async function upsertPartnerEvents(
  em: EntityManager,
  tenantId: string,
  resourceId: string,
  rows: PartnerEventRow[],
): Promise<Map<string, PartnerUpsertOutcome>> {
  const outcomes = new Map<string, PartnerUpsertOutcome>(rows.map((row) => [row.externalId, 'UNCHANGED']));
  const records = rows.map((row) => ({
    external_id: row.externalId,
    series_id: null,
    recurrence_id: null,
    title: row.title,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    all_day: row.allDay,
    start_date: row.startDate,
    end_date: row.endDate,
    time_zone: row.timeZone,
    status: row.status,
    transparency: row.transparency,
    appointment_id: null,
  }));
  for (const row of await upsertRows(em, { source: 'PARTNER_PUSH', tenantId, resourceId }, records))
    outcomes.set(row.external_id, row.inserted ? 'CREATED' : 'UPDATED');
  return outcomes;
}

/**
 * Deactivates the active PARTNER_PUSH events of one resource with these externalIds, in the
 * caller's transaction. Returns the externalIds that were active (now deactivated) and those
 * that exist but were already inactive; the others do not exist.
 */
export async function deactivatePartnerEvents(
  em: EntityManager,
  resourceId: string,
  externalIds: string[],
): Promise<{ deactivated: Set<string>; alreadyInactive: Set<string> }> {
  const ids = JSON.stringify([...new Set(externalIds)]);
  const deactivated = await boundQuery<{ external_id: string }>(
    em,
    `update external_event set active = false, updated_at = now()
      where resource_id = ? and source = 'PARTNER_PUSH' and active
        and external_id in (select jsonb_array_elements_text(?::jsonb))
      returning external_id`,
    [resourceId, ids],
  );
  const inactive = await boundQuery<{ external_id: string }>(
    em,
    `select external_id from external_event
      where resource_id = ? and source = 'PARTNER_PUSH' and not active
        and external_id in (select jsonb_array_elements_text(?::jsonb))`,
    [resourceId, ids],
  );
  const done = new Set(deactivated.map((row) => row.external_id));
  return { deactivated: done, alreadyInactive: new Set(inactive.map((row) => row.external_id).filter((id) => !done.has(id))) };
}
