import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config';
import { describeError } from './common/error-summary';
import type { Logger } from './common/logger';
import { TenantService } from './modules/tenancy/tenant.service';
import { openRuntime, type Runtime } from './runtime';
import { createApp } from './server/app';
import { createDeps } from './server/context';
import { startWorker, workerOptions } from './worker';

/** `serve`: the API on PORT, with a worker in the same process unless `--no-worker`, until SIGTERM/SIGINT. */
export async function serve(config: Config, logger: Logger, withWorker: boolean): Promise<void> {
  surviveStrayRejections(logger);
  const runtime = await openRuntime(config, logger);
  if (runtime.embedded) await createDevTenant(runtime, config, logger);
  const deps = createDeps(config, runtime.orm, runtime.secrets, logger, runtime.queue);
  const app = await createApp(deps);
  const worker = withWorker ? await startWorker(runtime.databaseUrl, runtime.orm, deps, logger, workerOptions(config)) : null;
  await new Promise<void>((resolve) => app.httpServer.listen(config.PORT, resolve));
  logger.info({ url: `http://localhost:${config.PORT}/graphql`, worker: withWorker }, 'Calsync is serving GraphQL');
  onShutdown(logger, async () => {
    // The worker first: its last page still publishes through the pub/sub that the app closes.
    await worker?.stop();
    await app.stop();
    await runtime.close();
  });
}

/** `worker`: sync jobs and schedules only, no HTTP (npm run worker). */
export async function work(config: Config, logger: Logger): Promise<void> {
  surviveStrayRejections(logger);
  const runtime = await openRuntime(config, logger);
  const deps = createDeps(config, runtime.orm, runtime.secrets, logger, runtime.queue);
  const worker = await startWorker(runtime.databaseUrl, runtime.orm, deps, logger, workerOptions(config));
  logger.info('Calsync worker is running');
  onShutdown(logger, async () => {
    await worker.stop();
    await deps.pubSub.close();
    await runtime.close();
  });
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

/** On SIGTERM or SIGINT: stop taking work, let running jobs finish, drain HTTP, exit. */
function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
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
