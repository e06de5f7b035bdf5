import { RawSocket } from '../helpers/raw-socket';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** POST /graphql with the server's key. */
async function post(server: TestServer, query: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

describe('a database outage', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  /** Set by a test: the next SQL statement after the API key's lookup cuts the database off. */
  let cutAfterAuthentication = false;

  beforeAll(async () => {
    const database = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port) });
    const throughProxy = new URL(database);
    throughProxy.port = String(proxy.port);
    server = await startTestServer({
      worker: false,
      env: { DATABASE_URL: throughProxy.toString() },
      onQuery: (sql) => {
        if (cutAfterAuthentication && sql.includes('with k as')) {
          cutAfterAuthentication = false;
          void proxy.cut();
        }
      },
    });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await server.close();
    await proxy.close();
  });

  it('answers /graphql and /readyz with 503 and Retry-After, and serves again once the database is back', async () => {
    expect((await post(server, '{ __typename }')).status).toBe(200);
    await proxy.cut();
    const refused = await post(server, '{ __typename }');
    expect(refused).toEqual({
      status: 503,
      retryAfter: '5',
      body: {
        errors: [
          { message: 'The service is unavailable: its database cannot be reached; retry in 5 s', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 } },
        ],
      },
    });
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, ready.headers.get('retry-after')]).toEqual([503, '5']);
    const webhook = await fetch(`${server.url}/webhooks/google`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': 'c',
        'x-goog-resource-state': 'exists',
        'x-goog-message-number': '2',
        'x-goog-channel-token': 't',
        'x-goog-resource-id': 'r',
      },
    });
    expect([webhook.status, webhook.headers.get('retry-after')]).toEqual([503, '5']);
    await proxy.restore();
    expect((await post(server, '{ __typename }')).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('answers websocket operations SERVICE_UNAVAILABLE and closes new connections with 1013 (Try Again Later)', async () => {
    const connected = new RawSocket(server.wsUrl);
    await connected.init(server.apiKey);
    await proxy.cut();
    expect((await connected.run('1', '{ __typename }')).error).toEqual([
      { message: 'The service is unavailable: its database cannot be reached; retry in 5 s', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 } },
    ]);
    const fresh = new RawSocket(server.wsUrl);
    await fresh.send({ type: 'connection_init', payload: { authorization: `Bearer ${server.apiKey}` } });
    expect((await fresh.closed).code).toBe(1013);
    await proxy.restore();
    expect((await connected.run('2', '{ __typename }')).next).toEqual([{ data: { __typename: 'Query' } }]);
    connected.close();
  });

  it('answers 503 when the database goes away while the operation runs', async () => {
    cutAfterAuthentication = true;
    const failed = await post(server, '{ resources(first: 5) { edges { node { id } } } }');
    expect(failed.status).toBe(503);
    expect(failed.retryAfter).toBe('5');
    expect(failed.body.errors).toEqual([
      {
        message: 'The service is unavailable: its database cannot be reached; retry in 5 s',
        path: ['resources'],
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 },
      },
    ]);
    await proxy.restore();
    expect((await post(server, '{ resources(first: 5) { edges { node { id } } } }')).status).toBe(200);
  });
});
