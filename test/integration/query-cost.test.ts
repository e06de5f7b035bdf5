import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { makeEvent } from '../helpers/builders';
import { storeEvents } from '../helpers/store-events';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Raw POST /graphql with the server's key: status and parsed body. */
async function post(server: TestServer, query: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** A resource of the server's tenant with `connections` PENDING connections, stored directly. */
async function resourceWithConnections(server: TestServer, connections: number): Promise<string> {
  const em = server.orm.em.fork();
  const tenant = await em.findOneOrFail(Tenant, { id: server.tenantId });
  const resource = em.create(Resource, { tenant, name: `fan-out ${connections}`, timeZone: 'UTC' });
  for (let i = 0; i < connections; i++) {
    const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.PENDING });
    em.create(SyncConfig, { tenant, externalCalendar: connection });
  }
  await em.flush();
  return resource.id;
}

/** `resource(id) { externalCalendars { resource { … } } }` with `lists` levels of externalCalendars, `aliases` times. */
function fanOut(resourceId: string, lists: number, aliases = 1): string {
  let selection = 'id';
  for (let level = 0; level < lists; level++)
    selection = level === 0 ? `externalCalendars { ${selection} }` : `externalCalendars { resource { ${selection} } }`;
  return `{ ${Array.from({ length: aliases }, (_, i) => `r${i}: resource(id: "${resourceId}") { ${selection} }`).join(' ')} }`;
}

describe('the cost limit with list sizes, at the default limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(() => server.close());

  it('refuses the depth-9 fan-out query with 5 aliases before running it (HTTP 400, cost 61,105)', async () => {
    const resourceId = await resourceWithConnections(server, 3);
    const started = Date.now();
    const refused = await post(server, fanOut(resourceId, 4, 5));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      errors: [
        { message: 'The operation is too large: Query Cost limit of 10000 exceeded, found 61105.', extensions: { code: 'BAD_USER_INPUT', limit: 'cost' } },
      ],
    });
    // One alias still multiplies four lists of 10 declared connections: refused as well.
    expect((await post(server, fanOut(resourceId, 4))).json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'cost' });
    // Two levels are an ordinary question.
    const ordinary = await post(server, fanOut(resourceId, 2));
    expect(ordinary.status).toBe(200);
    expect(ordinary.json.data.r0.externalCalendars).toHaveLength(3);
  });

  it("answers a page of 100 events that asks for each event's calendar name (issue 17: page cost follows `first`)", async () => {
    const { createResource } = (await post(server, 'mutation { createResource(input: { name: "page", timeZone: "UTC" }) { id } }')).json.data;
    const events = Array.from({ length: 120 }, (_, i) =>
      makeEvent(`e${i}`, new Date(Date.UTC(2030, 0, 1, 0, i * 30)), new Date(Date.UTC(2030, 0, 1, 0, i * 30 + 20))),
    );
    await storeEvents(server, createResource.id, events, 'Work');
    const page = await post(
      server,
      `{ externalEvents(first: 100, filter: { from: "2030-01-01T00:00:00Z", to: "2030-01-08T00:00:00Z", resourceIds: ["${createResource.id}"] }) {
           edges { cursor node { id title startsAt endsAt allDay status transparency calendar { id name } externalCalendar { id } resource { id } } }
           pageInfo { hasNextPage endCursor } } }`,
    );
    expect(page.status).toBe(200);
    expect(page.json.errors).toBeUndefined();
    expect(page.json.data.externalEvents.edges).toHaveLength(100);
    expect(page.json.data.externalEvents.edges.every((edge: any) => edge.node.calendar.name === 'Work')).toBe(true);
    expect(page.json.data.externalEvents.pageInfo.hasNextPage).toBe(true);
  });
});

describe('the cost budget while an operation runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false, env: { GRAPHQL_MAX_COST: '1500' } });
  });
  afterAll(() => server.close());

  it('counts the connections a tenant really stored: 12 per resource cannot multiply past GRAPHQL_MAX_COST', async () => {
    const resourceId = await resourceWithConnections(server, 12);
    // Estimated with 10 connections a level: 1,211, under the limit. Really 12 + 144 + 1,728 items.
    const result = await post(server, fanOut(resourceId, 3));
    expect(result.status).toBe(200);
    expect(result.json.data).toEqual({ r0: null });
    expect(result.json.errors.length).toBeGreaterThan(0);
    expect(result.json.errors[0]).toMatchObject({
      message: 'The operation is too large: its lists hold more than 1500 items (the cost limit); ask for fewer nested lists or smaller pages',
      extensions: { code: 'BAD_USER_INPUT', limit: 'cost' },
      path: ['r0', 'externalCalendars', expect.any(Number), 'resource', 'externalCalendars', expect.any(Number), 'resource', 'externalCalendars'],
    });
    // Two levels (12 + 144 items) are within the budget; the budget is per operation, not per key.
    const two = await post(server, fanOut(resourceId, 2));
    expect(two.json.errors).toBeUndefined();
    expect(two.json.data.r0.externalCalendars).toHaveLength(12);
  });
});
