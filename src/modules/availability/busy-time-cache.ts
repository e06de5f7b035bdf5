import type { EntityManager } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import type { Resource } from '../resources/resource.entity';
import { loadBusyIntervals, reachOf } from './busy-time';
import type { Interval } from './intervals';

const DAY = 86_400_000;
/** Resources whose busy time one process keeps. */
const MAX_RESOURCES = 10_000;

/** The merged busy intervals (without buffers) of one resource over `range`, as of `version`. */
interface Entry {
  version: string;
  range: Interval;
  intervals: Interval[];
}

/**
 * The busy time of resources, kept per process and keyed by `resource.busy_version`, which
 * PostgreSQL grows in the same transaction as every write of the resource's events and
 * appointments. A copy is used only when the resource row just read carries the version it was
 * loaded under, so a committed change is never answered from a stale copy, whichever process
 * made it. The version is read before the intervals, so a copy can only be newer than its key
 * (which costs one needless reload), never older. Least recently used resources are dropped
 * beyond 10,000 (lru-cache).
 */
export class BusyTimeCache {
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_RESOURCES });

  /**
   * The merged busy intervals (without buffers, see busyTime) of each resource around `window`,
   * from the cache where the stored version matches the resource's, the others loaded in ONE
   * statement (whole UTC days around the window, so that nearby windows hit too).
   */
  async intervals(em: EntityManager, tenantId: string, resources: Resource[], window: Interval): Promise<Map<string, Interval[]>> {
    const reach = reachOf(resources) * 60_000;
    const needed = { start: window.start - reach, end: window.end + reach };
    const result = new Map<string, Interval[]>();
    const missing: Resource[] = [];
    for (const resource of resources) {
      const entry = this.entries.get(resource.id);
      if (entry && entry.version === resource.busyVersion && entry.range.start <= needed.start && needed.end <= entry.range.end) {
        result.set(
          resource.id,
          entry.intervals.filter((interval) => interval.end > needed.start && interval.start < needed.end),
        );
      } else {
        missing.push(resource);
      }
    }
    if (missing.length === 0) return result;
    const range = { start: Math.floor(needed.start / DAY) * DAY, end: Math.ceil(needed.end / DAY) * DAY };
    const loaded = await loadBusyIntervals(
      em,
      tenantId,
      missing.map((resource) => resource.id),
      range,
      0,
    );
    for (const resource of missing) {
      const intervals = loaded.get(resource.id)!;
      this.entries.set(resource.id, { version: resource.busyVersion, range, intervals });
      result.set(resource.id, intervals);
    }
    return result;
  }
}
