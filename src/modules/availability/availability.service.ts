import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../../common/errors';
import { requireIntInRange, requireWindow } from '../../common/validate';
import type { Resource } from '../resources/resource.entity';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import type { ModuleDeps } from '../module-deps';
import { SyncRunStatus } from '../sync/sync-run.entity';
import { SyncService } from '../sync/sync.service';
import type { Availability, AvailabilityInput, TimeInterval } from './availability.types';
import { clipIntervals, mergeIntervals, subtractIntervals, type Interval } from './intervals';
import { slotsIn } from './slots';
import { workingIntervals } from './working-time';

/** Longest window one availability question may cover. */
export const MAX_AVAILABILITY_DAYS = 92;
const MINUTE = 60_000;
/** How long `availability(syncExternal: true)` waits for the refreshing sync. */
export const SYNC_EXTERNAL_WAIT_MS = 5_000;

/** Answers when a resource is free: working hours minus busy time, as slots. */
export class AvailabilityService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /**
   * Free slots, free and busy intervals of a resource over [from, to).
   * With `syncExternal`, the calendars are ingested over the window first (waiting up to 5 s);
   * `fresh` and `syncedAt` say how current the answer is.
   * Busy time is every stored external event of the resource that is active, not CANCELLED,
   * OPAQUE (RFC 5545 TRANSP), tentative only when its connection's SyncConfig.tentativeIsBusy,
   * all-day only when allDayIsBusy, widened by the resource's buffers.
   * @throws AppError NOT_FOUND (resource), BAD_USER_INPUT (window over 92 days, `to` not after
   *   `from`, slot or step minutes out of 5..1440).
   */
  async availability(tenant: Tenant, input: AvailabilityInput): Promise<Availability> {
    const { from, to } = requireWindow(input.from, input.to, MAX_AVAILABILITY_DAYS);
    const slotMinutes = requireIntInRange('input.slotMinutes', input.slotMinutes, 5, 1440);
    const stepMinutes = requireIntInRange('input.stepMinutes', input.stepMinutes ?? slotMinutes, 5, 1440);
    const resource = await new ResourceService(this.em).get(input.resourceId, 'input.resourceId');
    const fresh = input.syncExternal ? await this.refresh(tenant, resource, from, to) : false;

    const window: Interval = { start: from.getTime(), end: to.getTime() };
    const busy = clipIntervals(mergeIntervals(await this.busyIntervals(resource, window)), window);
    const free = subtractIntervals(workingIntervals(resource.workingHours, resource.timeZone, window), busy);
    return {
      slots: toTimeIntervals(slotsIn(free, slotMinutes, stepMinutes, resource.timeZone)),
      free: toTimeIntervals(free),
      busy: toTimeIntervals(busy),
      fresh,
      syncedAt: await this.syncedAt(resource),
    };
  }

  private async busyIntervals(resource: Resource, window: Interval): Promise<Interval[]> {
    const before = resource.bufferBeforeMinutes * MINUTE;
    const after = resource.bufferAfterMinutes * MINUTE;
    const rows: { starts_at: Date; ends_at: Date }[] = await this.em.getConnection().execute(
      `select e.starts_at, e.ends_at
         from external_event e
         join sync_config c on c.external_calendar_id = e.external_calendar_id
        where e.resource_id = ? and e.tenant_id = ?
          and tstzrange(e.starts_at, e.ends_at, '[)') && tstzrange(?, ?, '[)')
          and e.active and e.status <> 'CANCELLED' and e.transparency = 'OPAQUE'
          and (e.status <> 'TENTATIVE' or c.tentative_is_busy)
          and (not e.all_day or c.all_day_is_busy)`,
      [resource.id, resource.tenant.id, new Date(window.start - after), new Date(window.end + before)],
    );
    return rows.map((row) => ({ start: new Date(row.starts_at).getTime() - before, end: new Date(row.ends_at).getTime() + after }));
  }

  /**
   * OnSched's `syncExternal`: ingests the window first and waits for it up to
   * {@link SYNC_EXTERNAL_WAIT_MS}; a provider failure or a slow sync leaves the stored events
   * as they are. A resource without importing connections has nothing to refresh.
   */
  private async refresh(tenant: Tenant, resource: Resource, from: Date, to: Date): Promise<boolean> {
    try {
      const sync = new SyncService(this.em, this.deps);
      const run = await sync.ingest(tenant, { resourceId: resource.id, from, to });
      return (await sync.waitFor(run.id, SYNC_EXTERNAL_WAIT_MS)).status === SyncRunStatus.SUCCEEDED;
    } catch (error) {
      if (!(error instanceof AppError && error.code === ErrorCode.FAILED_PRECONDITION)) throw error;
      return false;
    }
  }

  /** The oldest last sync among the resource's read calendars; null when one never synced or there are none. */
  private async syncedAt(resource: Resource): Promise<Date | null> {
    const [row] = await this.em.getConnection().execute(
      `select count(*)::int as calendars, count(last_synced_at)::int as synced, min(last_synced_at) as oldest
         from provider_calendar where resource_id = ? and tenant_id = ? and read`,
      [resource.id, resource.tenant.id],
    );
    return row.calendars > 0 && row.synced === row.calendars ? new Date(row.oldest) : null;
  }
}

function toTimeIntervals(intervals: Interval[]): TimeInterval[] {
  return intervals.map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
}
