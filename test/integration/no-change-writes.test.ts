import 'reflect-metadata';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { applyChangesInChunks } from '../../src/modules/events/chunked-changes';
import { applyChanges, upsertPartnerEvents, type EventTarget, type PartnerEventRow } from '../../src/modules/events/event-store';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind, type ChangeSet, type NormalizedEvent } from '../../src/providers/provider';
import { makeEvent } from '../helpers/builders';

const window = { from: new Date('2027-02-01T00:00:00Z'), to: new Date('2027-03-01T00:00:00Z') };
const HOUR = 3_600_000;

/** 1,200 occurrences (more than two statements' worth), with tentative and all-day ones, whose blocking flag reads SyncConfig. */
const answer: NormalizedEvent[] = Array.from({ length: 1_200 }, (_, k) => {
  const startsAt = new Date(window.from.getTime() + k * HOUR);
  if (k % 50 === 0)
    return makeEvent(`e${k}`, startsAt, new Date(startsAt.getTime() + 24 * HOUR), { allDay: true, startDate: '2027-02-01', endDate: '2027-02-02' });
  return makeEvent(`e${k}`, startsAt, new Date(startsAt.getTime() + HOUR / 2), { status: k % 7 === 0 ? 'TENTATIVE' : 'CONFIRMED' });
});
const full = (events: NormalizedEvent[]): ChangeSet => ({ events, deletedIds: [], skipped: [], nextCursor: null, full: true });

/** Rows written into external_event and trigger function calls. */
interface Written {
  inserted: number;
  updated: number;
  deleted: number;
  triggerCalls: number;
}

/**
 * The backend's counters not yet reported to pg_stat (PostgreSQL 15 adds those of earlier
 * transactions to the current one's): only a difference within one transaction is the transaction's.
 */
async function counters(em: EntityManager): Promise<Written> {
  const [row] = await em.execute<Written[]>(
    `select pg_stat_get_xact_tuples_inserted('external_event'::regclass)::int as inserted,
            pg_stat_get_xact_tuples_updated('external_event'::regclass)::int as updated,
            pg_stat_get_xact_tuples_deleted('external_event'::regclass)::int as deleted,
            (select coalesce(sum(pg_stat_get_xact_function_calls(p.oid)), 0)::int from pg_proc p where p.prorettype = 'trigger'::regtype) as "triggerCalls"`,
  );
  return row!;
}

const minus = (after: Written, before: Written): Written => ({
  inserted: after.inserted - before.inserted,
  updated: after.updated - before.updated,
  deleted: after.deleted - before.deleted,
  triggerCalls: after.triggerCalls - before.triggerCalls,
});

describe('a no-change re-run writes nothing and fires no trigger', () => {
  let orm: MikroORM;
  let target: EventTarget;

  beforeAll(async () => {
    orm = await initOrm(process.env.DATABASE_URL!);
    const em = orm.em.fork();
    const tenant = em.create(Tenant, { name: 'no-change' });
    const resource = em.create(Resource, { tenant, name: 'r', timeZone: 'UTC' });
    const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
    em.create(SyncConfig, { tenant, externalCalendar: connection, tentativeIsBusy: false });
    const calendar = em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: 'cal', name: 'cal', read: true });
    await em.flush();
    target = { tenantId: tenant.id, resourceId: resource.id, externalCalendarId: connection.id, providerCalendarId: calendar.id, privateImport: false };
  });
  afterAll(() => orm.close());

  /** Runs `work` in a transaction that counts function calls, and returns what it wrote with its result. */
  const counted = <T>(work: (em: EntityManager) => Promise<T>): Promise<Written & { result: T }> =>
    orm.em.fork().transactional(async (em) => {
      await em.execute(`set local track_functions = 'pl'`);
      const before = await counters(em);
      const result = await work(em);
      return { ...minus(await counters(em), before), result };
    });

  it('applyChanges: the first ingest runs the row trigger once per row, the same answer again nothing', async () => {
    const first = await counted((em) => applyChanges(em, target, window, full(answer)));
    // Per row: the BEFORE INSERT trigger; per statement: the busy_version trigger, and that of the full answer's DELETE.
    expect(first).toMatchObject({ inserted: 1_200, updated: 0, deleted: 0, result: { upserted: 1_200, deleted: 0 } });
    expect(first.triggerCalls).toBeGreaterThanOrEqual(1_200);

    const again = await counted((em) => applyChanges(em, target, window, { ...full(answer), full: false }));
    expect(again).toEqual({ inserted: 0, updated: 0, deleted: 0, triggerCalls: 0, result: { upserted: 0, deleted: 0 } });

    const oneChanged = answer.map((event, k) => (k === 3 ? { ...event, title: 'renamed' } : event));
    const changed = await counted((em) => applyChanges(em, target, window, { ...full(oneChanged), full: false }));
    expect(changed).toMatchObject({ inserted: 0, updated: 1, deleted: 0, result: { upserted: 1, deleted: 0 } });
    // The row triggers of the one changed row (BEFORE INSERT, then BEFORE UPDATE on its conflict), and the busy_version statement triggers.
    expect(changed.triggerCalls).toBeLessThanOrEqual(4);
  });

  it('applyChangesInChunks, as a sync applies a full answer: the same answer again writes and triggers nothing', async () => {
    const total: Written = { inserted: 0, updated: 0, deleted: 0, triggerCalls: 0 };
    let before = total;
    const stored = answer.map((event, k) => (k === 3 ? { ...event, title: 'renamed' } : event));
    const result = await applyChangesInChunks(
      (work) =>
        orm.em.fork().transactional(async (em) => {
          await em.execute(`set local track_functions = 'pl'`);
          before = await counters(em);
          return work(em);
        }),
      target,
      window,
      full(stored),
      {
        async inTransaction(em) {
          const counts = minus(await counters(em), before);
          for (const key of Object.keys(total) as (keyof Written)[]) total[key] += counts[key];
        },
      },
    );
    expect(result).toEqual({ upserted: 0, deleted: 0 });
    expect(total).toEqual({ inserted: 0, updated: 0, deleted: 0, triggerCalls: 0 });
  });

  it('upsertPartnerEvents: pushing the same items again writes and triggers nothing', async () => {
    const rows: PartnerEventRow[] = answer.slice(0, 600).map((event) => ({
      externalId: `p-${event.externalId}`,
      title: event.title,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      allDay: event.allDay,
      startDate: event.startDate,
      endDate: event.endDate,
      timeZone: event.allDay ? 'UTC' : null,
      status: event.status,
      transparency: event.transparency,
    }));
    const first = await counted((em) => upsertPartnerEvents(em, target.tenantId, target.resourceId, rows));
    expect(first).toMatchObject({ inserted: 600 });
    expect(new Set(first.result.values())).toEqual(new Set(['CREATED']));
    const again = await counted((em) => upsertPartnerEvents(em, target.tenantId, target.resourceId, rows));
    expect({ ...again, result: new Set(again.result.values()) }).toEqual({
      inserted: 0,
      updated: 0,
      deleted: 0,
      triggerCalls: 0,
      result: new Set(['UNCHANGED']),
    });
  });
});
