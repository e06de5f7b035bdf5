import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SyncRun } from './sync-run.entity';

/** The newest sync run of each connection (the runs that named it), in two statements for any number of connections. */
export function lastSyncRunLoader(em: EntityManager) {
  return new DataLoader<string, SyncRun | null>(async (externalCalendarIds) => {
    const newest: { id: string; external_calendar_id: string }[] = await em
      .getConnection()
      .execute(
        'select distinct on (external_calendar_id) id, external_calendar_id from sync_run where external_calendar_id in (?) order by external_calendar_id, created_at desc, id desc',
        [[...externalCalendarIds]],
      );
    // Read through the ORM, and with it the tenant filter.
    const runs = await em.find(SyncRun, { id: { $in: newest.map((row) => row.id) } });
    const byConnection = new Map(runs.map((run) => [run.externalCalendar!.id, run]));
    return externalCalendarIds.map((id) => byConnection.get(id) ?? null);
  });
}
