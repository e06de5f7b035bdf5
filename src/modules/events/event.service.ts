/**
 * Module `events`: the busy items of a resource, synced from its calendars or pushed by partners.
 * - State: ExternalEvent (one occurrence per row; source PROVIDER_SYNC or PARTNER_PUSH), written through
 *   event-store.ts (one upsert) and chunked-changes.ts (large syncs in chunks).
 * - Jobs, crons, topics: none. Implements ModuleDeps.calendarEvents (calendar-events.ts) for
 *   connections: the events of calendars that stop being read go with them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { overlapsWindowParams, overlapsWindowSql } from '../../common/window';
import { requireWindow } from '../../common/validate';
import { decodeCursor, pageSize, toPage, type Page } from '../shared/pagination';
import { selectReadRows, uuidArray, type ReadRow } from '../shared/read-rows';
import type { Tenant } from '../tenancy/tenant.entity';
import { ExternalEvent } from './external-event.entity';
import type { ExternalEventFilter } from './external-event.inputs';

/** Reads of stored external events. */
export class EventService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Events overlapping [filter.from, filter.to) — zero-length events count when they start in
   * it — ordered by start then id, keyset-paginated. Cancelled, transparent and inactive events
   * are listed too: the status fields say whether they block.
   * @throws AppError BAD_USER_INPUT for a bad window, `first` or `after`.
   */
  async list(
    tenant: Tenant,
    filter: ExternalEventFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<ReadRow<ExternalEvent>>> {
    const { from, to } = requireWindow(filter.from, filter.to, undefined, 'filter');
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const where = [`r.tenant_id = ?`, overlapsWindowSql('r.starts_at', 'r.ends_at')];
    const params: unknown[] = [tenant.id, ...overlapsWindowParams({ from, to })];
    if (filter.resourceIds) {
      where.push('r.resource_id = any(?::uuid[])');
      params.push(uuidArray(filter.resourceIds));
    }
    if (filter.externalCalendarIds) {
      where.push('r.external_calendar_id = any(?::uuid[])');
      params.push(uuidArray(filter.externalCalendarIds));
    }
    if (cursor) {
      where.push('(r.starts_at, r.id) > (?, ?)');
      params.push(cursor.at, cursor.id);
    }
    // The request's filters (e.g. the resource of a resource-scoped key) are added by selectReadRows.
    const rows = await selectReadRows(this.em, ExternalEvent, where.join(' and '), params, `order by r.starts_at, r.id limit ${limit + 1}`);
    return toPage(rows, limit, (row) => ({ at: row.startsAt, id: row.id }));
  }
}
