import { getNamedType, getNullableType, isCompositeType, isListType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { loadConfig } from '../../../src/config';
import { createPubSub } from '../../../src/common/pubsub';
import { createLogger } from '../../../src/common/logger';
import { createSchema } from '../../../src/server/schema';
import { operationCost } from '../../../src/server/operation-cost';

const ID = '"00000000-0000-0000-0000-000000000000"';
const WINDOW = 'filter: { from: "2030-01-01T00:00:00Z", to: "2030-02-01T00:00:00Z" }';

/** `resource → externalCalendars → resource …` nine fields deep, `aliases` times: a fan-out whose SQL and cost must not grow with the nesting. */
export function fanOutQuery(aliases: number): string {
  const chain = 'externalCalendars { resource { externalCalendars { resource { externalCalendars { resource { externalCalendars { id } } } } } } }';
  return `{ ${Array.from({ length: aliases }, (_, i) => `r${i}: resource(id: ${ID}) { ${chain} }`).join(' ')} }`;
}

/** A page of 100 events with each event's calendar name: must stay under the default limit, since a page's cost follows `first`. */
export const EVENT_PAGE = `{ externalEvents(first: 100, ${WINDOW}) { edges { cursor node { id title startsAt endsAt allDay status transparency calendar { id name } } } pageInfo { hasNextPage endCursor } } }`;

describe('the cost of an operation', () => {
  let schema: GraphQLSchema;
  const cost = (query: string, variables?: Record<string, unknown>) => operationCost(schema, parse(query), { variables });
  beforeAll(async () => {
    schema = await createSchema(createPubSub({ logger: createLogger('silent') }));
  });

  it('multiplies a page by `first`, from the query or its variables (default 20)', () => {
    expect(cost(EVENT_PAGE)).toBe(1 + 100 * (1 + 1 + 1));
    expect(cost(`query($n: Int) { resources(first: $n) { edges { node { id externalCalendars { id } } } } }`, { n: 5 })).toBe(1 + 5 * (1 + 1 + 10));
    expect(cost('{ resources { edges { node { id } } } }')).toBe(1 + 20 * 2);
    // A larger page is refused by the resolver: it costs no more than 100.
    expect(cost('{ resources(first: 100000) { edges { node { id } } } }')).toBe(1 + 100 * 2);
  });

  it('multiplies unpaged lists by their declared size: the fan-out query costs far over the default limit', () => {
    const one = cost(fanOutQuery(1))!;
    expect(one).toBe(12_221);
    expect(cost(fanOutQuery(5))).toBe(5 * one);
    expect(one).toBeGreaterThan(loadConfig({}).GRAPHQL_MAX_COST);
  });

  it('keeps an ordinary page of the largest size under the default limit', () => {
    const max = loadConfig({}).GRAPHQL_MAX_COST;
    expect(cost(EVENT_PAGE)).toBeLessThan(max);
    const resources = '{ resources(first: 100) { edges { node { id name workingHours { weekday start end } externalCalendars { id status provider } } } } }';
    expect(cost(resources)).toBe(1 + 100 * (1 + 1 + 7 + 10));
    expect(cost(resources)).toBeLessThan(max);
    // test/graphql/graph.graphql at 100 a page: connections (10 each), their calendars (5 each), sync configs and resources.
    const graph =
      '{ resources(first: 100) { edges { node { id externalCalendars { id resource { id } syncConfig { importEnabled } providerCalendars { id name } } } } } }';
    expect(cost(graph)).toBe(1 + 100 * (1 + 1 + 10 * (1 + 1 + 1 + 5)));
    expect(cost(graph)).toBeLessThan(max);
    // A 1,000-item partner upsert that reads back each stored event with its calendar, connection and resource.
    const items = Array.from({ length: 1000 }, (_, i) => ({ externalId: `e${i}`, startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T10:00:00Z' }));
    const upsert =
      'mutation($input: BulkUpsertExternalEventsInput!) { bulkUpsertExternalEvents(input: $input) { results { externalId result reason event { id title calendar { id name } externalCalendar { id } resource { id } } } } }';
    expect(cost(upsert, { input: { resourceId: ID.slice(1, -1), items } })).toBe(1 + 1000 * 5);
  });

  it('multiplies a bulk mutation by its items and freeBusy by its resources', () => {
    const items = Array.from({ length: 3 }, (_, i) => ({ externalId: `e${i}`, startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T10:00:00Z' }));
    const upsert =
      'mutation($input: BulkUpsertExternalEventsInput!) { bulkUpsertExternalEvents(input: $input) { results { externalId event { id resource { id } } } } }';
    expect(cost(upsert, { input: { resourceId: ID.slice(1, -1), items } })).toBe(1 + 3 * (1 + 2));
    expect(cost(`{ freeBusy(resourceIds: [${ID}, ${ID}], from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z") { resourceId busy { start } } }`)).toBe(
      2 * (1 + 10),
    );
  });

  it('counts introspection as nothing and refuses fragments spread into an explosion', () => {
    expect(cost('{ __schema { types { name fields { name type { name } } } } __typename }')).toBe(0);
    const levels = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Resource { a: externalCalendars { resource { ...F${i + 1} } } b: externalCalendars { resource { ...F${i + 1} } } }`,
    );
    const bomb = `{ resource(id: ${ID}) { ...F0 } } ${levels.join(' ')} fragment F30 on Resource { id }`;
    expect(cost(bomb)).toBe(Infinity);
  });

  it('declares a size on every list that can fan out (a list whose items select objects)', () => {
    const undeclared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const item = getNamedType(field.type);
        if (!isListType(getNullableType(field.type)) || !isObjectType(item)) continue;
        const fansOut = Object.values(item.getFields()).some((child) => isCompositeType(getNamedType(child.type)));
        if (fansOut && field.extensions.complexity === undefined) undeclared.push(`${type.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
