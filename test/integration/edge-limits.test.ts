import { loadConfig } from '../../src/config';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Raw POST /graphql with the server's key: status, headers and parsed body. */
async function post(server: TestServer, body: unknown, apiKey: string | null = server.apiKey) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) as any };
}

/** `resource(id) { externalCalendars { resource { externalCalendars { ... } } } }`, `depth` fields deep. */
function nestedQuery(depth: number): string {
  let selection = 'id';
  for (let level = depth - 1; level >= 1; level--) {
    const field = level === 1 ? 'resource(id: "00000000-0000-0000-0000-000000000000")' : level % 2 === 0 ? 'externalCalendars' : 'resource';
    selection = `${field} { ${selection} }`;
  }
  return `{ ${selection} }`;
}

/**
 * Ten fields deep through one list level of each kind, cheap enough for the cost limit (a chain of
 * four `externalCalendars` lists, as {@link nestedQuery} builds, is refused for its fan-out).
 */
const TEN_DEEP = `{ syncRun(id: "00000000-0000-0000-0000-000000000000") { externalCalendar { resource { externalCalendars { resource { externalCalendars { resource { dateOverrides { hours { start } } } } } } } } } }`;

function aliases(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `p${i}: providers { id }`).join(' ')} }`;
}

describe('the hardened edge with its default limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers an operation ten fields deep', async () => {
    const result = await post(server, { query: TEN_DEEP });
    expect(result.status).toBe(200);
    expect(result.json.errors).toBeUndefined();
    expect(result.json.data).toEqual({ syncRun: null });
  });

  it('refuses an operation eleven fields deep with BAD_USER_INPUT, HTTP 400 and no data', async () => {
    const result = await post(server, { query: nestedQuery(11) });
    expect(result.status).toBe(400);
    expect(result.json.data).toBeUndefined();
    expect(result.json.errors).toEqual([
      {
        message: expect.stringMatching(/^The operation is too large: Query depth limit of 10 exceeded/),
        extensions: { code: 'BAD_USER_INPUT', limit: 'depth' },
      },
    ]);
  });

  it('allows 15 aliases and refuses 16', async () => {
    expect((await post(server, { query: aliases(15) })).json.errors).toBeUndefined();
    const refused = await post(server, { query: aliases(16) });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'aliases' });
    expect(refused.json.errors[0].message).toContain('Aliases limit of 15 exceeded, found 16');
  });

  it('gives "Did you mean" hints while introspection is on', async () => {
    const refused = await post(server, { query: '{ resourc { id } }' });
    expect(refused.json.errors[0].message).toMatch(/Did you mean "resource"/);
  });

  it('answers introspection outside production', async () => {
    const result = await post(server, { query: '{ __schema { queryType { name } } }' });
    expect(result.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses batched requests (batching is off by default)', async () => {
    const result = await post(server, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(result.status).toBe(400);
    expect(result.text).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('answers a body that is not JSON with 400 BAD_REQUEST, not 500', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
      body: '{"query": "{ __typename }"',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('runs the limits before any resolver: a refused mutation changes nothing', async () => {
    const create = `mutation { ${Array.from({ length: 16 }, (_, i) => `r${i}: createResource(input: { name: "n${i}", timeZone: "UTC" }) { id }`).join(' ')} }`;
    expect((await post(server, { query: create })).status).toBe(400);
    const listed = await post(server, { query: '{ resources(first: 100) { edges { node { id } } } }' });
    expect(listed.json.data.resources.edges).toEqual([]);
  });
});

describe('the hardened edge with limits from the environment', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      worker: false,
      env: {
        GRAPHQL_MAX_DEPTH: '4',
        GRAPHQL_MAX_COST: '40',
        GRAPHQL_MAX_ALIASES: '2',
        GRAPHQL_MAX_DIRECTIVES: '2',
        GRAPHQL_MAX_TOKENS: '200',
        GRAPHQL_MAX_BATCH: '3',
        GRAPHQL_INTROSPECTION: 'false',
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a query over GRAPHQL_MAX_DEPTH', async () => {
    expect((await post(server, { query: nestedQuery(4) })).status).toBe(200);
    const refused = await post(server, { query: nestedQuery(5) });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'depth' });
  });

  it('refuses a query over GRAPHQL_MAX_COST', async () => {
    const costly =
      '{ resources(first: 100) { edges { cursor node { id name kind timeZone bufferBeforeMinutes bufferAfterMinutes createdAt updatedAt validFrom validUntil } } } }';
    const refused = await post(server, { query: costly });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'cost' });
    expect(refused.json.errors[0].message).toMatch(/Query Cost limit of 40 exceeded/);
  });

  it('refuses more directives than GRAPHQL_MAX_DIRECTIVES', async () => {
    expect((await post(server, { query: '{ a: __typename @include(if: true) b: __typename @skip(if: false) }' })).json.errors).toBeUndefined();
    const refused = await post(server, { query: '{ a: __typename @include(if: true) b: __typename @skip(if: false) c: __typename @include(if: true) }' });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'directives' });
  });

  it('stops parsing a document longer than GRAPHQL_MAX_TOKENS', async () => {
    const refused = await post(server, { query: `{ ${'__typename '.repeat(250)} }` });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({
      message: expect.stringMatching(/Document contains more th(an|at) 200 tokens/),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('answers batches of up to GRAPHQL_MAX_BATCH operations and refuses longer ones', async () => {
    const ok = await post(server, [{ query: '{ __typename }' }, { query: 'query Q { providers { id } }' }]);
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveLength(2);
    expect(ok.json[0]).toEqual({ data: { __typename: 'Query' } });
    const refused = await post(
      server,
      Array.from({ length: 4 }, () => ({ query: '{ __typename }' })),
    );
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([{ message: 'A batch may hold at most 3 operations, got 4', extensions: { code: 'BAD_USER_INPUT', limit: 'batch' } }]);
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION=false', async () => {
    const refused = await post(server, { query: '{ __schema { queryType { name } } }' });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.json.errors[0].message).toMatch(/introspection is not allowed/i);
  });

  it('gives no "Did you mean" hints when introspection is off', async () => {
    const refused = await post(server, { query: '{ resourc { id } }' });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toMatchObject({
      message: 'Cannot query field "resourc" on type "Query".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});

describe('configuration of the edge', () => {
  it('has sane defaults', () => {
    const config = loadConfig({});
    expect(config.GRAPHQL_INTROSPECTION).toBeUndefined();
    expect(config).toMatchObject({
      GRAPHQL_MAX_DEPTH: 10,
      GRAPHQL_MAX_COST: 10_000,
      GRAPHQL_MAX_ALIASES: 15,
      GRAPHQL_MAX_DIRECTIVES: 50,
      GRAPHQL_MAX_TOKENS: 5000,
      GRAPHQL_MAX_BATCH: 1,
      RATE_LIMIT_PER_MINUTE: 1200,
      RATE_LIMIT_BURST: 300,
    });
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).GRAPHQL_INTROSPECTION).toBe(false);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: '1' }).GRAPHQL_INTROSPECTION).toBe(true);
  });

  it('names every bad value at start-up', () => {
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0', GRAPHQL_INTROSPECTION: 'maybe', RATE_LIMIT_PER_MINUTE: 'lots', GRAPHQL_MAX_BATCH: '1000' })).toThrow(
      /GRAPHQL_INTROSPECTION: must be true or false[\s\S]*GRAPHQL_MAX_DEPTH:[\s\S]*GRAPHQL_MAX_BATCH:[\s\S]*RATE_LIMIT_PER_MINUTE:/,
    );
  });
});
