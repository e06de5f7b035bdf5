import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { ResourceGraphDocument } from '../graphql/generated';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('relations through DataLoaders', () => {
  let server: TestServer;
  let queries: string[] = [];

  beforeAll(async () => {
    // No worker: its cron ticks would send statements through the same ORM and be counted.
    server = await startTestServer({ onQuery: (sql) => queries.push(sql), worker: false });
  });
  afterAll(() => server.close());

  async function seed(tenantId: string, resources: number): Promise<void> {
    const em = server.orm.em.fork();
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    for (let r = 0; r < resources; r++) {
      const resource = em.create(Resource, { tenant, name: `r${r}`, timeZone: 'UTC' });
      for (let c = 0; c < 2; c++) {
        const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
        em.create(SyncConfig, { tenant, externalCalendar: connection });
        for (let p = 0; p < 3; p++)
          em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: `cal-${p}`, name: `cal ${p}` });
      }
    }
    await em.flush();
  }

  it('sends as many SQL statements for 8 resources as for 2: one per level of nesting', async () => {
    const counts: number[] = [];
    for (const size of [2, 8]) {
      const { apiKey, tenantId } = await server.createTenant(`graph-${size}`);
      await seed(tenantId, size);
      queries = [];
      const result = await server.gql(ResourceGraphDocument, { first: 100 }, apiKey);
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.resources.edges.map((edge) => edge.node);
      expect(nodes).toHaveLength(size);
      expect(
        nodes.every(
          (node) => node.externalCalendars.length === 2 && node.externalCalendars.every((c) => c.providerCalendars.length === 3 && c.syncConfig.importEnabled),
        ),
      ).toBe(true);
      counts.push(queries.length);
    }
    expect(counts[0]).toBe(counts[1]);
    // API key, resources, connections, then calendars and sync configs in parallel; each connection's resource is one the page read already.
    expect(counts[0]).toBe(5);
  });
});
