import 'reflect-metadata';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './common/logger';
import { TenantService } from './modules/tenancy/tenant.service';
import { openRuntime, type Runtime } from './runtime';
import { createApp } from './server/app';
import { createDeps } from './server/context';
import { schemaSdl } from './server/schema';

const USAGE = `Usage: calsync <command>
  serve                 run the GraphQL API (npm start)
  migrate               apply pending database migrations (npm run migrate)
  tenant create <name>  create a tenant and print its API key once
  schema                write the GraphQL SDL to schema/schema.graphql`;

/** `serve`: the API on PORT until SIGTERM/SIGINT, then a graceful drain. */
async function serve(config: Config, logger: Logger): Promise<void> {
  const runtime = await openRuntime(config, logger);
  if (runtime.embedded) await createDevTenant(runtime, config, logger);
  const app = await createApp(createDeps(config, runtime.orm, runtime.secrets, logger));
  await new Promise<void>((resolve) => app.httpServer.listen(config.PORT, resolve));
  logger.info({ url: `http://localhost:${config.PORT}/graphql` }, 'Calsync is serving GraphQL');
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await runtime.close();
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

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'schema') {
    const file = path.resolve('schema', 'schema.graphql');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, await schemaSdl());
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  switch (command) {
    case 'serve':
      return serve(config, logger);
    case 'migrate': {
      const runtime = await openRuntime(config, logger);
      logger.info('database migrated');
      return runtime.close();
    }
    case 'tenant': {
      if (args[0] !== 'create' || !args[1]) throw new Error(USAGE);
      const runtime = await openRuntime(config, logger);
      try {
        const { apiKey } = await new TenantService(runtime.orm.em.fork()).create(args[1]);
        process.stdout.write(`${apiKey}\n`);
      } finally {
        await runtime.close();
      }
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
