import type { Request } from 'express';
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { hashApiKey } from '../common/crypto';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import { rateLimited } from './edge-errors';

/** Requests per API key: consumed once the key has been authenticated. */
export interface ApiKeyRateLimiter {
  /**
   * Takes `points` requests (the operations of a batch) from the bucket of the API key in
   * `authorization` (`Bearer csk_...`, keyed by the key's stored hash, never the key itself).
   * @throws EdgeError RATE_LIMITED (HTTP 429, `Retry-After`) when the key has to wait.
   */
  consume(authorization: string | undefined, points?: number): Promise<void>;
  /**
   * The same for a key known by its stored hash (an authenticated websocket connection, whose
   * operations share the key's bucket with its HTTP requests).
   * @throws EdgeError RATE_LIMITED.
   */
  consumeHash(keyHash: string, points?: number): Promise<void>;
  /**
   * Wraps Apollo's context function so that, once it has authenticated the request's key
   * (src/server/auth.ts), the key's bucket gives one request per operation (a batch takes as many
   * as it holds). Requests refused by authentication never reach a bucket. A throw here becomes
   * the HTTP answer with the error's status and headers (429, Retry-After).
   */
  afterAuthentication<A extends { req: Request }, C>(createContext: (args: A) => Promise<C>): (args: A) => Promise<C>;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * The per-key rate limit of the public edge with rate-limiter-flexible: RATE_LIMIT_PER_MINUTE
 * requests per minute plus RATE_LIMIT_BURST more for bursts (its BurstyRateLimiter: a steady
 * bucket refilled every minute and a burst bucket refilled every two minutes). Counters live in
 * memory, or in Redis when REDIS_URL is set so that every gateway process shares them; should Redis
 * be unreachable, an in-memory limiter stands in (its "insurance" limiter) rather than failing
 * requests. RATE_LIMIT_PER_MINUTE=0 turns the limit off.
 * @see https://github.com/animir/node-rate-limiter-flexible/wiki/BurstyRateLimiter
 */
export function createApiKeyRateLimiter(config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_BURST' | 'REDIS_URL'>, logger: Logger): ApiKeyRateLimiter {
  const perMinute = config.RATE_LIMIT_PER_MINUTE;
  if (perMinute === 0) return { consume: async () => {}, consumeHash: async () => {}, afterAuthentication: (createContext) => createContext, close: async () => {} };
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  redis?.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'rate limiter: Redis unavailable, counting in memory'));
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `calsync:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
  };
  const steady = limiter('rl-key', perMinute, 60);
  const bucket = config.RATE_LIMIT_BURST > 0 ? new BurstyRateLimiter(steady, limiter('rl-key-burst', config.RATE_LIMIT_BURST, 120)) : steady;
  const consumeHash = async (keyHash: string, points = 1) => {
    try {
      await bucket.consume(keyHash, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
  };
  const consume = (authorization: string | undefined, points = 1) => consumeHash(hashApiKey(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? ''), points);
  return {
    consume,
    consumeHash,
    afterAuthentication: (createContext) => async (args) => {
      const context = await createContext(args);
      await consume(args.req.headers.authorization, Array.isArray(args.req.body) ? Math.max(1, args.req.body.length) : 1);
      return context;
    },
    async close() {
      redis?.disconnect();
    },
  };
}
