import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES, TENANT_OWNED_ENTITIES } from './entities';

/** Name and argument of the tenant filter; set with `em.setFilterParams(TENANT_FILTER, { tenantId })`. */
export const TENANT_FILTER = 'tenant';

/**
 * MikroORM options for a database URL. The `tenant` filter is on by default for every
 * tenant-owned entity, so a query made without a tenant in scope fails instead of returning
 * another tenant's rows; system code (CLI, migrations) turns it off explicitly.
 */
export function ormConfig(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true },
    filters: {
      [TENANT_FILTER]: {
        cond: (args: { tenantId: string }) => ({ tenant: args.tenantId }),
        entity: TENANT_OWNED_ENTITIES.map((entity) => entity.name),
        default: true,
      },
    },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}

/** Connects to the database and applies pending migrations. */
export async function initOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, overrides));
  await orm.getMigrator().up();
  return orm;
}
