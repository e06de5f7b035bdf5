import 'reflect-metadata';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { createLogger, type Logger } from './common/logger';
import { ApiKeyService } from './modules/tenancy/api-key.service';
import { ApiKeyView } from './modules/tenancy/api-key.types';
import { TenantService } from './modules/tenancy/tenant.service';
import { openRuntime } from './runtime';
import { schemaSdl } from './server/schema';
import { serve, work } from './serve';
import { runTenantFeatures, TENANT_FEATURES_USAGE } from './tenant-features-cli';

const USAGE = `Usage: calsync <command>
  serve [--no-worker]   run the GraphQL API, with a sync worker unless --no-worker (npm start)
  worker                run a sync worker alone (npm run worker)
  migrate               apply pending database migrations (npm run migrate)
  tenant create <name>  create a tenant and print its API key once
${TENANT_FEATURES_USAGE}
  key create <tenant> [--resource <id>] [--read-only] [--name <name>]
                        create an API key of a tenant (id or name) and print it once
  key list <tenant>     list a tenant's API keys (id, prefix, scope, ...; never secrets)
  key revoke <keyId>    revoke an API key at once
  schema                write the GraphQL SDL to schema/schema.graphql
  help, --help          print this (also after any command, e.g. \`key --help\`)`;

/** Asked for help: no command, `help`, or `--help` / `-h` anywhere. */
function wantsHelp(argv: string[]): boolean {
  return argv.length === 0 || argv[0] === 'help' || argv.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs one command. Help goes to stdout with exit code 0; a command or arguments it does not know
 * throw, and the usage goes to stderr with exit code 1.
 */
async function main(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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
      return serve(config, logger, !args.includes('--no-worker'));
    case 'worker':
      return work(config, logger);
    case 'migrate': {
      const runtime = await openRuntime(config, logger);
      logger.info('database migrated');
      return runtime.close();
    }
    case 'tenant': {
      if (args[0] === 'features') return runTenantFeatures(config, logger, args.slice(1));
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
    case 'key':
      return keyCommand(config, logger, args);
    default:
      throw new Error(USAGE);
  }
}

/** The value following `flag` in `args`, if the flag is there. @throws Error when the value is missing. */
function option(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
  return value;
}

/**
 * `key create|list|revoke`: `create` prints the new key alone on its line (as `tenant create`),
 * `list` one tab-separated line per key (id, prefix, scope, resource, read-only/read-write,
 * name, created, revoked), `revoke` the revoked key's id.
 */
async function keyCommand(config: Config, logger: Logger, args: string[]): Promise<void> {
  const [action, target] = args;
  if (!['create', 'list', 'revoke'].includes(action) || !target) throw new Error(USAGE);
  const runtime = await openRuntime(config, logger);
  try {
    const keys = new ApiKeyService(runtime.orm.em.fork());
    if (action === 'revoke') {
      const key = await keys.revoke(null, target);
      process.stdout.write(`${key.id}\n`);
    } else if (action === 'create') {
      const tenant = await keys.tenant(target);
      const { secret } = await keys.create(tenant.id, { name: option(args, '--name') ?? 'cli', resourceId: option(args, '--resource'), readOnly: args.includes('--read-only') });
      process.stdout.write(`${secret}\n`);
    } else {
      const tenant = await keys.tenant(target);
      for (const key of (await keys.list(tenant.id)).map((k) => ApiKeyView.of(k))) {
        const columns = [key.id, key.prefix, key.scope, key.resourceId ?? '-', key.readOnly ? 'read-only' : 'read-write', key.name, key.createdAt.toISOString(), key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'];
        process.stdout.write(`${columns.join('\t')}\n`);
      }
    }
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
