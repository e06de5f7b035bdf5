import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { SecretBox } from '../common/crypto';
import type { Logger } from '../common/logger';
import type { Tenant } from '../modules/tenancy/tenant.entity';
import type { Loaders } from './loaders';

/** Process-wide dependencies, created once at start-up. */
export interface AppDeps {
  config: Config;
  orm: MikroORM;
  secrets: SecretBox;
  logger: Logger;
}

/** What every resolver receives: an EntityManager forked for the request and scoped to the tenant. */
export interface GraphQLContext {
  em: EntityManager;
  tenant: Tenant;
  loaders: Loaders;
  deps: AppDeps;
}
