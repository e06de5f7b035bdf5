import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { SyncRun, SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { LastSyncRunsDocument, ListSyncRunsDocument } from '../graphql/generated';
import { startTestServer, type TestServer } from '../helpers/test-server';

const MINUTE = 60_000;
const T0 = Date.parse('2030-01-01T00:00:00Z');

describe('syncRuns and ExternalCalendar.lastSyncRun: the past runs of a tenant, newest first', () => {
  let server: TestServer;
  let resourceId: string;
  let connections: string[];
  /** Run ids by creation minute (0 oldest). */
  const runs: { id: string; minute: number; connection: number | null; status: SyncRunStatus }[] = [];

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    const em = server.orm.em.fork();
    const tenant = await em.findOneOrFail(Tenant, { id: server.tenantId });
    const resource = em.create(Resource, { tenant, name: 'Runs', timeZone: 'UTC' });
    const made = [0, 1].map(() =>
      em.create(ExternalCalendar, {
        tenant,
        resource,
        provider: ProviderKind.CALDAV,
        status: ExternalCalendarStatus.CONNECTED,
        serverUrl: 'https://dav.example.com/',
      }),
    );
    // A connection of another tenant, whose runs must never show.
    const other = await server.createTenant('sync-runs-other');
    const otherTenant = await em.findOneOrFail(Tenant, { id: other.tenantId });
    const otherResource = em.create(Resource, { tenant: otherTenant, name: 'Other', timeZone: 'UTC' });
    const statuses = [SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED, SyncRunStatus.SUCCEEDED, SyncRunStatus.RUNNING, SyncRunStatus.QUEUED];
    for (let minute = 0; minute < 25; minute++) {
      const connection = minute % 5 === 4 ? null : minute % 2;
      const run = em.create(SyncRun, {
        tenant,
        resource,
        externalCalendar: connection === null ? null : made[connection],
        kind: SyncRunKind.INCREMENTAL,
        status: statuses[minute % 5],
        windowFrom: new Date(T0),
        windowTo: new Date(T0 + 86_400_000),
        createdAt: new Date(T0 + minute * MINUTE),
      });
      runs.push({ id: run.id, minute, connection, status: run.status });
    }
    em.create(SyncRun, {
      tenant: otherTenant,
      resource: otherResource,
      kind: SyncRunKind.FULL,
      windowFrom: new Date(T0),
      windowTo: new Date(T0 + 1),
      createdAt: new Date(T0 + 99 * MINUTE),
    });
    await em.flush();
    resourceId = resource.id;
    connections = made.map((connection) => connection.id);
  });
  afterAll(() => server?.close());

  const list = async (variables: Parameters<TestServer['ok']>[1] & object) => (await server.ok(ListSyncRunsDocument, variables)).syncRuns;
  const newestFirst = (selected: typeof runs) => [...selected].sort((a, b) => b.minute - a.minute).map((run) => run.id);

  it("pages through every run of the tenant, newest first, and no other tenant's", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: Awaited<ReturnType<typeof list>> = await list({ first: 7, after });
      seen.push(...result.edges.map((edge) => edge.node.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor ?? null;
    }
    expect(seen).toEqual(newestFirst(runs));
  });

  it('filters by connection, resource, statuses and request time', async () => {
    const byConnection = await list({ filter: { externalCalendarId: connections[1] }, first: 100 });
    expect(byConnection.edges.map((edge) => edge.node.id)).toEqual(newestFirst(runs.filter((run) => run.connection === 1)));
    const byResource = await list({ filter: { resourceId }, first: 100 });
    expect(byResource.edges).toHaveLength(runs.length);
    const failed = await list({ filter: { statuses: [SyncRunStatus.FAILED, SyncRunStatus.RUNNING] }, first: 100 });
    expect(failed.edges.map((edge) => edge.node.id)).toEqual(
      newestFirst(runs.filter((run) => [SyncRunStatus.FAILED, SyncRunStatus.RUNNING].includes(run.status))),
    );
    const window = await list({ filter: { from: new Date(T0 + 10 * MINUTE).toISOString(), to: new Date(T0 + 13 * MINUTE).toISOString() }, first: 100 });
    expect(window.edges.map((edge) => edge.node.id)).toEqual(newestFirst(runs.filter((run) => run.minute >= 10 && run.minute < 13)));
    const unknown = await list({ filter: { externalCalendarId: 'not-an-id' } });
    expect(unknown.edges).toEqual([]);
  });

  it('refuses a window that ends before it starts, and a bad page size, naming the field', async () => {
    const backwards = await server.gql(ListSyncRunsDocument, { filter: { from: new Date(T0 + MINUTE).toISOString(), to: new Date(T0).toISOString() } });
    expect(backwards.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.to' });
    const tooMany = await server.gql(ListSyncRunsDocument, { first: 101 });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('lastSyncRun is the newest run requested for each connection', async () => {
    const { resource } = await server.ok(LastSyncRunsDocument, { id: resourceId });
    const last = Object.fromEntries(resource!.externalCalendars.map((connection) => [connection.id, connection.lastSyncRun?.id]));
    expect(last).toEqual(Object.fromEntries(connections.map((id, index) => [id, newestFirst(runs.filter((run) => run.connection === index))[0]])));
  });
});
