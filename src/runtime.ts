import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import { SecretBox } from './common/crypto';
import type { Logger } from './common/logger';
import { readOrCreateSecretFile, startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import { createPubSub } from './common/pubsub';
import { OutboundPolicy } from './common/outbound';
import { initOrm } from './db/orm';
import { exportTargets } from './modules/appointments/appointment-targets';
import { freeTime } from './modules/availability/free-time';
import { calendarEvents } from './modules/events/calendar-events';
import { BusyTimeCache } from './modules/availability/busy-time-cache';
import { ProviderLookup } from './modules/connections/provider-lookup';
import { modulePublishers, type ModulePubSub, type ModuleTopics } from './modules/module-topics';
import { pushChannels } from './modules/push/push-channels';
import type { ModuleDeps } from './modules/shared/module-deps';
import { SyncQueue } from './modules/sync/sync.jobs';
import { webhookSettings } from './modules/webhooks/webhook-settings';
import { ProviderRegistry } from './providers/registry';

/** What every command needs: a migrated database and the secret box. */
export interface Runtime {
  /** The database actually used (DATABASE_URL, or the embedded one's). */
  databaseUrl: string;
  orm: MikroORM;
  secrets: SecretBox;
  queue: SyncQueue;
  /** Set when the database is the embedded default one. */
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/**
 * Opens the database named by DATABASE_URL, or starts the embedded one under
 * CALSYNC_DATA_DIR when it is unset, applies pending migrations, and opens the job queue. In embedded mode a missing
 * CALSYNC_ENCRYPTION_KEY is generated into `<dataDir>/encryption.key`; with an external database
 * it must be given, since losing it makes every stored credential unreadable.
 * @throws Error with a message for people when the configuration cannot work.
 */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  let key = config.CALSYNC_ENCRYPTION_KEY;
  if (!config.DATABASE_URL && !key) {
    const file = path.resolve(config.CALSYNC_DATA_DIR, 'encryption.key');
    const { value, created } = await readOrCreateSecretFile(file, () => randomBytes(32).toString('base64'));
    if (created) logger.info({ file }, 'generated an encryption key for stored credentials; keep it with the data');
    key = value;
  }
  if (!key) throw new Error('CALSYNC_ENCRYPTION_KEY is required when DATABASE_URL is set (generate one with: openssl rand -base64 32)');

  const embedded = config.DATABASE_URL ? null : await startEmbeddedDatabase(config.CALSYNC_DATA_DIR, config.CALSYNC_EMBEDDED_PG_PORT, logger);
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  const orm = await initOrm(databaseUrl);
  const queue = await SyncQueue.open(databaseUrl);
  return {
    databaseUrl,
    orm,
    secrets: new SecretBox(Buffer.from(key, 'base64')),
    queue,
    embedded,
    close: async () => {
      await queue.close();
      await orm.close();
      await embedded?.stop();
    },
  };
}

/** Process-wide dependencies, created once at start-up. */
export interface AppDeps extends ModuleDeps {
  config: Config;
  orm: MikroORM;
  /** The bus behind `events` and the GraphQL subscriptions; closed by App.stop() (or by a process without an App). */
  pubSub: ModulePubSub;
}

/**
 * Assembles the process-wide dependencies from the configuration and the opened runtime: the one
 * composition root of the API (src/serve.ts), the worker and the CLI (src/cli/follow-run.ts).
 */
export function createDeps(config: Config, orm: MikroORM, secrets: SecretBox, logger: Logger, queue: SyncQueue): AppDeps {
  const pubSub = createPubSub<ModuleTopics>({ redisUrl: config.REDIS_URL, logger });
  const policy = new OutboundPolicy({ allowPrivate: config.OUTBOUND_ALLOW_PRIVATE ?? false, allowCidrs: config.OUTBOUND_ALLOW_CIDRS ?? [] });
  const deps: AppDeps = {
    config,
    orm,
    secrets,
    logger,
    queue,
    providers: new ProviderLookup(
      new ProviderRegistry({
        outbound: {
          policy,
          maxResponseBytes: config.OUTBOUND_MAX_RESPONSE_MB * 1024 * 1024,
          requestTimeoutMs: config.OUTBOUND_REQUEST_TIMEOUT_SECONDS * 1000,
        },
        google: {
          clientId: config.GOOGLE_CLIENT_ID,
          clientSecret: config.GOOGLE_CLIENT_SECRET,
          accountsUrl: config.GOOGLE_ACCOUNTS_URL,
          oauthUrl: config.GOOGLE_OAUTH_URL,
          apiUrl: config.GOOGLE_API_URL,
        },
        microsoft: {
          clientId: config.MICROSOFT_CLIENT_ID,
          clientSecret: config.MICROSOFT_CLIENT_SECRET,
          tenant: config.MICROSOFT_TENANT,
          loginUrl: config.MICROSOFT_LOGIN_URL,
          graphUrl: config.MICROSOFT_GRAPH_URL,
        },
      }),
    ),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
    pushUrl: config.PUBLIC_URL ? config.PUBLIC_URL.replace(/\/+$/, '') : null,
    oauthStateTtlMinutes: config.OAUTH_STATE_TTL_MINUTES,
    busyTime: new BusyTimeCache(),
    syncIntervalMinutes: config.SYNC_INTERVAL_MINUTES,
    heartbeatSeconds: config.SYNC_HEARTBEAT_SECONDS,
    webhooks: webhookSettings(config, policy),
    pubSub,
    publish: modulePublishers(pubSub, logger),
    exports: exportTargets,
    calendarEvents,
    freeTime,
    push: pushChannels(() => deps),
  };
  return deps;
}
