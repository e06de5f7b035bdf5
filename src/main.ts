import 'reflect-metadata';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { parseCommand, UsageError } from './cli/args';
import type { Command } from './cli/command';
import { ingestCommand } from './cli/ingest';
import { keyCreate, keyList, keyRevoke } from './cli/key';
import { syncCommand } from './cli/sync';
import { tenantCreate } from './cli/tenant-create';
import { loadConfig } from './config';
import { createLogger } from './common/logger';
import { openRuntime } from './runtime';
import { schemaSdl } from './server/schema';
import { serve, work } from './serve';
import { runTenantFeatures, TENANT_FEATURES_USAGE } from './tenant-features-cli';

/** A command that takes no words but `options` (booleans), handing them to `run`. */
function simple(
  usage: string,
  run: (config: Parameters<Command['run']>[0], logger: Parameters<Command['run']>[1], flags: Record<string, boolean>) => Promise<void>,
  flags: string[] = [],
): Command {
  return {
    usage,
    async run(config, logger, args) {
      const { values } = parseCommand(args, {
        positionals: [],
        options: Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean', default: false }])),
        usage,
      });
      await run(config, logger, values as Record<string, boolean>);
    },
  };
}

/** Every command by its name (one or two words), in the order of the usage text. */
const COMMANDS: Record<string, Command> = {
  serve: simple(
    '  serve [--no-worker]   run the GraphQL API, with a sync worker unless --no-worker (npm start)',
    (config, logger, flags) => serve(config, logger, !flags['no-worker']),
    ['no-worker'],
  ),
  worker: simple('  worker                run a sync worker alone (npm run worker)', (config, logger) => work(config, logger)),
  migrate: simple('  migrate               apply pending database migrations (npm run migrate)', async (config, logger) => {
    const runtime = await openRuntime(config, logger);
    logger.info('database migrated');
    await runtime.close();
  }),
  'tenant create': tenantCreate,
  'tenant features': { usage: TENANT_FEATURES_USAGE, run: runTenantFeatures },
  'key create': keyCreate,
  'key list': keyList,
  'key revoke': keyRevoke,
  sync: syncCommand,
  ingest: ingestCommand,
  schema: {
    usage: '  schema                write the GraphQL SDL to schema/schema.graphql',
    async run(_config, _logger, args) {
      parseCommand(args, { positionals: [], options: {}, usage: this.usage });
      const file = path.resolve('schema', 'schema.graphql');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, await schemaSdl());
    },
  },
};

const USAGE = `Usage: calsync <command>
${Object.values(COMMANDS)
  .map((command) => command.usage)
  .join('\n')}
  help, --help, -h      print this (also after any command, e.g. \`sync --help\`)`;

/** Asked for help: no command, `help`, or `--help` / `-h` anywhere. */
function wantsHelp(argv: string[]): boolean {
  return argv.length === 0 || argv[0] === 'help' || argv.some((arg) => arg === '--help' || arg === '-h');
}

/** The command named by the first two words or the first word, with the words after its name. */
function findCommand(argv: string[]): { command: Command; args: string[] } | null {
  const two = COMMANDS[argv.slice(0, 2).join(' ')];
  if (two && argv.length >= 2) return { command: two, args: argv.slice(2) };
  const one = COMMANDS[argv[0]];
  return one ? { command: one, args: argv.slice(1) } : null;
}

/**
 * Runs one command and returns its exit code. Help goes to stdout with exit code 0; an unknown
 * command prints the usage to stderr, and arguments a command cannot take print what is wrong and
 * that command's usage to stderr, both with exit code 1.
 */
async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const config = loadConfig();
  // Commands showing progress keep stdout for people: logs on stderr, only warnings and errors unless LOG_LEVEL asks for more.
  const logger = found.command.quietLogs
    ? createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', pino.destination(2))
    : createLogger(config.LOG_LEVEL);
  try {
    return (await found.command.run(config, logger, found.args)) ?? 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`calsync ${argv.slice(0, argv.length - found.args.length).join(' ')}: ${error.message}\nUsage:\n${error.usage}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
