import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('websockets in production (NODE_ENV=production): the same rules as HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false, env: { NODE_ENV: 'production' } });
  });
  afterAll(() => server.close());

  it('refuses introspection with GRAPHQL_VALIDATION_FAILED, as POST /graphql does', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.init(server.apiKey);
    const refused = await socket.run('1', '{ __schema { queryType { name } } }');
    expect(refused.next).toEqual([]);
    expect(refused.error![0]).toEqual({
      message: expect.stringMatching(/introspection has been disabled/),
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(refused.error!.every((error) => error.extensions.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    const typename = await socket.run('2', '{ __typename }');
    expect(typename.next).toEqual([{ data: { __typename: 'Query' } }]);
    socket.close();
  });

  it('gives no "Did you mean" hints', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.init(server.apiKey);
    const refused = await socket.run('1', '{ resourc { id } }');
    expect(refused.error).toEqual([
      { message: 'Cannot query field "resourc" on type "Query".', locations: [{ line: 1, column: 3 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const http = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
      body: JSON.stringify({ query: '{ resourc { id } }' }),
    });
    expect(((await http.json()) as any).errors[0].message).toBe(refused.error![0].message);
    socket.close();
  });

  it('answers a document that does not parse with GRAPHQL_PARSE_FAILED, and refuses the fan-out query for its cost', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.init(server.apiKey);
    expect((await socket.run('1', '{ resource(id: ')).error![0].extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    const chain = 'externalCalendars { resource { externalCalendars { resource { externalCalendars { resource { externalCalendars { id } } } } } } }';
    const bomb = `{ ${Array.from({ length: 5 }, (_, i) => `r${i}: resource(id: "00000000-0000-0000-0000-000000000000") { ${chain} }`).join(' ')} }`;
    const refused = await socket.run('2', bomb);
    expect(refused.error).toEqual([
      { message: 'The operation is too large: Query Cost limit of 10000 exceeded, found 61105.', extensions: { code: 'BAD_USER_INPUT', limit: 'cost' } },
    ]);
    socket.close();
  });
});

describe('websocket frame sizes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(() => server.close());

  it('gives "Did you mean" hints outside production, as HTTP does', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.init(server.apiKey);
    expect((await socket.run('1', '{ resourc { id } }')).error![0].message).toMatch(/Did you mean "resource"/);
    socket.close();
  });

  it('closes a socket with 1009 when it sends more than 16 KiB before authenticating', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${server.apiKey}`, padding: 'x'.repeat(64 * 1024) } });
    expect((await socket.closed).code).toBe(1009);
    expect(socket.messages).toEqual([]);
  });

  it('accepts frames up to 1 MiB once authenticated, as HTTP accepts bodies, and closes with 1009 above', async () => {
    const socket = new RawSocket(server.wsUrl);
    await socket.init(server.apiKey);
    const large = await socket.run('1', '{ __typename }', { pad: 'x'.repeat(512 * 1024) });
    expect(large.next).toEqual([{ data: { __typename: 'Query' } }]);
    await socket.send({ id: '2', type: 'subscribe', payload: { query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024) } } });
    expect((await socket.closed).code).toBe(1009);
  });
});
