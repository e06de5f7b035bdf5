import type { EntityManager } from '@mikro-orm/postgresql';
import type { Resource } from '../resources/resource.entity';
import type { Interval } from './intervals';

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
 * the number of resources (the GiST index on (resource_id, tstzrange) serves it). An event
 * blocks when it is active, not CANCELLED, OPAQUE (RFC 5545 TRANSP), tentative only when its
 * connection's SyncConfig.tentativeIsBusy, all-day only when allDayIsBusy. Zero-length events
 * block nothing. The window is widened by each resource's buffers, which reach beyond it.
 */
export async function loadBlockingEvents(em: EntityManager, tenantId: string, resources: Resource[], window: Interval): Promise<Map<string, BlockingEvent[]>> {
  const byResource = new Map<string, BlockingEvent[]>(resources.map((resource) => [resource.id, []]));
  if (resources.length === 0) return byResource;
  const rows: { id: string; resource_id: string; starts_at: Date; ends_at: Date }[] = await em.getConnection().execute(
    // Raw pg rows, not entities: thousands of events per question would otherwise be hydrated.
    `select e.id, e.resource_id, e.starts_at, e.ends_at ${BLOCKING}`,
    blockingParams(tenantId, resources, window),
  );
  for (const row of rows) {
    byResource.get(row.resource_id)!.push({ id: row.id, resourceId: row.resource_id, start: new Date(row.starts_at).getTime(), end: new Date(row.ends_at).getTime() });
  }
  return byResource;
}

/**
 * The busy time of these resources around `window`: their blocking events widened by their
 * buffers and merged by PostgreSQL (`range_agg`), in ONE statement whatever the number of
 * resources, so that thousands of events travel as the few hundred intervals they make.
 * Not clipped to the window.
 */
export async function loadBusyTime(em: EntityManager, tenantId: string, resources: BufferedResource[], window: Interval): Promise<Map<string, Interval[]>> {
  const byResource = new Map<string, Interval[]>(resources.map((resource) => [resource.id, []]));
  if (resources.length === 0) return byResource;
  const rows: { resource_id: string; starts_at: Date; ends_at: Date }[] = await em.getConnection().execute(
    `select resource_id, lower(busy) as starts_at, upper(busy) as ends_at
       from (select e.resource_id,
                    unnest(range_agg(tstzrange(e.starts_at - r.buffer_before_minutes * interval '1 minute',
                                               e.ends_at + r.buffer_after_minutes * interval '1 minute', '[)'))) as busy
               ${BLOCKING}
              group by e.resource_id) merged`,
    blockingParams(tenantId, resources, window),
  );
  for (const row of rows) byResource.get(row.resource_id)!.push({ start: new Date(row.starts_at).getTime(), end: new Date(row.ends_at).getTime() });
  return byResource;
}

/** The interval an event keeps busy: itself widened by the resource's buffers before and after. */
export function withBuffers(resource: Resource, event: BlockingEvent): Interval {
  return { start: event.start - resource.bufferBeforeMinutes * MINUTE, end: event.end + resource.bufferAfterMinutes * MINUTE };
}

/**
 * FROM and WHERE of the blocking events (see {@link loadBlockingEvents}); parameters from
 * {@link blockingParams}. Zero-length events block nothing, even with buffers.
 */
const BLOCKING = `from external_event e
       join sync_config c on c.external_calendar_id = e.external_calendar_id
       join resource r on r.id = e.resource_id
      where e.tenant_id = ?
        and e.resource_id = any(?::uuid[])
        and tstzrange(e.starts_at, e.ends_at, '[)') && tstzrange(?, ?, '[)')
        and e.active and e.status <> 'CANCELLED' and e.transparency = 'OPAQUE'
        and (e.status <> 'TENTATIVE' or c.tentative_is_busy)
        and (not e.all_day or c.all_day_is_busy)`;

/** The window is widened by the largest buffer, which lets events just outside it reach in. */
function blockingParams(tenantId: string, resources: BufferedResource[], window: Interval): unknown[] {
  const reach = Math.max(...resources.map((r) => Math.max(r.bufferBeforeMinutes, r.bufferAfterMinutes))) * MINUTE;
  // A PostgreSQL array literal: knex would spread a JS array into a list of parameters.
  return [tenantId, `{${resources.map((r) => r.id).join(',')}}`, new Date(window.start - reach), new Date(window.end + reach)];
}
