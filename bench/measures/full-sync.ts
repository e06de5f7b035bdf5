import type { JobHelpers } from 'graphile-worker';
import { TENANT_FILTER } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { SyncRun } from '../../src/modules/sync/sync-run.entity';
import { SYNC_RUN_TASK } from '../../src/modules/sync/sync.jobs';
import { SyncService } from '../../src/modules/sync/sync.service';
import { syncTasks } from '../../src/modules/sync/sync.tasks';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { googleEnv, type GoogleFake } from '../../test/fakes/google/google-fake';
import { CALENDAR, startFakeThread, ZONE, type FakeThread } from '../google-fake-thread';
import { median, timed, type Measure, type Measurement } from '../harness';
import { startBenchGateway, type BenchGateway } from '../gateway';

const DAY = 86_400_000;
/** What the Google adapter asks for (google-calendar.adapter.ts): expanded instances, Google's largest page. */
const PAGE_SIZE = 2500;

/** A Google connection of a new resource to the fake's calendar, with tokens that need no refresh, read-enabled: the rows connectOAuth leaves. */
async function connect(gateway: BenchGateway, google: FakeThread, tenant: Tenant, name: string): Promise<ExternalCalendar> {
  const em = gateway.orm.em.fork({ disableFilters: true } as never);
  const resource = em.create(Resource, { tenant, name, timeZone: ZONE });
  const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.GOOGLE, status: ExternalCalendarStatus.CONNECTED });
  const { accessToken, refreshToken } = google.tokens.pop()!;
  connection.credentials = gateway.deps.secrets.sealJson({ accessToken, refreshToken, expiresAt: Date.now() + DAY, scope: null });
  em.create(SyncConfig, { tenant, externalCalendar: connection });
  em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: CALENDAR, name: 'Owner', read: true, primary: true });
  await em.flush();
  return connection;
}

/**
 * A FULL sync of one Google calendar of `events[0]` (or the largest size asked for) events from
 * the fake (in a worker thread, bench/google-fake-thread.ts), through the job handler the worker runs (sync_run of syncTasks, in-process), against a
 * bare loop of `fetch` + `JSON.parse` over the same events.list pages (same parameters, pages of
 * 2,500). Rows: a first full sync into an empty calendar (a new connection each round); a FULL
 * re-sync with nothing changed; an INCREMENTAL one (syncToken) with nothing changed, against the
 * bare fetch of that one sync-token page.
 */
export const measure: Measure = {
  name: 'full-sync',
  async run({ databaseUrl, events, rounds, log }) {
    const count = Math.max(...events);
    const google = await startFakeThread(count, rounds + 2);
    const gateway = await startBenchGateway(databaseUrl, googleEnv({ url: google.url } as GoogleFake));
    try {
      const tenant = await gateway.orm.em.fork().findOneOrFail(Tenant, { id: gateway.tenantId });
      const handler = syncTasks(gateway.orm, gateway.deps)[SYNC_RUN_TASK]!;
      const helpers = { job: { locked_by: 'bench', attempts: 1, max_attempts: 1, id: 'bench' }, logger: gateway.deps.logger } as unknown as JobHelpers;
      const scoped = gateway.orm.em.fork();
      scoped.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
      const service = new SyncService(scoped, gateway.deps);
      /** Runs one sync of the connection as the worker would, and returns the finished run. */
      const sync = async (connection: ExternalCalendar, full: boolean): Promise<SyncRun> => {
        const { id } = await service.sync(tenant, connection.id, full);
        await handler({ runId: id, tenantId: tenant.id }, helpers);
        const run = await gateway.orm.em.fork().findOneOrFail(SyncRun, { id }, { filters: false });
        if (run.status !== 'SUCCEEDED') throw new Error(`bench sync ${id} ended ${run.status}: ${run.error}`);
        return run;
      };
      const { accessToken } = google.tokens.pop()!;
      const window = () => {
        const now = Date.now();
        return { timeMin: new Date(now - 30 * DAY).toISOString(), timeMax: new Date(now + 365 * DAY).toISOString() };
      };
      /** The bare loop: every page of events.list, fetched and parsed, nothing else; returns the page count and the last sync token. */
      const bare = async (params: Record<string, string>): Promise<{ pages: number; items: number; syncToken: string }> => {
        let pageToken: string | undefined;
        let pages = 0;
        let items = 0;
        for (;;) {
          const query = new URLSearchParams({ singleEvents: 'true', maxResults: String(PAGE_SIZE), ...params, ...(pageToken ? { pageToken } : {}) });
          const response = await fetch(`${google.url}/calendar/v3/calendars/${encodeURIComponent(CALENDAR)}/events?${query}`, {
            headers: { authorization: `Bearer ${accessToken}` },
          });
          const page = JSON.parse(await response.text()) as { items: unknown[]; nextPageToken?: string; nextSyncToken?: string };
          pages++;
          items += page.items.length;
          if (!page.nextPageToken) return { pages, items, syncToken: page.nextSyncToken! };
          pageToken = page.nextPageToken;
        }
      };
      /** Peak growth of the heap while `work` runs, sampled every 20 ms, in MiB. */
      const peakHeap = async (work: () => Promise<unknown>): Promise<number> => {
        const before = process.memoryUsage().heapUsed;
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
        try {
          await work();
        } finally {
          clearInterval(sampler);
        }
        return (Math.max(peak, process.memoryUsage().heapUsed) - before) / 2 ** 20;
      };

      const first = { calsync: [] as number[], baseline: [] as number[], heap: [] as number[], bareHeap: [] as number[], written: 0 };
      const again = { calsync: [] as number[], baseline: [] as number[], written: [] as number[] };
      const incremental = { calsync: [] as number[], baseline: [] as number[], written: [] as number[] };
      let listing = { pages: 0, items: 0, syncToken: '' };
      await bare(window());
      for (let round = 0; round <= rounds; round++) {
        const connection = await connect(gateway, google, tenant, `full-sync-${round}`);
        let run!: SyncRun;
        const heap = await peakHeap(async () => first.calsync.push(await timed(async () => (run = await sync(connection, true)))));
        first.bareHeap.push(await peakHeap(async () => first.baseline.push(await timed(async () => (listing = await bare(window()))))));
        first.heap.push(heap);
        first.written = run.upserted;
        again.calsync.push(await timed(async () => (run = await sync(connection, true))));
        again.baseline.push(await timed(() => bare(window())));
        again.written.push(run.upserted + run.deleted);
        incremental.calsync.push(await timed(async () => (run = await sync(connection, false))));
        incremental.baseline.push(await timed(() => bare({ syncToken: listing.syncToken })));
        incremental.written.push(run.upserted + run.deleted);
        log(
          `round ${round}${round === 0 ? ' (warm-up)' : ''}: full ${first.calsync.at(-1)!.toFixed(0)} ms (bare ${first.baseline.at(-1)!.toFixed(0)}), re-sync ${again.calsync.at(-1)!.toFixed(0)} ms, incremental ${incremental.calsync.at(-1)!.toFixed(1)} ms`,
        );
      }
      // Round 0 warmed the JIT and the caches of both sides.
      const measured = (values: number[]) => median(values.slice(1));
      const rows: Measurement[] = [
        {
          measure: `full sync of ${count} events (Google fake)`,
          calsync: measured(first.calsync),
          baseline: measured(first.baseline),
          unit: 'ms',
          goal: 2,
          detail: `${listing.pages} pages of ${PAGE_SIZE}, ${listing.items} items, ${first.written} rows written; peak heap growth during the sync ${measured(first.heap).toFixed(0)} MiB (bare loop ${measured(first.bareHeap).toFixed(0)} MiB; the fake serves from a worker thread); baseline: bare fetch + JSON.parse of the same pages`,
        },
        {
          measure: `full re-sync, nothing changed (${count})`,
          calsync: measured(again.calsync),
          baseline: measured(again.baseline),
          unit: 'ms',
          goal: 1.3,
          detail: `rows written ${Math.max(...again.written.slice(1))} (should be 0); baseline: the same bare loop`,
        },
        {
          measure: `incremental re-sync, nothing changed (${count})`,
          calsync: measured(incremental.calsync),
          baseline: measured(incremental.baseline),
          unit: 'ms',
          goal: 1.3,
          detail: `rows written ${Math.max(...incremental.written.slice(1))} (should be 0); baseline: bare fetch of the one sync-token page; Calsync's side includes creating and finishing the run`,
        },
      ];
      return rows;
    } finally {
      await gateway.close();
      await google.close();
    }
  },
};
