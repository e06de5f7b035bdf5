import { Redis } from 'ioredis';
import { hashApiKey } from '../../src/common/crypto';
import { parse } from 'graphql';
import { LiveSubscription } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `{ __typename }` (or a batch of `batch` of them) over HTTP with `apiKey`. */
async function ask(url: string, apiKey: string | null, batch?: number) {
  const operation = { query: '{ __typename }' };
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
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
    const live = Array.from({ length: 5 }, () => new LiveSubscription<unknown>(server.wsUrl, other.apiKey, parse('subscription { syncStatusChanged { syncRunId } }') as never));
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
