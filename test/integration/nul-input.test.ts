import { startTestServer, type TestServer } from '../helpers/test-server';

/** POST /graphql with the server's key. */
async function post(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('a NUL character (U+0000) in GraphQL input', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(() => server.close());

  const create = 'mutation($input: CreateResourceInput!) { createResource(input: $input) { id name } }';

  it('is BAD_USER_INPUT naming the argument, in a variable or a literal, and nothing is stored', async () => {
    const fromVariable = await post(server, create, { input: { name: 'Dr.\u0000Who', timeZone: 'UTC' } });
    expect(fromVariable.body.errors).toEqual([
      {
        message: 'input.name must not contain the NUL character (U+0000)',
        path: ['createResource'],
        locations: [{ line: 1, column: 42 }],
        extensions: { code: 'BAD_USER_INPUT', field: 'input.name' },
      },
    ]);
    const fromLiteral = await post(server, 'mutation { createResource(input: { name: "a\\u0000b", timeZone: "UTC" }) { id } }');
    expect(fromLiteral.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const listed = await post(server, '{ resources(first: 100) { edges { node { name } } } }');
    expect(listed.body.data.resources.edges).toEqual([]);
  });

  it('names the item of a list', async () => {
    const { id } = (await post(server, create, { input: { name: 'partner', timeZone: 'UTC' } })).body.data.createResource;
    const items = [
      { externalId: 'ok', startsAt: '2030-01-01T09:00:00Z', endsAt: '2030-01-01T10:00:00Z', title: 'fine' },
      { externalId: 'bad', startsAt: '2030-01-01T11:00:00Z', endsAt: '2030-01-01T12:00:00Z', title: 'tab\u0000' },
    ];
    const refused = await post(
      server,
      'mutation($input: BulkUpsertExternalEventsInput!) { bulkUpsertExternalEvents(input: $input) { results { externalId result } } }',
      { input: { resourceId: id, items } },
    );
    expect(refused.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.items[1].title' });
    expect(refused.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('is refused in query arguments too, where it could only reach the database', async () => {
    const refused = await post(server, 'query($id: ID!) { resource(id: $id) { id } }', { id: '\u0000' });
    expect(refused.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
