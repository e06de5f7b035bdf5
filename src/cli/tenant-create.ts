import { TenantService } from '../modules/tenancy/tenant.service';
import { openRuntime } from '../runtime';
import { parseCommand } from './args';
import type { Command } from './command';

const USAGE = `  tenant create <name>  create a tenant (names are unique, ignoring case) and print its API key once`;

/**
 * `tenant create <name>`: prints the new tenant's `default` API key alone on its line, once.
 * A name taken already (ignoring case) fails with CONFLICT's message, exit code 1.
 */
export const tenantCreate: Command = {
  usage: USAGE,
  async run(config, logger, args) {
    const { positionals } = parseCommand(args, { positionals: ['name'], options: {}, usage: USAGE });
    const runtime = await openRuntime(config, logger);
    try {
      const { apiKey } = await new TenantService(runtime.orm.em.fork()).create(positionals.name);
      process.stdout.write(`${apiKey}\n`);
    } finally {
      await runtime.close();
    }
  },
};
