import type { EntityManager } from '@mikro-orm/postgresql';
import { RESOURCE_FILTER, TENANT_FILTER } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { readRowsByKey } from '../../src/modules/shared/read-rows';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * The read path's own SQL (src/modules/shared/read-rows.ts, src/db/filter-sql.ts) must keep
 * exactly the rows `em.find` keeps under the tenant and resource filters: the same ids, the
 * same columns, relations as `{ id }`.
 */
describe('read rows against em.find', () => {
  let server: TestServer;
  const resources: string[] = [];
  const tenants: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    for (const name of ['rows-a', 'rows-b']) {
      const { tenantId } = await server.createTenant(name);
      tenants.push(tenantId);
      const em = server.orm.em.fork({ disableFilters: true } as never);
      const tenant = em.getReference(Tenant, tenantId);
      for (let r = 0; r < 2; r++) {
        const resource = em.create(Resource, { tenant, name: `${name}-${r}`, timeZone: 'Europe/Berlin' });
        resources.push(resource.id);
        const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
        em.create(SyncConfig, { tenant, externalCalendar: connection });
        em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: `cal-${r}`, name: `cal ${r}` });
      }
      await em.flush();
    }
  });
  afterAll(() => server.close());

  function scoped(tenantId: string, resourceId: string | null): EntityManager {
    const em = server.orm.em.fork();
    em.setFilterParams(TENANT_FILTER, { tenantId });
    em.setFilterParams(RESOURCE_FILTER, { resourceId });
    return em;
  }

  async function allIds(entity: new () => { id: string }): Promise<string[]> {
    const rows = await server.orm.em.fork().find(entity, {}, { filters: false, fields: ['id'] as never });
    return rows.map((row) => row.id);
  }

  it.each([
    ['a tenant key', 0, null],
    ['a resource key', 0, 1],
    ['another tenant', 1, null],
  ] as const)('keeps what em.find keeps for %s', async (_label, tenantIndex, resourceIndex) => {
    const tenantId = tenants[tenantIndex]!;
    const resourceId = resourceIndex === null ? null : resources[resourceIndex]!;
    for (const entity of [Resource, ExternalCalendar, ProviderCalendar, SyncConfig] as (new () => { id: string })[]) {
      const ids = await allIds(entity);
      const expected = (await scoped(tenantId, resourceId).find(entity, { id: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } as never })).map(
        (row) => row.id,
      );
      const rows = await readRowsByKey(scoped(tenantId, resourceId), entity, 'id', ids);
      expect(rows.map((row) => row.id)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('gives columns under their property names and relations as references', async () => {
    const [connection] = await readRowsByKey(scoped(tenants[0]!, null), ExternalCalendar, 'resource', [resources[0]!]);
    expect(connection).toMatchObject({ resource: { id: resources[0] }, tenant: { id: tenants[0] }, status: ExternalCalendarStatus.CONNECTED });
    expect(connection!.createdAt).toBeInstanceOf(Date);
    const [resource] = await readRowsByKey(scoped(tenants[0]!, null), Resource, 'id', [resources[0]!]);
    expect(resource).toMatchObject({ id: resources[0], timeZone: 'Europe/Berlin', workingHours: expect.any(Array) });
  });

  it('refuses to read without a tenant in scope', async () => {
    await expect(readRowsByKey(server.orm.em.fork(), Resource, 'id', resources)).rejects.toThrow(/No tenant in scope/);
  });
});
