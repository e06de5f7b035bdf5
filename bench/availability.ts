/**
 * Availability benchmark (issue 5): `npm run bench`. Against a real PostgreSQL (DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) it creates a throwaway database
 * `calsync_bench`, stores 10,000 events for one resource across 90 days and times a 30-day
 * `availability` answer (with an empty busy-time cache, as after a change, and with a warm one)
 * against the bare indexed overlap query that fetches the same intervals,
 * then `freeBusy` for 1 and 50 resources with the SQL statements each sends. Drops the database.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { initOrm, TENANT_FILTER } from '../src/db/orm';
import { AvailabilityService } from '../src/modules/availability/availability.service';
import { BusyTimeCache } from '../src/modules/availability/busy-time-cache';
import type { ModuleDeps } from '../src/modules/shared/module-deps';
import { Tenant } from '../src/modules/tenancy/tenant.entity';
import { seedResource } from './seed';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'calsync_bench';
const DAY = 86_400_000;
const EVENTS = 10_000;
const OTHER_RESOURCES = 49;
const EVENTS_PER_OTHER = 200;
const WARMUP = 20;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const BARE_QUERY = `select starts_at, ends_at from external_event
  where resource_id = ? and tstzrange(starts_at, ends_at, '[)') && tstzrange(?, ?, '[)')`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const ms = (value: number) => value.toFixed(2).padStart(9);

/** A statement from MikroORM's query log: `[query] <sql> [took N ms, M results]`. */
function parseLogged(message: string): { sql: string; ms: number } {
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '').replace(/^\[query\]\s*/, '');
  const match = /\s*\[took (\d+) ms[^\]]*\]\s*$/.exec(plain);
  return { sql: match ? plain.slice(0, match.index) : plain, ms: match ? Number(match[1]) : NaN };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const url = new URL(SERVER);
  url.pathname = `/${DATABASE}`;
  await admin(`drop database if exists ${DATABASE} with (force)`);
  await admin(`create database ${DATABASE}`);
  const statements: string[] = [];
  let orm: MikroORM | undefined;
  let counting: MikroORM | undefined;
  try {
    orm = await initOrm(url.toString());
    // A second ORM on the same database whose logger sees every SQL statement (as the tests count them).
    // Parameters are inlined into the logged SQL ('query-params'), so a logged statement can be EXPLAINed as it ran.
    counting = await initOrm(url.toString(), { debug: ['query', 'query-params'], colors: false, logger: (message: string) => statements.push(message) });

    // Seed: the window of 90 days starts at the next UTC midnight, so no slot is in the past.
    const start = Math.ceil(Date.now() / DAY) * DAY;
    const seedWindow = { from: new Date(start), to: new Date(start + 90 * DAY) };
    const seeding = performance.now();
    const em = orm.em.fork({ disableFilters: true } as never);
    const tenant = em.create(Tenant, { name: 'bench' });
    await em.flush();
    const main = await seedResource(em, tenant, 'main', EVENTS, seedWindow, 1);
    const others = [];
    for (let r = 0; r < OTHER_RESOURCES; r++) others.push(await seedResource(em, tenant, `other-${r}`, EVENTS_PER_OTHER, seedWindow, 100 + r));
    await orm.em.getConnection().execute('analyze');
    const [{ stored }] = await orm.em.getConnection().execute('select count(*)::int as stored from external_event where resource_id = ?', [main.id]);
    console.log(
      `Seeded ${stored} events for one resource and ${OTHER_RESOURCES} x ${EVENTS_PER_OTHER} for others over 90 days in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );

    const from = new Date(start + 30 * DAY);
    const to = new Date(from.getTime() + 30 * DAY);
    // Availability without syncExternal, and freeBusy, use only the EntityManager and the busy-time cache.
    // "cold" answers start from an empty cache each time (as after every change); "warm" ones share one.
    const warm = new BusyTimeCache();
    const service = (on: MikroORM, cache: BusyTimeCache) => {
      const scoped = on.em.fork();
      scoped.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
      return { svc: new AvailabilityService(scoped, { busyTime: cache } as ModuleDeps), tenant: scoped.getReference(Tenant, tenant.id) };
    };
    const availability = async (on: MikroORM, cache = new BusyTimeCache()) => {
      const { svc, tenant: t } = service(on, cache);
      return svc.availability(t, { resourceId: main.id, from, to, slotMinutes: 30, minimumNoticeMinutes: 0, syncExternal: false });
    };
    const bare = (): Promise<{ starts_at: Date; ends_at: Date }[]> => orm!.em.getConnection().execute(BARE_QUERY, [main.id, from, to]);
    const freeBusy = async (on: MikroORM, ids: string[]) => {
      const { svc, tenant: t } = service(on, new BusyTimeCache());
      return svc.freeBusy(t, ids, from, to);
    };
    const fifty = [main.id, ...others.map((r) => r.id)];

    // Interleaved timing, so that both sides see the same cache and load.
    const samples = { availability: [] as number[], warm: [] as number[], bare: [] as number[], freeBusy1: [] as number[], freeBusy50: [] as number[] };
    const time = async (into: number[] | null, run: () => Promise<unknown>) => {
      const t0 = performance.now();
      await run();
      into?.push(performance.now() - t0);
    };
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const keep = i >= WARMUP;
      await time(keep ? samples.availability : null, () => availability(orm!));
      await time(keep ? samples.warm : null, () => availability(orm!, warm));
      await time(keep ? samples.bare : null, bare);
      if (i % 4 === 0) await time(keep ? samples.freeBusy1 : null, () => freeBusy(orm!, [main.id]));
      if (i % 4 === 0) await time(keep ? samples.freeBusy50 : null, () => freeBusy(orm!, fifty));
    }

    const answer = await availability(orm);
    const rows = await bare();
    const fb50 = await freeBusy(orm, fifty);
    const a = stats(samples.availability);
    const w = stats(samples.warm);
    const b = stats(samples.bare);
    const f1 = stats(samples.freeBusy1);
    const f50 = stats(samples.freeBusy50);
    const count = async (run: () => Promise<unknown>) => {
      statements.length = 0;
      await run();
      return statements.length;
    };
    const sql = {
      availability: await count(() => availability(counting!)),
      warm: await count(() => availability(counting!, warm)),
      freeBusy1: await count(() => freeBusy(counting!, [main.id])),
      freeBusy50: await count(() => freeBusy(counting!, fifty)),
    };

    console.log(`\n30-day window ${from.toISOString()} .. ${to.toISOString()}, slotMinutes 30, ${ITERATIONS} iterations after ${WARMUP} warm-up`);
    console.log(
      `availability: ${answer.slots.length} slots, ${answer.free.length} free and ${answer.busy.length} busy intervals; bare query: ${rows.length} rows`,
    );
    console.log('\n| measurement                         | median ms |    p95 ms | SQL statements |');
    console.log('|-------------------------------------|-----------|-----------|----------------|');
    console.log(`| availability (30 days), cold cache  | ${ms(a.median)} | ${ms(a.p95)} | ${String(sql.availability).padStart(14)} |`);
    console.log(`| availability (30 days), warm cache  | ${ms(w.median)} | ${ms(w.p95)} | ${String(sql.warm).padStart(14)} |`);
    console.log(`| bare indexed overlap query          | ${ms(b.median)} | ${ms(b.p95)} | ${'1'.padStart(14)} |`);
    console.log(`| freeBusy, 1 resource                | ${ms(f1.median)} | ${ms(f1.p95)} | ${String(sql.freeBusy1).padStart(14)} |`);
    console.log(`| freeBusy, 50 resources              | ${ms(f50.median)} | ${ms(f50.p95)} | ${String(sql.freeBusy50).padStart(14)} |`);
    for (const [label, measured] of [
      ['cold cache', a],
      ['warm cache', w],
    ] as const) {
      const ratio = measured.median / b.median;
      console.log(
        `ratio availability (${label}) / bare query: median ${ratio.toFixed(2)}x, p95 ${(measured.p95 / b.p95).toFixed(2)}x (target <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`,
      );
    }
    console.log(
      `freeBusy SQL statements, 1 vs 50 resources: ${sql.freeBusy1} vs ${sql.freeBusy50} (${sql.freeBusy1 === sql.freeBusy50 ? 'independent of the number' : 'DEPENDS on the number'}); ${fb50.length} answers`,
    );

    // Where availability spends its SQL time: each statement as MikroORM logged it, over 20 answers.
    const took = new Map<string, number[]>();
    for (let i = 0; i < 20; i++) {
      statements.length = 0;
      await availability(counting);
      for (const { sql: text, ms: duration } of statements.map(parseLogged)) took.set(text, [...(took.get(text) ?? []), duration]);
    }
    console.log('\nSQL statements of one availability answer (median ms as logged, whole milliseconds):');
    for (const [text, durations] of took) console.log(`  ${String(stats(durations).median).padStart(3)} ms  ${text.replace(/\s+/g, ' ').slice(0, 110)}`);

    const explain = async (label: string, query: string, params: unknown[] = []) => {
      const plan = (await orm!.em.getConnection().execute(`explain (analyze, costs off, timing off, summary off) ${query}`, params)) as {
        'QUERY PLAN': string;
      }[];
      const text = plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n');
      console.log(
        `\nEXPLAIN ANALYZE of ${label} (${text.includes('external_event_overlap') ? 'uses' : 'does NOT use'} the GiST index external_event_overlap):\n${text}`,
      );
    };
    await explain('the bare query', BARE_QUERY, [main.id, from, to]);
    const busyStatement = [...took.keys()].find((text) => /from\s+"?external_event"?/.test(text));
    if (busyStatement) await explain("availability's own busy-time statement", busyStatement);
  } finally {
    await counting?.close();
    await orm?.close();
    await admin(`drop database if exists ${DATABASE} with (force)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
