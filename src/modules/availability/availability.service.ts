/**
 * Module `availability`: free slots, free/busy and why an instant is blocked.
 * - State: none of its own; it reads resources, events and appointments, and keeps a per-process
 *   busy-time cache keyed by each resource's busy_version.
 * - Jobs, crons, topics: none. Implements ModuleDeps.freeTime (free-time.ts), the check bookings
 *   make, so that appointments need not import availability.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { AppError, badInput, ErrorCode, notFound } from '../../common/errors';
import { isId, requireIntInRange, requireTimeZone, requireWindow } from '../../common/validate';
import { ExternalEvent } from '../events/external-event.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { Resource } from '../resources/resource.entity';
import { ResourceService } from '../resources/resource.service';
import { readRowsByKey, type ReadRow } from '../shared/read-rows';
import { SyncRunStatus } from '../sync/sync-run.entity';
import { SyncService } from '../sync/sync.service';
import type { Tenant } from '../tenancy/tenant.entity';
import type { Availability, AvailabilityInput, CommonAvailability, CommonAvailabilityInput, ResourceFreeBusy, TimeInterval } from './availability.types';
import { Appointment } from '../appointments/appointment.entity';
import { busyTime, loadBlockingAppointments, loadBlockingEvents, loadBusyIntervals, reachOf, withBuffers } from './busy-time';
import { BlockKind, type AvailabilityBlock, type AvailabilityExplanation } from './explanation.types';
import { clipIntervals, mergeIntervals, subtractIntervals, type Interval } from './intervals';
import { slotsIn } from './slots';
import { workingIntervals } from './working-time';

/** Longest window one availability question may cover. */
export const MAX_AVAILABILITY_DAYS = 92;
/** Most resources one question may name. */
export const MAX_RESOURCES = 100;
/** How long `availability(syncExternal: true)` waits for the refreshing sync. */
export const SYNC_EXTERNAL_WAIT_MS = 5_000;
const MINUTE = 60_000;

/** The slot shape of a question, validated. */
interface SlotRules {
  slotMinutes: number;
  stepMinutes: number;
  /** Earliest slot start, epoch ms. */
  notBefore: number;
}

/**
 * Answers when resources are free: working time (weekly hours, date overrides, validity, in the
 * resource's IANA zone) minus busy time (blocking external events and appointments widened by
 * buffers). Busy time comes from the process's BusyTimeCache, which a committed change of the
 * resource's events or appointments invalidates before it is visible, so no change is ever answered stale.
 */
export class AvailabilityService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /**
   * Free slots, free and busy intervals of a resource over [from, to). With `syncExternal`, the
   * calendars are ingested over the window first (waiting up to 5 s); `fresh` and `syncedAt` say
   * how current the answer is.
   * @throws AppError NOT_FOUND (resource), BAD_USER_INPUT (window over 92 days, `to` not after
   *   `from`, slot length not a positive multiple of the step, minutes out of range, bad time zone).
   */
  async availability(tenant: Tenant, input: AvailabilityInput): Promise<Availability> {
    const window = toWindow(requireWindow(input.from, input.to, MAX_AVAILABILITY_DAYS));
    const rules = slotRules(input);
    if (input.timeZone) requireTimeZone('input.timeZone', input.timeZone);
    if (!isId(input.resourceId)) throw notFound('Resource', input.resourceId, 'input.resourceId');
    const resources = new ResourceService(this.em);
    let lookup = resources.read(input.resourceId, 'input.resourceId');
    const fresh = input.syncExternal ? await this.refresh(tenant, await lookup, window) : false;
    // After a refresh, the resource row is read again: its busy_version moved with the events the sync stored.
    if (input.syncExternal) lookup = resources.read(input.resourceId, 'input.resourceId');
    const [resource, syncedAt] = await Promise.all([lookup, this.syncedAt(tenant.id, input.resourceId)]);
    const intervals = await this.deps.busyTime.intervals(this.em, tenant.id, [resource], window);
    const gridZone = input.timeZone ?? resource.timeZone;
    const busy = clipIntervals(busyTime(resource, intervals.get(resource.id)!), window);
    const free = subtractIntervals(workingTime(resource, window), busy);
    return { slots: toTimeIntervals(slots(free, rules, gridZone)), free: toTimeIntervals(free), busy: toTimeIntervals(busy), fresh, syncedAt };
  }

  /**
   * Busy and free time of up to 100 resources over [from, to), in a fixed number of SQL
   * statements whatever their number, in the order asked.
   * @throws AppError BAD_USER_INPUT (window, more than 100 resources), NOT_FOUND naming `resourceIds[i]`.
   */
  async freeBusy(tenant: Tenant, resourceIds: string[], from: Date, to: Date): Promise<ResourceFreeBusy[]> {
    const window = toWindow(requireWindow(from, to, MAX_AVAILABILITY_DAYS, 'input'));
    const resources = await this.resources(resourceIds, 'resourceIds');
    const intervals = await this.deps.busyTime.intervals(this.em, tenant.id, resources, window);
    return resources.map((resource) => {
      const busy = clipIntervals(busyTime(resource, intervals.get(resource.id)!), window);
      return { resourceId: resource.id, busy: toTimeIntervals(busy), free: toTimeIntervals(subtractIntervals(workingTime(resource, window), busy)) };
    });
  }

  /**
   * Slots when all (or at least `minimumResources`) of the resources are free at once.
   * @throws AppError as {@link freeBusy}, and BAD_USER_INPUT for minimumResources out of 1..n.
   */
  async commonAvailability(tenant: Tenant, input: CommonAvailabilityInput): Promise<CommonAvailability> {
    const window = toWindow(requireWindow(input.from, input.to, MAX_AVAILABILITY_DAYS));
    const rules = slotRules(input);
    const resources = await this.resources(input.resourceIds, 'input.resourceIds');
    const needed = requireIntInRange('input.minimumResources', input.minimumResources ?? resources.length, 1, resources.length);
    const gridZone = input.timeZone ? requireTimeZone('input.timeZone', input.timeZone) : resources[0].timeZone;
    const intervals = await this.deps.busyTime.intervals(this.em, tenant.id, resources, window);
    const frees = resources.map((resource) =>
      subtractIntervals(workingTime(resource, window), clipIntervals(busyTime(resource, intervals.get(resource.id)!), window)),
    );
    const free = coveredBy(frees, needed);
    return { slots: toTimeIntervals(slots(free, rules, gridZone)), free: toTimeIntervals(free) };
  }

  /**
   * Whether the instant `at` is free for the resource and, if not, everything that blocks it:
   * outside weekly hours, a date override, outside the validity range, each blocking event (with
   * its calendar, title unless private, series and occurrence), each appointment, and each
   * buffer around either.
   * @throws AppError NOT_FOUND (resource).
   */
  async explain(tenant: Tenant, resourceId: string, at: Date): Promise<AvailabilityExplanation> {
    const resource = await new ResourceService(this.em).read(resourceId, 'resourceId');
    const instant = at.getTime();
    const around = { start: instant - 2 * 86_400_000, end: instant + 2 * 86_400_000 };
    const blocks: AvailabilityBlock[] = [];
    if (!workingTime(resource, around).some((interval) => interval.start <= instant && instant < interval.end)) {
      blocks.push({ kind: outsideKind(resource, at), start: null, end: null, externalEvent: null, appointment: null });
    }
    const moment = { start: instant, end: instant + 1 };
    const covers = (interval: Interval) => interval.start <= instant && instant < interval.end;
    const [events, appointments] = await Promise.all([
      loadBlockingEvents(this.em, tenant.id, [resource], moment).then((byResource) =>
        byResource.get(resource.id)!.filter((event) => covers(withBuffers(resource, event))),
      ),
      loadBlockingAppointments(this.em, tenant.id, resource, moment).then((rows) => rows.filter((row) => covers(withBuffers(resource, row)))),
    ]);
    const [eventRows, appointmentRows] = await Promise.all([
      this.em.find(ExternalEvent, { id: { $in: events.map((hit) => hit.id) } }),
      this.em.find(Appointment, { id: { $in: appointments.map((hit) => hit.id) } }),
    ]);
    const entities = new Map<string, ExternalEvent | Appointment>([...eventRows, ...appointmentRows].map((row) => [row.id, row]));
    for (const [hits, own] of [
      [events, BlockKind.EXTERNAL_EVENT],
      [appointments, BlockKind.APPOINTMENT],
    ] as const) {
      for (const hit of hits) {
        const kind = instant < hit.start ? BlockKind.BUFFER_BEFORE : instant >= hit.end ? BlockKind.BUFFER_AFTER : own;
        const { start, end } = kind === own ? hit : withBuffers(resource, hit);
        const entity = entities.get(hit.id) ?? null;
        blocks.push({
          kind,
          start: new Date(start),
          end: new Date(end),
          externalEvent: entity instanceof ExternalEvent ? entity : null,
          appointment: entity instanceof Appointment ? entity : null,
        });
      }
    }
    return { at, free: blocks.length === 0, blocks };
  }

  /** The resources named, in that order. @throws AppError BAD_USER_INPUT (count), NOT_FOUND naming the first unknown one. */
  private async resources(ids: string[], field: string): Promise<ReadRow<Resource>[]> {
    if (ids.length === 0 || ids.length > MAX_RESOURCES) throw badInput(field, `Give 1 to ${MAX_RESOURCES} resources`);
    const found = new Map((await readRowsByKey(this.em, Resource, 'id', ids)).map((resource) => [resource.id, resource]));
    return ids.map((id, index) => {
      const resource = found.get(id);
      if (!resource) throw notFound('Resource', id, `${field}[${index}]`);
      return resource;
    });
  }

  /**
   * OnSched's `syncExternal`: ingests the window first and waits for it up to
   * {@link SYNC_EXTERNAL_WAIT_MS}; a provider failure or a slow sync leaves the stored events
   * as they are. A resource without importing connections has nothing to refresh.
   */
  private async refresh(tenant: Tenant, resource: Resource, window: Interval): Promise<boolean> {
    try {
      const sync = new SyncService(this.em, this.deps);
      const run = await sync.ingest(tenant, { resourceId: resource.id, from: new Date(window.start), to: new Date(window.end) });
      return (await sync.waitFor(run.id, SYNC_EXTERNAL_WAIT_MS)).status === SyncRunStatus.SUCCEEDED;
    } catch (error) {
      if (!(error instanceof AppError && error.code === ErrorCode.FAILED_PRECONDITION)) throw error;
      return false;
    }
  }

  /** The oldest last sync among the resource's read calendars; null when one never synced or there are none. */
  private async syncedAt(tenantId: string, resourceId: string): Promise<Date | null> {
    const [row] = await this.em.execute(
      `select count(*)::int as calendars, count(last_synced_at)::int as synced, min(last_synced_at) as oldest
         from provider_calendar where resource_id = ? and tenant_id = ? and read`,
      [resourceId, tenantId],
    );
    return row.calendars > 0 && row.synced === row.calendars ? new Date(row.oldest) : null;
  }
}

/**
 * Whether `interval` lies wholly in the resource's free time: inside working time and outside
 * busy time (events and appointments widened by the buffers), leaving out one appointment (the
 * one being moved). Reads through `em`, so inside the caller's transaction.
 */
export async function isFree(
  em: EntityManager,
  tenantId: string,
  resource: Resource,
  interval: Interval,
  exceptAppointmentId: string | null,
): Promise<boolean> {
  const window = { start: interval.start - 86_400_000, end: interval.end + 86_400_000 };
  const intervals = await loadBusyIntervals(em, tenantId, [resource.id], window, reachOf([resource]), exceptAppointmentId);
  const free = subtractIntervals(workingTime(resource, window), busyTime(resource, intervals.get(resource.id)!));
  return free.some((part) => part.start <= interval.start && interval.end <= part.end);
}

function workingTime(resource: Resource, window: Interval): Interval[] {
  return workingIntervals(resource.workingHours, resource.timeZone, window, resource);
}

/** Why an instant outside working time is so: validity first, then a date override, else weekly hours. */
function outsideKind(resource: Resource, at: Date): BlockKind {
  const date = DateTime.fromJSDate(at, { zone: resource.timeZone }).toISODate()!;
  if ((resource.validFrom && date < resource.validFrom) || (resource.validUntil && date > resource.validUntil)) return BlockKind.OUTSIDE_VALIDITY;
  if (resource.dateOverrides.some((override) => override.date === date)) return BlockKind.DATE_OVERRIDE;
  return BlockKind.OUTSIDE_WORKING_HOURS;
}

/**
 * @throws AppError BAD_USER_INPUT: slot and step minutes 5..1440, the slot a positive multiple of
 *   the step (so that slots tile a free interval), notice 0..525600 minutes (a year).
 */
function slotRules(input: { slotMinutes: number; stepMinutes?: number | null; minimumNoticeMinutes: number }): SlotRules {
  const slotMinutes = requireIntInRange('input.slotMinutes', input.slotMinutes, 5, 1440);
  const stepMinutes = requireIntInRange('input.stepMinutes', input.stepMinutes ?? slotMinutes, 5, 1440);
  if (slotMinutes % stepMinutes !== 0)
    throw badInput('input.slotMinutes', `slotMinutes (${slotMinutes}) must be a positive multiple of stepMinutes (${stepMinutes})`);
  const notice = requireIntInRange('input.minimumNoticeMinutes', input.minimumNoticeMinutes, 0, 525_600);
  return { slotMinutes, stepMinutes, notBefore: Date.now() + notice * MINUTE };
}

function slots(free: Interval[], rules: SlotRules, gridZone: string): Interval[] {
  return slotsIn(free, rules.slotMinutes, rules.stepMinutes, gridZone).filter((slot) => slot.start >= rules.notBefore);
}

/** Where at least `needed` of the interval lists overlap (a sweep over their edges), merged. */
export function coveredBy(lists: Interval[][], needed: number): Interval[] {
  const edges = lists.flatMap((list) =>
    mergeIntervals(list).flatMap((i) => [
      { at: i.start, delta: 1 },
      { at: i.end, delta: -1 },
    ]),
  );
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const covered: Interval[] = [];
  let depth = 0;
  let openedAt = 0;
  for (const edge of edges) {
    const before = depth;
    depth += edge.delta;
    if (before < needed && depth >= needed) openedAt = edge.at;
    if (before >= needed && depth < needed && edge.at > openedAt) covered.push({ start: openedAt, end: edge.at });
  }
  return mergeIntervals(covered);
}

function toWindow({ from, to }: { from: Date; to: Date }): Interval {
  return { start: from.getTime(), end: to.getTime() };
}

function toTimeIntervals(intervals: Interval[]): TimeInterval[] {
  return intervals.map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
}
