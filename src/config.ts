import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const encryptionKey = optionalString.refine(
  (value) => value === undefined || Buffer.from(value, 'base64').length === 32,
  'must be 32 bytes encoded as base64 (generate one with: openssl rand -base64 32)',
);

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`); unset or empty stays undefined. */
const optionalBoolean = optionalString.pipe(
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value))
    .optional(),
);

/** TRUST_PROXY as Express's `trust proxy` takes it; null when a listed address or subnet is not one. */
function trustProxy(value: string | undefined): boolean | number | string[] | null {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  try {
    proxyAddr.compile(list);
    return list;
  } catch {
    return null;
  }
}

/** A positive whole-number limit of the GraphQL edge. */
const limit = (fallback: number, max = 1_000_000) => z.coerce.number().int().min(1).max(max).default(fallback);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: optionalString.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL'),
  CALSYNC_ENCRYPTION_KEY: encryptionKey,
  CALSYNC_DATA_DIR: z.string().default('.calsync'),
  CALSYNC_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_URL: optionalString,
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  MICROSOFT_CLIENT_ID: optionalString,
  MICROSOFT_CLIENT_SECRET: optionalString,
  MICROSOFT_TENANT: z.string().default('common'),
  // Base URLs of the providers' services; only tests (fakes) and sovereign clouds change them.
  GOOGLE_ACCOUNTS_URL: z.string().url().default('https://accounts.google.com'),
  GOOGLE_OAUTH_URL: z.string().url().default('https://oauth2.googleapis.com'),
  GOOGLE_API_URL: z.string().url().default('https://www.googleapis.com'),
  MICROSOFT_LOGIN_URL: z.string().url().default('https://login.microsoftonline.com'),
  MICROSOFT_GRAPH_URL: z.string().url().default('https://graph.microsoft.com'),
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // The outbound address policy (src/common/outbound.ts): what tenant-given URLs may reach.
  /** Also connect to loopback, private (RFC 1918, RFC 4193) and carrier-grade NAT addresses; never link-local. */
  OUTBOUND_ALLOW_PRIVATE: optionalBoolean,
  /** Comma-separated CIDR ranges tenant URLs may reach whatever their kind, e.g. `10.20.0.0/16,fd00::/8`. */
  OUTBOUND_ALLOW_CIDRS: optionalString.pipe(
    z
      .string()
      .optional()
      .transform((value) =>
        (value ?? '')
          .split(',')
          .map((cidr) => cidr.trim())
          .filter((cidr) => cidr !== ''),
      )
      .refine((cidrs) => cidrs.every((cidr) => ipaddr.isValidCIDR(cidr)), 'must be comma-separated CIDR ranges such as 10.0.0.0/8,fd00::/8'),
  ),
  /** The largest answer read from a CalDAV server or feed, in MiB (after decompression). */
  OUTBOUND_MAX_RESPONSE_MB: z.coerce.number().int().min(1).max(1024).default(20),
  /** Seconds one request to a CalDAV server or feed may take, its answer included. */
  OUTBOUND_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  SYNC_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  // Webhooks (src/modules/webhooks): one attempt's time limit and the retry schedule.
  /** Seconds one webhook attempt may take, connecting included; then it counts as a timeout and is retried. */
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(15),
  /** Seconds before the first retry of a failed webhook attempt; each next wait doubles, up to 2 hours. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(5),
  /** Hours a webhook delivery is retried before it is FAILED. */
  WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.001).max(168).default(24),
  /** Days of failed deliveries (and no success) after which an endpoint is DISABLED. */
  WEBHOOK_DISABLE_AFTER_DAYS: z.coerce.number().min(0.0001).max(60).default(5),
  // Workers (src/worker.ts): slots shared fairly between tenants, and a deadline per sync run.
  /** Jobs a worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** Sync runs of one tenant a worker process runs at once (at most WORKER_CONCURRENCY). */
  SYNC_TENANT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /** Seconds one execution of a sync run may take; then it fails, keeping what it committed. */
  SYNC_RUN_DEADLINE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(600),
  /** MiB one execution of a sync run may read from tenant-chosen servers (CalDAV, feeds), all its calendars together. */
  SYNC_RUN_MAX_READ_MB: z.coerce.number().int().min(1).max(100_000).default(1024),
  OAUTH_STATE_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // Observability (README "Observability"): GET /metrics in the Prometheus text format.
  /** Serve GET /metrics (no API key); `false` removes the route. Unset: on. */
  METRICS_ENABLED: optionalBoolean.transform((value) => value ?? true),
  /** When set, GET /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Port of a metrics-only HTTP server in the `worker` process (which serves no API); unset: none. */
  METRICS_PORT: optionalString.pipe(z.coerce.number().int().min(1).max(65535).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  // The hardened edge (README "A hardened edge"): GraphQL request limits and per-API-key rate limiting.
  /** Introspection on or off; unset: on unless NODE_ENV is production. */
  GRAPHQL_INTROSPECTION: optionalBoolean,
  GRAPHQL_MAX_DEPTH: limit(10, 1000),
  /** Objects an operation may return if every list held its declared size (src/common/query-cost.ts). */
  GRAPHQL_MAX_COST: limit(10_000),
  GRAPHQL_MAX_ALIASES: limit(15, 10_000),
  GRAPHQL_MAX_DIRECTIVES: limit(50, 10_000),
  GRAPHQL_MAX_TOKENS: limit(5000),
  /** Operations in one batched HTTP request (a JSON array body); 1 turns batching off. */
  GRAPHQL_MAX_BATCH: limit(1, 100),
  /** Requests per API key and minute; 0 turns rate limiting off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  /** Extra requests a key may make on top of the per-minute rate, in bursts. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(0).max(1_000_000).default(300),
  /** Requests per tenant and minute, whatever its keys; 0 turns it off. Unset: 3 × RATE_LIMIT_PER_MINUTE. */
  RATE_LIMIT_TENANT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000).optional(),
  /** Extra requests a tenant may make in bursts. Unset: 3 × RATE_LIMIT_BURST. */
  RATE_LIMIT_TENANT_BURST: z.coerce.number().int().min(0).max(10_000_000).optional(),
  /** Failed authentications per client address and minute before the address is refused for the rest of it; 0 turns it off. */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(30),
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (`true`, a hop count, or addresses/subnets); unset: none. */
  TRUST_PROXY: optionalString.transform((value, ctx) => {
    const trust = trustProxy(value);
    if (trust !== null) return trust;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be true, false, a number of hops, or comma-separated addresses and subnets (loopback, 10.0.0.0/8, ...)',
    });
    return z.NEVER;
  }),
});

/** The validated environment. */
export type Config = z.infer<typeof schema>;

/**
 * Reads and validates the environment.
 * @throws Error listing every bad variable with what it must be.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
