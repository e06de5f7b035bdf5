import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const encryptionKey = optionalString.refine(
  (value) => value === undefined || Buffer.from(value, 'base64').length === 32,
  'must be 32 bytes encoded as base64 (generate one with: openssl rand -base64 32)',
);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: optionalString.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// URL',
  ),
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
  SYNC_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  OAUTH_STATE_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
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
