import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { buildSchema, execute, parse, type DocumentNode } from 'graphql';
import { Pool } from 'pg';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { startBenchGateway } from '../gateway';
import { median, type Measure, type Measurement } from '../harness';
import { seedResource } from '../seed';

const DAY = 86_400_000;
const RESOURCES = 20;
const CONNECTIONS_PER_RESOURCE = 2;
const CALENDARS_PER_CONNECTION = 3;
const CONCURRENCY = 10;
const SECONDS = 5;
const PAGE = 100;

/** The smallest read: what every request costs before its own work (HTTP, the GraphQL server, the API key). */
const SMALLEST = `query { resources(first: 1) { edges { node { id } } } }`;
const NESTED = `query { resources(first: ${RESOURCES}) { edges { node { id externalCalendars { id resource { id } syncConfig { importEnabled } providerCalendars { id name } } } } } }`;
const eventsPage = (resourceId: string, from: string, to: string) =>
  `query { externalEvents(filter: { from: "${from}", to: "${to}", resourceIds: ["${resourceId}"] }, first: ${PAGE}) { edges { node { id title startsAt endsAt calendar { name } } } } }`;

/** The baseline's schema: the same shapes, resolved from plain rows by graphql-js alone. */
const BASELINE_SCHEMA = buildSchema(`
  type Query {
    resources(first: Int): ResourceConnection!
    externalEvents(filter: EventFilter!, first: Int): EventConnection!
  }
  input EventFilter { from: String!, to: String!, resourceIds: [ID!] }
  type ResourceConnection { edges: [ResourceEdge!]! }
  type ResourceEdge { node: Resource! }
  type Resource { id: ID!, externalCalendars: [Connection!]! }
  type Connection { id: ID!, resource: Ref!, syncConfig: Config!, providerCalendars: [Calendar!]! }
  type Ref { id: ID! }
  type Config { importEnabled: Boolean! }
  type Calendar { id: ID!, name: String! }
  type EventConnection { edges: [EventEdge!]! }
  type EventEdge { node: Event! }
  type Event { id: ID!, title: String, startsAt: String!, endsAt: String!, calendar: Calendar }
`);

/**
 * GraphQL reads: the nested query (20 resources → their connections → calendars), a page of
 * 100 `externalEvents` with each event's calendar name and the smallest query (what any request
 * costs: HTTP, the GraphQL server, the API key's one statement), all over HTTP at a fixed concurrency
 * (autocannon, 10 connections, 5 s, median of the rounds), against graphql-js `execute` serving
 * the same rows from plain SQL (one statement per nesting level, as Calsync sends) behind a bare
 * node:http server.
 */
export const measure: Measure = {
  name: 'graphql-reads',
  async run({ databaseUrl, events, rounds, log }) {
    const gateway = await startBenchGateway(databaseUrl);
    const pool = new Pool({ connectionString: databaseUrl, max: CONCURRENCY });
    let baseline: Server | undefined;
    try {
      const em = gateway.orm.em.fork({ disableFilters: true } as never);
      const tenant = em.getReference(Tenant, gateway.tenantId);
      const start = Math.ceil(Date.now() / DAY) * DAY;
      const window = { from: new Date(start), to: new Date(start + 30 * DAY) };
      const withEvents = await seedResource(em, tenant, 'reads-0', events[0]!, window, 7);
      for (let r = 1; r < RESOURCES; r++) await seedResource(em, tenant, `reads-${r}`, 0, window, 7 + r);
      // seedResource gives each one connection and calendar; the rest are added here.
      for (const resource of await em.find('Resource', { tenant }, { fields: ['id'], filters: false })) {
        for (let c = 1; c < CONNECTIONS_PER_RESOURCE; c++) {
          const connection = em.create(ExternalCalendar, {
            tenant,
            resource: resource as never,
            provider: ProviderKind.CALDAV,
            status: ExternalCalendarStatus.CONNECTED,
          });
          em.create(SyncConfig, { tenant, externalCalendar: connection });
          for (let k = 0; k < CALENDARS_PER_CONNECTION; k++) {
            em.create(ProviderCalendar, {
              tenant,
              externalCalendar: connection,
              resource: resource as never,
              providerCalendarId: `c${c}-${k}`,
              name: `calendar ${c}.${k}`,
            });
          }
        }
      }
      await em.flush();
      await pool.query('analyze');

      baseline = await serveBaseline(pool, gateway.tenantId);
      const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/graphql`;
      const page = eventsPage(withEvents.id, window.from.toISOString(), window.to.toISOString());
      const rows: Measurement[] = [];
      for (const [label, query, goal] of [
        [`nested query, ${RESOURCES} resources → connections → calendars`, NESTED, 1.5],
        [`externalEvents page of ${PAGE} with calendar names`, page, 1.5],
        ['smallest query (one resource id): the cost of any request', SMALLEST, 1.5],
      ] as const) {
        await sameAnswer(`${gateway.url}/graphql`, baselineUrl, gateway.apiKey, query);
        const ours: autocannon.Result[] = [];
        const theirs: autocannon.Result[] = [];
        for (let round = 0; round < rounds; round++) {
          ours.push(await load(`${gateway.url}/graphql`, query, gateway.apiKey));
          theirs.push(await load(baselineUrl, query, null));
        }
        const rps = (results: autocannon.Result[]) => median(results.map((result) => result.requests.average));
        const p50 = (results: autocannon.Result[]) => median(results.map((result) => result.latency.p50));
        log(`${label}: Calsync ${rps(ours).toFixed(0)} req/s p50 ${p50(ours)} ms; graphql-js ${rps(theirs).toFixed(0)} req/s p50 ${p50(theirs)} ms`);
        const detail = `${CONCURRENCY} concurrent, ${SECONDS} s per round, median of ${rounds}`;
        rows.push({ measure: `${label} (throughput)`, calsync: rps(ours), baseline: rps(theirs), unit: 'req/s', goal, detail });
        rows.push({ measure: `${label} (p50 latency)`, calsync: p50(ours), baseline: p50(theirs), unit: 'ms', goal });
      }
      return rows;
    } finally {
      await new Promise((resolve) => (baseline ? baseline.close(resolve) : resolve(undefined)));
      await pool.end();
      await gateway.close();
    }
  },
};

/** autocannon against one GraphQL endpoint; any non-2xx or error answer fails the bench. */
async function load(url: string, query: string, apiKey: string | null): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query }),
    connections: CONCURRENCY,
    duration: SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url} answered ${result.non2xx} non-2xx and ${result.errors} errors under load`);
  return result;
}

/** Both servers must answer the query with the same data, or the comparison means nothing. */
async function sameAnswer(ours: string, theirs: string, apiKey: string, query: string): Promise<void> {
  const ask = async (url: string, key: string | null) =>
    (await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query }),
    }).then((response) => response.json())) as { data?: unknown; errors?: unknown };
  const [a, b] = [await ask(ours, apiKey), await ask(theirs, null)];
  const shape = (value: unknown) => JSON.stringify(value, (_key, inner: unknown) => (Array.isArray(inner) ? inner.length : inner));
  if (a.errors || b.errors || shape(a.data) !== shape(b.data)) {
    throw new Error(`The baseline does not answer as Calsync does: ${JSON.stringify(a).slice(0, 300)} vs ${JSON.stringify(b).slice(0, 300)}`);
  }
}

/** graphql-js `execute` over rows read with one SQL statement per level, behind node:http. */
async function serveBaseline(pool: Pool, tenantId: string): Promise<Server> {
  const parsed = new Map<string, DocumentNode>();
  const rootValue = {
    async resources({ first }: { first: number }) {
      const resources = (await pool.query('select id from resource where tenant_id = $1 order by created_at, id limit $2', [tenantId, first])).rows;
      const ids = resources.map((row) => row.id);
      // Loaded once for all the resources, and only when the query asks for connections (as Calsync's DataLoaders do).
      let loaded: Promise<{ id: string; resourceId: string; syncConfig: { importEnabled: boolean }; providerCalendars: unknown[] }[]> | undefined;
      const connectionsOf = async (resourceId: string) => {
        loaded ??= (async () => {
          const connections = (await pool.query('select id, resource_id from external_calendar where resource_id = any($1) order by created_at, id', [ids]))
            .rows;
          const connectionIds = connections.map((row) => row.id);
          const [configs, calendars] = await Promise.all([
            pool.query('select external_calendar_id, import_enabled from sync_config where external_calendar_id = any($1)', [connectionIds]),
            pool.query('select id, name, external_calendar_id from provider_calendar where external_calendar_id = any($1) order by created_at, id', [
              connectionIds,
            ]),
          ]);
          return connections.map((connection) => ({
            id: connection.id,
            resourceId: connection.resource_id,
            resource: { id: connection.resource_id },
            syncConfig: { importEnabled: configs.rows.find((config) => config.external_calendar_id === connection.id).import_enabled },
            providerCalendars: calendars.rows.filter((calendar) => calendar.external_calendar_id === connection.id),
          }));
        })();
        return (await loaded).filter((connection) => connection.resourceId === resourceId);
      };
      return { edges: resources.map((resource) => ({ node: { id: resource.id, externalCalendars: () => connectionsOf(resource.id) } })) };
    },
    async externalEvents({ filter, first }: { filter: { from: string; to: string; resourceIds: string[] }; first: number }) {
      const events = (
        await pool.query(
          `select id, title, starts_at, ends_at, provider_calendar_id from external_event
           where tenant_id = $1 and resource_id = any($2) and starts_at < $4 and ends_at > $3 order by starts_at, id limit $5`,
          [tenantId, filter.resourceIds, filter.from, filter.to, first],
        )
      ).rows;
      const calendars = (
        await pool.query('select id, name from provider_calendar where id = any($1)', [[...new Set(events.map((row) => row.provider_calendar_id))]])
      ).rows;
      return {
        edges: events.map((event) => ({
          node: {
            id: event.id,
            title: event.title,
            startsAt: new Date(event.starts_at).toISOString(),
            endsAt: new Date(event.ends_at).toISOString(),
            calendar: calendars.find((calendar) => calendar.id === event.provider_calendar_id) ?? null,
          },
        })),
      };
    },
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      let document = parsed.get(query);
      if (!document) parsed.set(query, (document = parse(query)));
      Promise.resolve(execute({ schema: BASELINE_SCHEMA, document, rootValue }))
        .then((result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)))
        .catch((error: Error) => res.writeHead(500).end(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
