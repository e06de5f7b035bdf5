import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { initOrm } from '../../src/db/orm';
import { applyChangesInChunks } from '../../src/modules/events/chunked-changes';
import { applyChanges, type EventTarget } from '../../src/modules/events/event-store';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import type { ChangeSet, NormalizedEvent } from '../../src/providers/provider';
import { interleaved, median, timed, type Measure } from '../harness';
import { seedResource } from '../seed';

const DAY = 86_400_000;

/** The columns both COPY baselines fill, in the order of {@link copyText}. */
const COPY_COLUMNS = `id, created_at, updated_at, tenant_id, resource_id, external_calendar_id, provider_calendar_id, external_id, series_id,
  recurrence_id, title, starts_at, ends_at, all_day, start_date, end_date, time_zone, status, transparency, active, source`;

/**
 * First ingest and the no-change re-run of `events[0]` occurrences through the event store:
 * - first ingest: applyChanges of one full answer into external_event (triggers, FKs, indexes) of a
 *   new, empty calendar, against `COPY ... FROM STDIN` of the same rows into a copy of
 *   external_event with its indexes and checks but without triggers or FKs; COPY into
 *   external_event itself is a second row;
 * - no-change re-run: the same answer applied again (applyChangesInChunks, as the sync engine
 *   does) to the calendar holding it, against a bare select of the stored rows compared in JS; its
 *   detail counts the rows written and the trigger function calls of one such run.
 */
export const measure: Measure = {
  name: 'ingest',
  async run({ databaseUrl, events, rounds, log }) {
    const count = events[0]!;
    const bare = new Client({ connectionString: databaseUrl });
    await bare.connect();
    // Counted per function in pg_stat_user_functions; set before the ORM's connections open.
    await bare.query(`alter database "${new URL(databaseUrl).pathname.slice(1)}" set track_functions = 'pl'`);
    let orm = await initOrm(databaseUrl);
    try {
      const today = Math.ceil(Date.now() / DAY) * DAY;
      const window = { from: new Date(today), to: new Date(today + 90 * DAY) };
      const em = orm.em.fork({ disableFilters: true } as never);
      const tenant = em.create(Tenant, { name: 'bench-ingest' });
      await em.flush();
      const seeded = await targetOf(em, await seedResource(em.fork(), tenant, 'ingest-0', count, window, 7));
      const answer: ChangeSet = { events: await storedEvents(bare, seeded), deletedIds: [], skipped: [], nextCursor: null, full: true };
      await bare.query('create table bare_external_event (like external_event including all)');

      log(`ingest: first ingest of ${count} events, ${rounds} rounds`);
      let round = 0;
      const fresh = () => seedResource(em.fork(), tenant, `ingest-${++round}`, 0, window, 7).then((resource) => targetOf(em, resource));
      const ingest: number[] = [];
      const copyBare: number[] = [];
      const copyReal: number[] = [];
      for (let index = 0; index <= rounds; index++) {
        const target = await fresh();
        const ours = await timed(() => em.fork().transactional((tx) => applyChanges(tx, target, window, answer)));
        await bare.query('truncate bare_external_event');
        const theirs = await timed(() => copy(bare, 'bare_external_event', copyText(seeded, answer.events)));
        const real = copyText(await fresh(), answer.events);
        const literal = await timed(() => copy(bare, 'external_event', real));
        // The first round warms caches up and is not counted, as in `interleaved`.
        if (index === 0) continue;
        ingest.push(ours);
        copyBare.push(theirs);
        copyReal.push(literal);
      }

      log(`ingest: no-change re-run of ${count} events`);
      const rerun = () => applyChangesInChunks((work) => orm.em.fork().transactional(work), seeded, window, answer, { inTransaction: async () => undefined });
      const unchanged = await interleaved(rounds, rerun, () => compareStored(bare, seeded, answer.events));
      // Statistics reach pg_stat_* when a backend exits: count one re-run on connections of its own.
      await orm.close();
      const before = await counters(bare);
      orm = await initOrm(databaseUrl);
      const written = await rerun();
      await orm.close();
      const after = await counters(bare);
      orm = await initOrm(databaseUrl);

      const realMedian = median(copyReal);
      const changes = `${after.inserted - before.inserted} inserted, ${after.updated - before.updated} updated, ${after.deleted - before.deleted} deleted`;
      return [
        {
          measure: `first ingest of ${count} events`,
          calsync: median(ingest),
          baseline: median(copyBare),
          unit: 'ms',
          goal: 1.5,
          detail: `applyChanges of one full answer into an empty calendar; baseline: COPY FROM STDIN of the same rows into a copy of external_event with its indexes, without triggers or FKs`,
        },
        {
          measure: `first ingest of ${count} events, vs COPY into external_event`,
          calsync: median(ingest),
          baseline: realMedian,
          unit: 'ms',
          goal: 1.5,
          detail: `baseline: COPY FROM STDIN of the same rows into external_event itself (row trigger, FKs, statement triggers)`,
        },
        {
          measure: `no-change re-run of ${count} events`,
          calsync: unchanged.calsync,
          baseline: unchanged.baseline,
          unit: 'ms',
          goal: 1.5,
          detail:
            `applyChangesInChunks of the same full answer again; one run wrote external_event rows: ${changes} ` +
            `(store: ${written.upserted} upserted, ${written.deleted} deleted), trigger function calls: ${after.triggerCalls - before.triggerCalls}; ` +
            `baseline: select of the calendar's stored rows, compared in JS`,
        },
      ];
    } finally {
      await orm.close();
      await bare.end();
    }
  },
};

/** The event store's target of a resource made by seedResource (one connection, one calendar). */
async function targetOf(em: EntityManager, resource: { id: string; tenant: { id: string } }): Promise<EventTarget> {
  const [row] = await em.execute<{ external_calendar_id: string; id: string }[]>(
    'select external_calendar_id, id from provider_calendar where resource_id = ?',
    [resource.id],
  );
  return {
    tenantId: resource.tenant.id,
    resourceId: resource.id,
    externalCalendarId: row!.external_calendar_id,
    providerCalendarId: row!.id,
    privateImport: false,
  };
}

/** The stored occurrences of a calendar as the provider answer that wrote them. */
async function storedEvents(client: Client, target: EventTarget): Promise<NormalizedEvent[]> {
  const { rows } = await client.query<{
    external_id: string;
    title: string | null;
    starts_at: Date;
    ends_at: Date;
    all_day: boolean;
    start_date: string | null;
    end_date: string | null;
    time_zone: string | null;
    status: NormalizedEvent['status'];
    transparency: NormalizedEvent['transparency'];
  }>(
    `select external_id, title, starts_at, ends_at, all_day, start_date::text, end_date::text, time_zone, status, transparency
       from external_event where provider_calendar_id = $1 order by external_id`,
    [target.providerCalendarId],
  );
  return rows.map((row) => ({
    externalId: row.external_id,
    seriesId: null,
    recurrenceId: null,
    title: row.title,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    allDay: row.all_day,
    startDate: row.start_date,
    endDate: row.end_date,
    timeZone: row.time_zone,
    status: row.status,
    transparency: row.transparency,
  }));
}

/** COPY text format of one field: `\N` for null, backslash escapes for the characters it reserves. */
function field(value: string | null): string {
  return value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char]!);
}

/** The rows applyChanges writes for these events into the target's calendar, as COPY text of {@link COPY_COLUMNS}. */
function copyText(target: EventTarget, events: NormalizedEvent[]): string {
  const now = new Date().toISOString();
  const owner = [target.tenantId, target.resourceId, target.externalCalendarId, target.providerCalendarId];
  return events
    .map((event) =>
      [
        randomUUID(),
        now,
        now,
        ...owner,
        event.externalId,
        event.seriesId,
        event.recurrenceId,
        event.title,
        event.startsAt.toISOString(),
        event.endsAt.toISOString(),
        String(event.allDay),
        event.startDate,
        event.endDate,
        event.timeZone,
        event.status,
        event.transparency,
        'true',
        'PROVIDER_SYNC',
      ]
        .map(field)
        .join('\t'),
    )
    .join('\n')
    .concat('\n');
}

/** `COPY table (COPY_COLUMNS) FROM STDIN` of some text. */
async function copy(client: Client, table: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${table} (${COPY_COLUMNS}) from stdin`)));
}

/** Reads the calendar's stored occurrences and compares them with the answer's, field by field, as a bare diff would. */
async function compareStored(client: Client, target: EventTarget, events: NormalizedEvent[]): Promise<void> {
  const { rows } = await client.query<{ external_id: string; title: string | null; starts_at: Date; ends_at: Date; status: string; transparency: string }>(
    'select external_id, title, starts_at, ends_at, status, transparency from external_event where provider_calendar_id = $1',
    [target.providerCalendarId],
  );
  const stored = new Map(rows.map((row) => [row.external_id, row]));
  const changed = events.filter((event) => {
    const row = stored.get(event.externalId);
    return (
      !row ||
      row.title !== event.title ||
      row.starts_at.getTime() !== event.startsAt.getTime() ||
      row.ends_at.getTime() !== event.endsAt.getTime() ||
      row.status !== event.status ||
      row.transparency !== event.transparency
    );
  });
  if (changed.length > 0) throw new Error(`The baseline found ${changed.length} changed events in an unchanged answer`);
}

/** Rows written into external_event and trigger function calls so far, once every other backend of the database has exited. */
async function counters(client: Client): Promise<{ inserted: number; updated: number; deleted: number; triggerCalls: number }> {
  for (let waited = 0; ; waited += 50) {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    if (rows[0]!.n === 0) break;
    if (waited > 10_000) throw new Error('Other connections to the bench database did not close');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.query('select pg_stat_clear_snapshot()');
  const { rows } = await client.query<{ inserted: string; updated: string; deleted: string; calls: string }>(
    `select t.n_tup_ins as inserted, t.n_tup_upd as updated, t.n_tup_del as deleted,
            (select coalesce(sum(f.calls), 0) from pg_stat_user_functions f join pg_proc p on p.oid = f.funcid
              where p.prorettype = 'trigger'::regtype) as calls
       from pg_stat_user_tables t where t.relname = 'external_event'`,
  );
  const row = rows[0]!;
  return { inserted: Number(row.inserted), updated: Number(row.updated), deleted: Number(row.deleted), triggerCalls: Number(row.calls) };
}
