import type { EntityManager } from '@mikro-orm/postgresql';
import type { Resource } from '../resources/resource.entity';
import { mergeIntervals, type Interval } from './intervals';

const MINUTE = 60_000;

/** What the queries need of a resource: its id, and its buffers to know how far events reach. */
export type BufferedResource = Pick<Resource, 'id' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>;

/** A stored external event that blocks its resource's time. */
export interface BlockingEvent {
  id: string;
  resourceId: string;
  /** Epoch milliseconds, UTC. */
  start: number;
  end: number;
}

/**
 * The events that block time for these resources around `window`, in ONE statement whatever
 * the number of resources. An event blocks when it is active, not CANCELLED, OPAQUE (RFC 5545
 * TRANSP), tentative only when its connection's SyncConfig.tentativeIsBusy, all-day only when
 * allDayIsBusy (ExternalEvent.blocking). Zero-length events block nothing. The window is
 * widened by each resource's buffers, which reach beyond it.
 */
export async function loadBlockingEvents(
  em: EntityManager,
  tenantId: string,
  resources: BufferedResource[],
  window: Interval,
): Promise<Map<string, BlockingEvent[]>> {
  const byResource = new Map<string, BlockingEvent[]>(resources.map((resource) => [resource.id, []]));
  if (resources.length === 0) return byResource;
  const rows: { id: string; resource_id: string; starts_at: Date; ends_at: Date }[] = await em.execute(
    // Raw pg rows, not entities: thousands of events per question would otherwise be hydrated.
    `select e.id, e.resource_id, e.starts_at, e.ends_at ${BLOCKING}`,
    blockingParams(
      tenantId,
      resources.map((r) => r.id),
      window,
      reachOf(resources),
    ),
  );
  for (const row of rows) {
    byResource
      .get(row.resource_id)!
      .push({ id: row.id, resourceId: row.resource_id, start: new Date(row.starts_at).getTime(), end: new Date(row.ends_at).getTime() });
  }
  return byResource;
}

/**
 * The time taken by the blocking events and appointments (CONFIRMED, TENTATIVE) of these
 * resources around `window` (see {@link loadBlockingEvents}), per resource, leaving out the
 * appointment `exceptAppointmentId` (the one being rescheduled), merged by PostgreSQL (`range_agg`) but without
 * buffers, in ONE statement whatever the number of resources: thousands of events travel as
 * the few hundred intervals they make, as epoch seconds (float8, which parses far faster than
 * timestamptz text). `reachMinutes` widens the window so that events whose buffers reach into
 * it are included (the largest buffer of the resources). Buffers are applied by {@link busyTime}:
 * widening commutes with merging, and interval arithmetic in SQL measured slower (bench/availability).
 */
export async function loadBusyIntervals(
  em: EntityManager,
  tenantId: string,
  resourceIds: string[],
  window: Interval,
  reachMinutes: number,
  exceptAppointmentId: string | null = null,
): Promise<Map<string, Interval[]>> {
  const byResource = new Map<string, Interval[]>(resourceIds.map((id) => [id, []]));
  if (resourceIds.length === 0) return byResource;
  const params = blockingParams(tenantId, resourceIds, window, reachMinutes);
  const rows: { resource_id: string; start: number; end: number }[] = await em.execute(
    `select resource_id, date_part('epoch', lower(taken)) as start, date_part('epoch', upper(taken)) as end
       from (select resource_id, unnest(range_agg(span)) as taken
               from (select e.resource_id, tstzrange(e.starts_at, e.ends_at, '[)') as span ${BLOCKING}
                     union all
                     select a.resource_id, tstzrange(a.starts_at, a.ends_at, '[)') ${BLOCKING_APPOINTMENTS}) spans
              group by resource_id) merged`,
    [...params, ...params, exceptAppointmentId],
  );
  for (const row of rows) byResource.get(row.resource_id)!.push({ start: Math.round(row.start * 1000), end: Math.round(row.end * 1000) });
  return byResource;
}

/** An appointment that blocks time (CONFIRMED or TENTATIVE). */
export interface BlockingAppointment {
  id: string;
  /** Epoch milliseconds, UTC. */
  start: number;
  end: number;
}

/** The appointments of one resource that block time around `window` (for explanations). */
export async function loadBlockingAppointments(
  em: EntityManager,
  tenantId: string,
  resource: BufferedResource,
  window: Interval,
): Promise<BlockingAppointment[]> {
  const rows: { id: string; starts_at: string; ends_at: string }[] = await em.execute(`select a.id, a.starts_at, a.ends_at ${BLOCKING_APPOINTMENTS}`, [
    ...blockingParams(tenantId, [resource.id], window, reachOf([resource])),
    null,
  ]);
  return rows.map((row) => ({ id: row.id, start: Date.parse(row.starts_at), end: Date.parse(row.ends_at) }));
}

/** A resource's busy time: its blocking intervals widened by its buffers, sorted and merged. */
export function busyTime(resource: BufferedResource, intervals: Interval[]): Interval[] {
  return mergeIntervals(intervals.map((interval) => withBuffers(resource, interval)));
}

/** The interval an event keeps busy: itself widened by the resource's buffers before and after. */
export function withBuffers(resource: BufferedResource, event: Interval): Interval {
  return { start: event.start - resource.bufferBeforeMinutes * MINUTE, end: event.end + resource.bufferAfterMinutes * MINUTE };
}

/**
 * FROM and WHERE of the blocking events (see {@link loadBlockingEvents}), parameters from
 * {@link blockingParams}. `blocking` is kept by triggers and served by the partial GiST index
 * `external_event_blocking` (migration Migration20261122180000_blocking_events).
 */
const BLOCKING = `from external_event e
      where e.tenant_id = ?
        and e.resource_id = any(?::uuid[])
        and tstzrange(e.starts_at, e.ends_at, '[)') && tstzrange(?, ?, '[)')
        and e.blocking`;

/** FROM and WHERE of the appointments that block time: not CANCELLED; parameters as {@link BLOCKING}, then an appointment to leave out (or null). */
const BLOCKING_APPOINTMENTS = `from appointment a
      where a.tenant_id = ?
        and a.resource_id = any(?::uuid[])
        and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(?, ?, '[)')
        and a.status <> 'CANCELLED'
        and a.id is distinct from ?::uuid`;

/** The window is widened by `reachMinutes`, which lets events just outside it reach in with their buffers. */
function blockingParams(tenantId: string, resourceIds: string[], window: Interval, reachMinutes: number): unknown[] {
  // A PostgreSQL array literal: knex would spread a JS array into a list of parameters.
  return [tenantId, `{${resourceIds.join(',')}}`, new Date(window.start - reachMinutes * MINUTE), new Date(window.end + reachMinutes * MINUTE)];
}

/** The largest buffer of these resources, minutes: how far around a window their busy time reaches. */
export function reachOf(resources: BufferedResource[]): number {
  return Math.max(0, ...resources.map((r) => Math.max(r.bufferBeforeMinutes, r.bufferAfterMinutes)));
}
