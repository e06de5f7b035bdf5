import type { Config } from '../config';
import type { Logger } from '../common/logger';
import { ApiKeyService } from '../modules/tenancy/api-key.service';
import { ApiKeyView } from '../modules/tenancy/api-key.types';
import { openRuntime } from '../runtime';
import { parseCommand, type OptionSpec } from './args';
import type { Command } from './command';

/** Parses `args`, then runs `body` with an ApiKeyService on the configured database, closing it after. */
async function withKeys<TOptions extends OptionSpec>(
  config: Config,
  logger: Logger,
  args: string[],
  spec: { positionals: string[]; options: TOptions; usage: string },
  body: (keys: ApiKeyService, parsed: ReturnType<typeof parseCommand<TOptions>>) => Promise<void>,
): Promise<void> {
  const parsed = parseCommand(args, spec);
  const runtime = await openRuntime(config, logger);
  try {
    await body(new ApiKeyService(runtime.orm.em.fork()), parsed);
  } finally {
    await runtime.close();
  }
}

const CREATE_USAGE = `  key create <tenant> [--resource <id>] [--read-only] [--name <name>]
                        create an API key of a tenant (id, or name ignoring case) and print it once`;

/** `key create <tenant> [--resource <id>] [--read-only] [--name <name>]`: prints the new key alone on its line, once. */
export const keyCreate: Command = {
  usage: CREATE_USAGE,
  run: (config, logger, args) =>
    withKeys(
      config,
      logger,
      args,
      {
        positionals: ['tenant'],
        options: { resource: { type: 'string' }, 'read-only': { type: 'boolean', default: false }, name: { type: 'string', default: 'cli' } },
        usage: CREATE_USAGE,
      },
      async (keys, { positionals, values }) => {
        const tenant = await keys.tenant(positionals.tenant);
        const { secret } = await keys.create(tenant.id, { name: values.name, resourceId: values.resource, readOnly: values['read-only'] });
        process.stdout.write(`${secret}\n`);
      },
    ),
};

const LIST_USAGE = `  key list <tenant>     list a tenant's API keys (id, prefix, scope, ...; never secrets)`;

/** `key list <tenant>`: one tab-separated line per key: id, prefix, scope, resource, read-only/read-write, name, created, active/revoked. */
export const keyList: Command = {
  usage: LIST_USAGE,
  run: (config, logger, args) =>
    withKeys(config, logger, args, { positionals: ['tenant'], options: {}, usage: LIST_USAGE }, async (keys, { positionals }) => {
      const tenant = await keys.tenant(positionals.tenant);
      for (const key of (await keys.list(tenant.id)).map((k) => ApiKeyView.of(k))) {
        const columns = [
          key.id,
          key.prefix,
          key.scope,
          key.resourceId ?? '-',
          key.readOnly ? 'read-only' : 'read-write',
          key.name,
          key.createdAt.toISOString(),
          key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active',
        ];
        process.stdout.write(`${columns.join('\t')}\n`);
      }
    }),
};

const REVOKE_USAGE = `  key revoke <keyId>    revoke an API key at once`;

/** `key revoke <keyId>`: prints the revoked key's id. */
export const keyRevoke: Command = {
  usage: REVOKE_USAGE,
  run: (config, logger, args) =>
    withKeys(config, logger, args, { positionals: ['keyId'], options: {}, usage: REVOKE_USAGE }, async (keys, { positionals }) => {
      const key = await keys.revoke(null, positionals.keyId);
      process.stdout.write(`${key.id}\n`);
    }),
};
