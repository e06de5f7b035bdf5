/**
 * Module `shared`: what every module's resolvers and services use and no single module owns:
 * ModuleDeps (module-deps.ts; assembled by createDeps in src/runtime.ts), the GraphQL context
 * type, its per-request DataLoaders (loaders.ts: by id, by relation or a module's own; the modules
 * name the entities), Relay connections (pagination.ts) and the schema's scalars (scalars.ts).
 * No state, jobs or topics. src/server builds the context with {@link tenantContext}; no module
 * imports src/server.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { RESOURCE_FILTER, TENANT_FILTER, type ResourceFilterParams } from '../../db/orm';
import type { KeyScope } from '../tenancy/key-scope';
import type { Tenant } from '../tenancy/tenant.entity';
import { Loaders } from './loaders';
import type { ModuleDeps } from './module-deps';

/**
 * What every resolver receives: an EntityManager forked for the request and scoped to the tenant
 * and, for a resource key, to its resource (the default `tenant` and `resource` filters).
 */
export interface GraphQLContext {
  em: EntityManager;
  tenant: Tenant;
  /** What the request's API key may reach: one resource or the whole tenant, read-only or not. */
  key: KeyScope;
  loaders: Loaders;
  deps: ModuleDeps;
}

/**
 * A resolver context for the caller (its tenant managed by `em`, a fork of the process's
 * EntityManager), scoping `em` to the tenant and, for a resource key, to the key's resource:
 * rows of other resources are then not found, as those of other tenants.
 */
export function tenantContext(deps: ModuleDeps, em: EntityManager, caller: { tenant: Tenant; key: KeyScope }): GraphQLContext {
  em.setFilterParams(TENANT_FILTER, { tenantId: caller.tenant.id });
  em.setFilterParams(RESOURCE_FILTER, { resourceId: caller.key.resourceId } satisfies ResourceFilterParams);
  return { em, tenant: caller.tenant, key: caller.key, loaders: new Loaders(em), deps };
}
