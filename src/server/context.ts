import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { SecretBox } from '../common/crypto';
import type { Logger } from '../common/logger';
import type { ModuleDeps } from '../modules/module-deps';
import { ProviderRegistry } from '../providers/registry';
import type { Tenant } from '../modules/tenancy/tenant.entity';
import type { Loaders } from './loaders';

/** Process-wide dependencies, created once at start-up. */
export interface AppDeps extends ModuleDeps {
  config: Config;
  orm: MikroORM;
  logger: Logger;
}

/** What every resolver receives: an EntityManager forked for the request and scoped to the tenant. */
export interface GraphQLContext {
  em: EntityManager;
  tenant: Tenant;
  loaders: Loaders;
  deps: AppDeps;
}

/** Assembles the process-wide dependencies from the configuration and the opened runtime. */
export function createDeps(config: Config, orm: MikroORM, secrets: SecretBox, logger: Logger): AppDeps {
  return {
    config,
    orm,
    secrets,
    logger,
    providers: new ProviderRegistry({
      google: {
        clientId: config.GOOGLE_CLIENT_ID,
        clientSecret: config.GOOGLE_CLIENT_SECRET,
        accountsUrl: config.GOOGLE_ACCOUNTS_URL,
        oauthUrl: config.GOOGLE_OAUTH_URL,
        apiUrl: config.GOOGLE_API_URL,
      },
      microsoft: {
        clientId: config.MICROSOFT_CLIENT_ID,
        clientSecret: config.MICROSOFT_CLIENT_SECRET,
        tenant: config.MICROSOFT_TENANT,
        loginUrl: config.MICROSOFT_LOGIN_URL,
        graphUrl: config.MICROSOFT_GRAPH_URL,
      },
    }),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
    oauthStateTtlMinutes: config.OAUTH_STATE_TTL_MINUTES,
  };
}
