import { ProvidersDocument } from '../graphql/generated';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers a request with a valid key', async () => {
    const data = await server.ok(ProvidersDocument);
    expect(data.providers.map((p) => p.id)).toEqual(['GOOGLE', 'MICROSOFT', 'APPLE', 'CALDAV', 'ICS']);
    expect(data.providers.find((p) => p.id === 'CALDAV')).toMatchObject({ available: true, connectMethods: ['CREDENTIALS'] });
  });

  it.each([
    ['no header', null],
    ['a malformed key', 'not-a-key'],
    ['an unknown key', 'csk_' + 'A'.repeat(40)],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_name, key) => {
    const result = await server.gql(ProvidersDocument, undefined, key);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('stores only a hash of the key', async () => {
    const rows: { hash: string; prefix: string }[] = await server.orm.em.getConnection().execute('select hash, prefix from api_key');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.hash.includes(server.apiKey) || server.apiKey === row.hash)).toBe(false);
    expect(rows.some((row) => server.apiKey.startsWith(row.prefix))).toBe(true);
  });
});
