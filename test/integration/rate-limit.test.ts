import { Redis } from 'ioredis';
import { hashApiKey } from '../../src/common/crypto';
import { parse } from 'graphql';
import { loadConfig } from '../../src/config';
import { ApiKeyService } from '../../src/modules/tenancy/api-key.service';
import { LiveSubscription } from '../helpers/live';
import { sampleSum, scrape } from '../helpers/metrics';
import { until } from '../helpers/processes';
import { RawSocket } from '../helpers/raw-socket';
import { startTestServer, type TestServer } from '../helpers/test-server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `{ __typename }` (or a batch of `batch` of them) over HTTP with `apiKey`, from `forwardedFor` through a trusted proxy when given. */
async function ask(url: string, apiKey: string | null, batch?: number, forwardedFor?: string) {
  const operation = { query: '{ __typename }' };
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify(batch ? Array.from({ length: batch }, () => operation) : operation),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

async function askTimes(url: string, apiKey: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await ask(url, apiKey)).status);
  return statuses;
}

describe('rate limit per API key, in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_BURST: '2', GRAPHQL_MAX_BATCH: '10' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets a key make its rate plus its burst, then answers RATE_LIMITED with Retry-After', async () => {
    expect(await askTimes(server.url, server.apiKey, 7)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    const limited = await ask(server.url, server.apiKey);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.retryAfter);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120).toBe(true);
    expect(limited.body).toEqual({
      errors: [{ message: `Too many requests for this API key; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
    });
  });

  it('keeps one bucket per key: another key is not limited, and unauthenticated requests stay 401', async () => {
    const other = await server.createTenant('rate-limit-other');
    expect(await askTimes(server.url, other.apiKey, 3)).toEqual([200, 200, 200]);
    const anonymous = await ask(server.url, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const unknown = await ask(server.url, `csk_${'x'.repeat(40)}`);
    expect(unknown.status).toBe(401);
  });

  it('holds websocket operations to the same bucket and the same query limits', async () => {
    const other = await server.createTenant('rate-limit-ws');
    /** What ended a subscription refused at once: its error list. */
    const refused = async (apiKey: string, query: string) => {
      const subscription = new LiveSubscription<unknown>(server.wsUrl, apiKey, parse(query) as never);
      const ended = (await subscription.ended) as { extensions?: Record<string, unknown> }[];
      await subscription.close();
      return ended;
    };
    // Two HTTP requests and five subscriptions use the key's 7 (rate 5 + burst 2); the next subscription waits.
    expect(await askTimes(server.url, other.apiKey, 2)).toEqual([200, 200]);
    const live = Array.from(
      { length: 5 },
      () => new LiveSubscription<unknown>(server.wsUrl, other.apiKey, parse('subscription { syncStatusChanged { syncRunId } }') as never),
    );
    // Sockets race each other: the sixth must reach the server after the five have taken their tokens.
    await until('the five subscriptions to run', async () => sampleSum((await scrape(server.url)).text, 'calsync_websocket_subscriptions') >= 5);
    const limited = await refused(other.apiKey, 'subscription { syncStatusChanged { syncRunId } }');
    expect(limited[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    for (const subscription of live) await subscription.close();

    const third = await server.createTenant('limits-ws');
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: syncRunId`).join(' ');
    const tooWide = await refused(third.apiKey, `subscription { syncStatusChanged { ${aliases} } }`);
    expect(tooWide[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'aliases' });
  });

  it('counts every operation of a batch', async () => {
    const other = await server.createTenant('rate-limit-batch');
    const batch = await ask(server.url, other.apiKey, 4);
    expect(batch.status).toBe(200);
    expect(batch.body).toHaveLength(4);
    expect(await askTimes(server.url, other.apiKey, 3)).toEqual([200, 200, 200]);
    expect((await ask(server.url, other.apiKey)).status).toBe(429);
  });
});

describe('rate limit per tenant', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '100', RATE_LIMIT_TENANT_PER_MINUTE: '5', RATE_LIMIT_TENANT_BURST: '1' } });
  });
  afterAll(() => server.close());

  it("shares one bucket between all of a tenant's keys, and leaves other tenants alone", async () => {
    const second = (await new ApiKeyService(server.orm.em.fork()).create(server.tenantId, { name: 'second key' })).secret;
    const third = (await new ApiKeyService(server.orm.em.fork()).create(server.tenantId, { name: 'third key' })).secret;
    expect([...(await askTimes(server.url, server.apiKey, 2)), ...(await askTimes(server.url, second, 2)), ...(await askTimes(server.url, third, 2))]).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    const limited = await ask(server.url, third);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.body).toEqual({
      errors: [{ message: `Too many requests for this tenant; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
    });
    const fourth = (await new ApiKeyService(server.orm.em.fork()).create(server.tenantId, { name: 'a fresh key' })).secret;
    expect((await ask(server.url, fourth)).status).toBe(429);
    const other = await server.createTenant('rate-limit-tenant-other');
    expect(await askTimes(server.url, other.apiKey, 3)).toEqual([200, 200, 200]);
  });

  it("counts the tenant's websocket operations in the same bucket", async () => {
    const tenant = await server.createTenant('rate-limit-tenant-ws');
    const socket = new RawSocket(server.wsUrl);
    await socket.init(tenant.apiKey);
    for (let i = 0; i < 6; i++) expect((await socket.run(String(i), '{ __typename }')).error).toBeUndefined();
    const refused = await socket.run('6', '{ __typename }');
    expect(refused.error).toEqual([
      {
        message: expect.stringMatching(/^Too many requests for this tenant; retry in \d+ s$/),
        extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
      },
    ]);
    expect((await ask(server.url, tenant.apiKey)).status).toBe(429);
    socket.close();
  });
});

describe('rate limit on failed authentication, per client address', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Loopback is the trusted proxy: X-Forwarded-For names the client, so that one test plays many.
    server = await startTestServer({ worker: false, env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => server.close());

  const badKey = `csk_${'b'.repeat(40)}`;

  it('refuses an address after 3 failures in a minute with 429 and Retry-After, whatever key it sends then', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask(server.url, badKey, undefined, '203.0.113.7')).status);
    expect(statuses).toEqual([401, 401, 401]);
    const refused = await ask(server.url, badKey, undefined, '203.0.113.7');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.body).toEqual({
      errors: [{ message: `Too many failed authentications from this address; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
    });
    // Refused before any lookup: the valid key waits too, from that address only.
    expect((await ask(server.url, server.apiKey, undefined, '203.0.113.7')).status).toBe(429);
    expect((await ask(server.url, server.apiKey, undefined, '203.0.113.8')).status).toBe(200);
    expect((await ask(server.url, null, undefined, '203.0.113.8')).status).toBe(401);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3'])
      expect((await ask(server.url, badKey, undefined, address)).status).toBe(401);
    expect((await ask(server.url, server.apiKey, undefined, '2001:db8:1:2::99')).status).toBe(429);
    expect((await ask(server.url, server.apiKey, undefined, '2001:db8:1:3::1')).status).toBe(200);
  });

  it('counts failed websocket authentications too, and refuses the upgrade of a refused address with 429', async () => {
    const address = '198.51.100.20';
    for (let i = 0; i < 3; i++) {
      const socket = new RawSocket(server.wsUrl, { 'x-forwarded-for': address });
      await socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${badKey}` } });
      expect((await socket.closed).code).toBe(4401);
    }
    expect((await ask(server.url, server.apiKey, undefined, address)).status).toBe(429);
    await expect(new RawSocket(server.wsUrl, { 'x-forwarded-for': address }).open()).rejects.toThrow(/Unexpected server response: 429/);
    const other = new RawSocket(server.wsUrl, { 'x-forwarded-for': '198.51.100.21' });
    await other.init(server.apiKey);
    other.close();
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY trusts the peer', async () => {
    const direct = await startTestServer({ worker: false, env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '2' } });
    try {
      expect((await ask(direct.url, badKey, undefined, '192.0.2.1')).status).toBe(401);
      expect((await ask(direct.url, badKey, undefined, '192.0.2.2')).status).toBe(401);
      // Both came from 127.0.0.1.
      expect((await ask(direct.url, direct.apiKey, undefined, '192.0.2.3')).status).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe('configuration of the rate limits', () => {
  it('derives the tenant limits from the key limits and validates TRUST_PROXY', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: 30, TRUST_PROXY: false });
    expect(config.RATE_LIMIT_TENANT_PER_MINUTE).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'behind-the-moon', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '-1' })).toThrow(
      /RATE_LIMIT_AUTH_FAILURES_PER_MINUTE:[\s\S]*TRUST_PROXY: must be true, false/,
    );
  });
});

describe('rate limit switched off', () => {
  it('never limits with RATE_LIMIT_PER_MINUTE=0', async () => {
    const server = await startTestServer({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await ask(server.url, server.apiKey)).status));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await server.close();
    }
  });
});

describe('rate limit per API key, shared through Redis', () => {
  let first: TestServer;
  let second: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    const env = { REDIS_URL, RATE_LIMIT_PER_MINUTE: '4', RATE_LIMIT_BURST: '0' };
    first = await startTestServer({ worker: false, env });
    second = await startTestServer({ worker: false, env });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await first.close();
    await second.close();
  });

  it('counts a key across gateway processes, under its hash rather than the key', async () => {
    expect(await askTimes(first.url, first.apiKey, 2)).toEqual([200, 200]);
    expect(await askTimes(second.url, first.apiKey, 2)).toEqual([200, 200]);
    const limited = await ask(first.url, first.apiKey);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await ask(second.url, first.apiKey)).status).toBe(429);
    // The second server's own tenant has its own bucket.
    expect((await ask(second.url, second.apiKey)).status).toBe(200);

    const keys = await redis.keys('calsync:rl-key*');
    expect(keys).toContain(`calsync:rl-key:${hashApiKey(first.apiKey)}`);
    expect(keys.some((key) => key.includes(first.apiKey))).toBe(false);
  });
});
