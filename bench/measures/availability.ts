import { initOrm, TENANT_FILTER } from '../../src/db/orm';
import { AvailabilityService } from '../../src/modules/availability/availability.service';
import { BusyTimeCache } from '../../src/modules/availability/busy-time-cache';
import type { ModuleDeps } from '../../src/modules/shared/module-deps';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { interleaved, type Measure } from '../harness';
import { seedResource } from '../seed';

const DAY = 86_400_000;
/** Timings per round: one answer is well under a millisecond to a few, so each round takes many. */
const ANSWERS_PER_ROUND = 50;
const BARE_QUERY = `select starts_at, ends_at from external_event
  where resource_id = ? and tstzrange(starts_at, ends_at, '[)') && tstzrange(?, ?, '[)')`;

/**
 * A 30-day `availability` answer for a resource with `events[0]` events over 90 days, with an
 * empty busy-time cache (as after every change) and a warm one, against the bare indexed overlap
 * query that fetches the same intervals.
 */
export const measure: Measure = {
  name: 'availability',
  async run({ databaseUrl, events, rounds, log }) {
    const orm = await initOrm(databaseUrl);
    try {
      const start = Math.ceil(Date.now() / DAY) * DAY;
      const em = orm.em.fork({ disableFilters: true } as never);
      const tenant = em.create(Tenant, { name: 'bench-availability' });
      await em.flush();
      const resource = await seedResource(em, tenant, 'availability', events[0]!, { from: new Date(start), to: new Date(start + 90 * DAY) }, 1);
      await orm.em.getConnection().execute('analyze');
      const from = new Date(start + 30 * DAY);
      const to = new Date(from.getTime() + 30 * DAY);
      const answer = (cache: BusyTimeCache) => {
        const scoped = orm.em.fork();
        scoped.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
        const service = new AvailabilityService(scoped, { busyTime: cache } as ModuleDeps);
        return service.availability(scoped.getReference(Tenant, tenant.id), {
          resourceId: resource.id,
          from,
          to,
          slotMinutes: 30,
          minimumNoticeMinutes: 0,
          syncExternal: false,
        });
      };
      const repeat = (work: (index: number) => Promise<unknown>) => async () => {
        for (let i = 0; i < ANSWERS_PER_ROUND; i++) await work(i);
      };
      const bare = repeat(() => orm.em.getConnection().execute(BARE_QUERY, [resource.id, from, to]));
      const warmCache = new BusyTimeCache();
      // A process has one cache, created at start: a cold answer is one that misses it, so each answer gets an empty cache made before the clock runs.
      let emptyCaches: BusyTimeCache[] = [];
      const cold = await interleaved(
        rounds,
        repeat((index) => answer(emptyCaches[index]!)),
        bare,
        () => (emptyCaches = Array.from({ length: ANSWERS_PER_ROUND }, () => new BusyTimeCache())),
      );
      const warm = await interleaved(
        rounds,
        repeat(() => answer(warmCache)),
        bare,
      );
      const busy = (await answer(new BusyTimeCache())).busy.length;
      log(`${events[0]} events over 90 days; a 30-day answer has ${busy} busy intervals`);
      const per = (total: number) => total / ANSWERS_PER_ROUND;
      const detail = `${events[0]} events, 30-day window, ${busy} busy intervals, median of ${rounds} rounds of ${ANSWERS_PER_ROUND} answers`;
      return [
        { measure: 'availability, 30 days, cold cache', calsync: per(cold.calsync), baseline: per(cold.baseline), unit: 'ms', goal: 1.5, detail },
        { measure: 'availability, 30 days, warm cache', calsync: per(warm.calsync), baseline: per(warm.baseline), unit: 'ms', goal: 0.5 },
      ];
    } finally {
      await orm.close();
    }
  },
};
