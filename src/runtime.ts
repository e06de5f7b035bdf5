import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import { SecretBox } from './common/crypto';
import type { Logger } from './common/logger';
import { readOrCreateSecretFile, startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import { initOrm } from './db/orm';
import { SyncQueue } from './modules/sync/sync.jobs';

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
