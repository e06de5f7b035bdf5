import type { NextFunction, Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { hashApiKey } from '../common/crypto';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import { addressBucket } from './client-address';
import { EdgeError, rateLimited, type RateLimitScope } from './edge-errors';

/** Who spends a request: the key (by its stored hash, never the key itself) and its tenant. */
export interface RateLimitedCaller {
  keyHash: string;
  tenantId: string;
}

/** The rate limits of the edge: per API key, per tenant, and on failed authentication per client address. */
export interface EdgeRateLimiter {
  /**
   * Takes `points` requests (the operations of a batch) from the caller's key bucket and from its
   * tenant's bucket, once the key has been authenticated.
   * @throws EdgeError RATE_LIMITED (HTTP 429, `Retry-After`) when the key or the tenant has to wait.
   */
  consume(caller: RateLimitedCaller, points?: number): Promise<void>;
  /**
   * Refuses a client address that failed to authenticate too often in the last minute, before
   * anything is looked up for it: it waits whatever key it sends.
   * @throws EdgeError RATE_LIMITED.
   */
  checkAddress(address: string): Promise<void>;
  /** Counts one failed authentication (a missing, malformed, unknown or revoked key) of a client address. */
  authenticationFailed(address: string): Promise<void>;
  /**
   * Express middleware in front of `/graphql`: answers 429 with `Retry-After` to an address that
   * {@link checkAddress} refuses, before the body is even read.
   */
  addressGate(req: Request, res: Response, next: NextFunction): void;
  /**
   * Wraps Apollo's context function: a request from a refused address is refused; an
   * authentication failure (UNAUTHENTICATED) counts against the address; once authenticated,
   * the key's and the tenant's buckets give one request per operation (a batch takes as many as
   * it holds). A throw here becomes the HTTP answer with the error's status and headers.
   */
  afterAuthentication<A extends { req: Request }, C extends { tenant: { id: string } }>(createContext: (args: A) => Promise<C>): (args: A) => Promise<C>;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

type RateLimitConfig = Pick<
  Config,
  | 'RATE_LIMIT_PER_MINUTE'
  | 'RATE_LIMIT_BURST'
  | 'RATE_LIMIT_TENANT_PER_MINUTE'
  | 'RATE_LIMIT_TENANT_BURST'
  | 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE'
  | 'REDIS_URL'
>;

/** The key of `Authorization: Bearer csk_...` as its stored hash ('' hashed for anything else). */
function keyHashOf(authorization: string | undefined): string {
  return hashApiKey(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
}

/**
 * The rate limits of the public edge with rate-limiter-flexible:
 * - per API key: RATE_LIMIT_PER_MINUTE requests a minute plus RATE_LIMIT_BURST for bursts (its
 *   BurstyRateLimiter: a steady bucket refilled every minute and a burst bucket refilled every
 *   two minutes); 0 turns it off;
 * - per tenant, whatever its keys (a tenant may create any number of them):
 *   RATE_LIMIT_TENANT_PER_MINUTE and RATE_LIMIT_TENANT_BURST, by default three times the key's;
 * - per client address, on failed authentication: after RATE_LIMIT_AUTH_FAILURES_PER_MINUTE
 *   failures in a minute, the address is refused until that minute is over, before its key is
 *   looked up, so that a flood of bad keys costs the database nothing (IPv6 counted per /64).
 * Counters live in memory, or in Redis when REDIS_URL is set so that every gateway process shares
 * them; should Redis be unreachable, an in-memory limiter stands in (its "insurance" limiter)
 * rather than failing requests.
 * @see https://github.com/animir/node-rate-limiter-flexible/wiki/BurstyRateLimiter
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#protect-against-automated-attacks
 */
export function createEdgeRateLimiter(config: RateLimitConfig, logger: Logger): EdgeRateLimiter {
  const perMinute = config.RATE_LIMIT_PER_MINUTE;
  const tenantPerMinute = config.RATE_LIMIT_TENANT_PER_MINUTE ?? 3 * perMinute;
  const tenantBurst = config.RATE_LIMIT_TENANT_BURST ?? 3 * config.RATE_LIMIT_BURST;
  const failures = config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE;
  const redis = perMinute > 0 || tenantPerMinute > 0 || failures > 0 ? connectRedis(config.REDIS_URL, logger) : null;
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    return redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `calsync:${keyPrefix}`, points, duration, insuranceLimiter: memory }) : memory;
  };
  const bucket = (prefix: string, points: number, burst: number): RateLimiterAbstract | BurstyRateLimiter | null => {
    if (points === 0) return null;
    const steady = limiter(prefix, points, 60);
    return burst > 0 ? new BurstyRateLimiter(steady, limiter(`${prefix}-burst`, burst, 120)) : steady;
  };
  const keys = bucket('rl-key', perMinute, config.RATE_LIMIT_BURST);
  const tenants = bucket('rl-tenant', tenantPerMinute, tenantBurst);
  const addresses = failures > 0 ? limiter('rl-auth-failures', failures, 60) : null;

  const take = async (from: RateLimiterAbstract | BurstyRateLimiter | null, scope: RateLimitScope, key: string, points: number) => {
    if (!from) return;
    try {
      await from.consume(key, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), scope);
    }
  };
  const consume = async (caller: RateLimitedCaller, points = 1) => {
    await take(keys, 'key', caller.keyHash, points);
    await take(tenants, 'tenant', caller.tenantId, points);
  };
  const checkAddress = async (address: string) => {
    // Counters out of reach (Redis failing over) refuse nobody.
    const state = addresses ? await addresses.get(addressBucket(address)).catch(() => null) : null;
    if (state && state.consumedPoints >= failures) throw rateLimited(Math.max(1, Math.ceil(state.msBeforeNext / 1000)), 'address');
  };
  const authenticationFailed = async (address: string) => {
    // Past the limit the rejection is expected: the address is refused by checkAddress next time.
    await addresses?.consume(addressBucket(address)).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) logger.warn({ err: { message: String(rejection) } }, 'rate limiter: could not count a failed authentication');
    });
  };
  return {
    consume,
    checkAddress,
    authenticationFailed,
    addressGate(req, res, next) {
      checkAddress(req.ip ?? '').then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof EdgeError)) return next(error);
          const body: { errors: GraphQLFormattedError[] } = { errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] };
          res.status(429).set('retry-after', String(error.details.retryAfter)).json(body);
        },
      );
    },
    afterAuthentication: (createContext) => async (args) => {
      const address = args.req.ip ?? '';
      let context;
      try {
        context = await createContext(args);
      } catch (error) {
        if ((error as { extensions?: { code?: unknown } }).extensions?.code === 'UNAUTHENTICATED') await authenticationFailed(address);
        throw error;
      }
      const points = Array.isArray(args.req.body) ? Math.max(1, args.req.body.length) : 1;
      await consume({ keyHash: keyHashOf(args.req.headers.authorization), tenantId: context.tenant.id }, points);
      return context;
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** A Redis client for the counters when REDIS_URL is set; its outages are logged, never thrown. */
function connectRedis(url: string | undefined, logger: Logger): Redis | null {
  if (!url) return null;
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'rate limiter: Redis unavailable, counting in memory'));
  return redis;
}
