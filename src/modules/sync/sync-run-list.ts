import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { isId } from '../../common/validate';
import { decodeCursor, pageSize, toPage, type Page } from '../shared/pagination';
import { SyncRun } from './sync-run.entity';
import type { SyncRunFilter } from './sync-run.inputs';

/**
 * The tenant's sync runs matching `filter`, newest first (by the time they were requested, then
 * id), keyset-paginated. An id that is not a Calsync id matches nothing.
 * @throws AppError BAD_USER_INPUT naming `filter.to` (not after `filter.from`), `first` or `after`.
 */
export async function listSyncRuns(
  em: EntityManager,
  filter: SyncRunFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<SyncRun>> {
  const limit = pageSize(first);
  const cursor = decodeCursor(after);
  if (filter.from && filter.to && filter.to <= filter.from) throw badInput('filter.to', 'to must be after from');
  const where: FilterQuery<SyncRun> = {};
  const createdAt: { $gte?: Date; $lt?: Date } = {};
  if (filter.from) createdAt.$gte = filter.from;
  if (filter.to) createdAt.$lt = filter.to;
  if (filter.from || filter.to) where.createdAt = createdAt;
  const nothing = [filter.resourceId, filter.externalCalendarId].some((id) => id !== null && id !== undefined && !isId(id));
  if (nothing) return toPage([], limit, () => ({ at: new Date(0), id: '' }));
  if (filter.resourceId) where.resource = filter.resourceId;
  if (filter.externalCalendarId) where.externalCalendar = filter.externalCalendarId;
  if (filter.statuses) where.status = { $in: filter.statuses };
  if (cursor) where.$or = [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }];
  const rows = await em.find(SyncRun, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
}
