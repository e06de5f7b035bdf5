import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Config } from './config';
import { describeError } from './common/error-summary';
import type { Logger } from './common/logger';
import { TenantService } from './modules/tenancy/tenant.service';
import { createDeps, openRuntime, type Runtime } from './runtime';
import { createApp } from './server/app';
import { startMetricsServer } from './server/observability';
import { startWorker, workerOptions } from './worker';

/**
 * `serve`: the API on PORT, with a worker in the same process unless `--no-worker`, until
 * SIGINT, SIGTERM or SIGHUP. Then, at once, it stops taking requests and jobs; open requests
 * finish, websockets are closed (1001), sync runs stop before their next calendar and are queued
 * again; then the pub/sub, the job queue, the ORM and, last, the embedded PostgreSQL close, and
 * the process exits 0.
 */
export async function serve(config: Config, logger: Logger, withWorker: boolean): Promise<void> {
  await runUntilSignalled(logger, async () => {
    const runtime = await openRuntime(config, logger);
    if (runtime.embedded) await createDevTenant(runtime, config, logger);
    const deps = createDeps(config, runtime.orm, runtime.secrets, logger, runtime.queue);
    const app = await createApp(deps);
    const worker = withWorker ? await startWorker(runtime.databaseUrl, runtime.orm, deps, logger, workerOptions(config)) : null;
    const stop = async () => {
      await Promise.all([worker?.stop(), app.stop()]);
      // Last: a run's final page publishes through the pub/sub until its worker has stopped.
      await deps.pubSub.close();
      await runtime.close();
    };
    try {
      await listen(app.httpServer, config.PORT);
    } catch (error) {
      // Nothing left running behind the error, the embedded PostgreSQL least of all.
      await stop();
      throw error;
    }
    logger.info({ url: `http://localhost:${config.PORT}/graphql`, worker: withWorker }, 'Calsync is serving GraphQL');
    return stop;
  });
}

/**
 * Listens on `port`, or rejects: EADDRINUSE with what to do (another process, perhaps another
 * Calsync, holds the port), anything else as Node reports it.
 */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use (another Calsync?): stop that process, or set PORT to a free port`) : error,
      );
    server.once('error', refused);
    server.listen(port, () => {
      server.off('error', refused);
      resolve();
    });
  });
}

/** `worker`: sync jobs and schedules only, no HTTP (npm run worker), stopped as `serve` is. */
export async function work(config: Config, logger: Logger): Promise<void> {
  await runUntilSignalled(logger, async () => {
    const runtime = await openRuntime(config, logger);
    const deps = createDeps(config, runtime.orm, runtime.secrets, logger, runtime.queue);
    const worker = await startWorker(runtime.databaseUrl, runtime.orm, deps, logger, workerOptions(config));
    // Its own /metrics on METRICS_PORT, when set: this process serves no other HTTP.
    const metrics = await startMetricsServer(deps);
    logger.info('Calsync worker is running');
    return async () => {
      metrics?.close();
      await worker.stop();
      await deps.pubSub.close();
      await runtime.close();
    };
  });
}

/** The signals that stop a serving process: Ctrl-C, a service manager's stop, a closed terminal. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long a shutdown may take before the process gives up on it and exits 1, milliseconds. */
const SHUTDOWN_LIMIT_MS = 30_000;

/**
 * Starts a service with `start` and stops it with the function `start` returns on the first stop
 * signal, then exits 0 (1 when stopping failed or took over {@link SHUTDOWN_LIMIT_MS}). A signal
 * during the start stops the service once started. Repeated signals are ignored: a terminal's
 * Ctrl-C under `npm start` reaches this process twice, from the terminal and forwarded by npm.
 */
async function runUntilSignalled(logger: Logger, start: () => Promise<() => Promise<void>>): Promise<void> {
  surviveStrayRejections(logger);
  let stop: (() => Promise<void>) | null = null;
  let signalled = false;
  const shutdown = async () => {
    setTimeout(() => {
      logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'the shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    try {
      await stop!();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ error: describeError(error) }, 'the shutdown failed');
      process.exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return void logger.debug({ signal }, 'already shutting down');
    signalled = true;
    logger.info({ signal }, 'shutting down');
    if (stop) void shutdown();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  stop = await start();
  if (signalled) void shutdown();
}

/**
 * Keeps a serving process up when a library rejects a promise that nobody awaits (graphile-worker
 * releasing a job while PostgreSQL restarts did; Node ends the process on one by default). The
 * rejection is logged by class and code only, since messages may quote SQL with event titles;
 * whatever it left behind is recovered by its owner (the worker runner restarts, the reaper
 * takes over runs).
 */
function surviveStrayRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ error: describeError(reason) }, 'an unhandled promise rejection was logged and ignored'));
}

/** On the first start of the embedded database, a `dev` tenant whose key is printed and kept in the data folder. */
async function createDevTenant(runtime: Runtime, config: Config, logger: Logger): Promise<void> {
  const em = runtime.orm.em.fork();
  const tenants = new TenantService(em);
  if (await tenants.findByName('dev')) return;
  const { apiKey } = await tenants.create('dev');
  const file = path.resolve(config.CALSYNC_DATA_DIR, 'dev-api-key');
  await writeFile(file, apiKey + '\n', { mode: 0o600 });
  logger.info({ file }, 'created the dev tenant; its API key follows and is kept in the file');
  process.stdout.write(`${apiKey}\n`);
}
