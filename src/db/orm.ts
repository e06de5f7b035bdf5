import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { MIGRATIONS } from '../../migrations';
import type { EntityManager as AnyEntityManager } from '@mikro-orm/core';
import { resourceCondition } from '../modules/resources/resource-scope';
import { ENTITIES, TENANT_OWNED_ENTITIES } from './entities';

/** Name and argument of the tenant filter; set with `em.setFilterParams(TENANT_FILTER, { tenantId })`. */
export const TENANT_FILTER = 'tenant';

/**
 * Name of the resource filter, which narrows a tenant to one resource for a resource-scoped API
 * key; set with `em.setFilterParams(RESOURCE_FILTER, { resourceId })` (null: the whole tenant).
 */
export const RESOURCE_FILTER = 'resource';

/** Argument of the {@link RESOURCE_FILTER}: the one resource visible, or null for all of the tenant's. */
export interface ResourceFilterParams {
  resourceId: string | null;
}

/**
 * MikroORM options for a database URL. The `tenant` filter is on by default for every
 * tenant-owned entity, so a query made without a tenant in scope fails instead of returning
 * another tenant's rows; system code (CLI, migrations) turns it off explicitly.
 *
 * The `resource` filter is on by default for the same entities: when its `resourceId` is set
 * (a request made with a resource-scoped API key, src/modules/shared/context.ts), only that resource and
 * its connections, calendars, events, sync runs, push channels and appointments are found —
 * another resource's rows look like another tenant's. Without params (system code, workers) or
 * with `resourceId: null` (tenant keys) it keeps the whole tenant.
 */
export function ormConfig(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, silent: true, snapshot: false },
    filters: {
      [TENANT_FILTER]: {
        cond: (args: { tenantId: string }) => ({ tenant: args.tenantId }),
        entity: TENANT_OWNED_ENTITIES.map((entity) => entity.name),
        default: true,
      },
      [RESOURCE_FILTER]: {
        cond: (args: ResourceFilterParams | undefined, _type: unknown, em: AnyEntityManager, _options: unknown, entityName: string) =>
          args?.resourceId ? resourceCondition(em.getMetadata().find(entityName), entityName, args.resourceId) : {},
        entity: TENANT_OWNED_ENTITIES.map((entity) => entity.name),
        default: true,
        args: false,
      },
    },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}

/** Key of the PostgreSQL advisory lock held while migrations run. */
const MIGRATION_LOCK = 0x63616c73; // "cals"

/**
 * Connects to the database and applies pending migrations. Several processes may start at
 * once (API and workers), so migrations run under a session-level advisory lock: the first
 * applies them, the others wait and then find nothing to do.
 */
export async function initOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, overrides));
  const knex = orm.em.getConnection().getKnex();
  const lockConnection = await knex.client.acquireConnection();
  try {
    await lockConnection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await orm.getMigrator().up();
  } finally {
    await lockConnection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await knex.client.releaseConnection(lockConnection);
  }
  return orm;
}
