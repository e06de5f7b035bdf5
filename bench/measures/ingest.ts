import { initOrm } from '../../src/db/orm';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { interleaved, type Measure } from '../harness';
import { seedResource } from '../seed';

const DAY = 86_400_000;

/**
 * First ingest of `events[0]` occurrences through the event store (applyChanges, one full answer,
 * into external_event with its triggers and FKs; a new resource and calendar rows each round)
 * against one multi-row INSERT (jsonb_populate_recordset of one parameter) of the same rows into
 * a copy of external_event without triggers or FKs. pg-copy-streams is not installed, hence no COPY.
 */
export const measure: Measure = {
  name: 'ingest',
  async run({ databaseUrl, events, rounds }) {
    const orm = await initOrm(databaseUrl);
    try {
      const count = events[0]!;
      const window = { from: new Date(Math.ceil(Date.now() / DAY) * DAY), to: new Date(Math.ceil(Date.now() / DAY) * DAY + 90 * DAY) };
      const em = orm.em.fork({ disableFilters: true } as never);
      const tenant = em.create(Tenant, { name: 'bench-ingest' });
      await em.flush();
      const connection = orm.em.getConnection();
      const first = await seedResource(em.fork(), tenant, 'ingest-0', count, window, 7);
      await connection.execute('create table bare_external_event (like external_event including defaults)');
      const [{ rows }] = (await connection.execute(`select coalesce(jsonb_agg(to_jsonb(e)), '[]'::jsonb) as rows from external_event e where resource_id = ?`, [
        first.id,
      ])) as [{ rows: unknown }];
      const payload = JSON.stringify(rows);
      let round = 0;
      const result = await interleaved(
        rounds,
        () => seedResource(em.fork(), tenant, `ingest-${++round}`, count, window, 7),
        async () => {
          await connection.execute('truncate bare_external_event');
          await connection.execute('insert into bare_external_event select * from jsonb_populate_recordset(null::bare_external_event, ?::jsonb)', [payload]);
        },
      );
      return [
        {
          measure: `first ingest of ${count} events`,
          calsync: result.calsync,
          baseline: result.baseline,
          unit: 'ms',
          goal: 1.5,
          detail: 'baseline: one multi-row INSERT (no COPY: pg-copy-streams absent), calsync side includes creating the resource and calendar rows',
        },
      ];
    } finally {
      await orm.close();
    }
  },
};
