import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { SecretBox } from '../common/crypto';
import type { Logger } from '../common/logger';
import { createPubSub } from '../common/pubsub';
import { RESOURCE_FILTER, TENANT_FILTER, type ResourceFilterParams } from '../db/orm';
import { exportTargets } from '../modules/appointments/appointment-targets';
import { BusyTimeCache } from '../modules/availability/busy-time-cache';
import type { ModuleDeps } from '../modules/module-deps';
import { moduleEvents, type ModulePubSub, type ModuleTopics } from '../modules/module-topics';
import { pushChannels } from '../modules/push/push-channels';
import { OutboundPolicy } from '../common/outbound';
import { ProviderRegistry } from '../providers/registry';
import { ProviderLookup } from '../modules/calendars/provider-lookup';
import type { SyncQueue } from '../modules/sync/sync.jobs';
import type { KeyScope } from '../modules/tenancy/key-scope';
import type { Tenant } from '../modules/tenancy/tenant.entity';
import type { Caller } from './auth';
import { createLoaders, type Loaders } from './loaders';

/** Process-wide dependencies, created once at start-up. */
export interface AppDeps extends ModuleDeps {
  config: Config;
  orm: MikroORM;
  /** The bus behind `events` and the GraphQL subscriptions; closed by App.stop() (or by a process without an App). */
  pubSub: ModulePubSub;
}

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
  deps: AppDeps;
}

/**
 * A resolver context for the caller (its tenant managed by `em`, a fork of the process's
 * EntityManager), scoping `em` to the tenant and, for a resource key, to the key's resource:
 * rows of other resources are then not found, as those of other tenants.
 */
export function tenantContext(deps: AppDeps, em: EntityManager, caller: Caller): GraphQLContext {
  em.setFilterParams(TENANT_FILTER, { tenantId: caller.tenant.id });
  em.setFilterParams(RESOURCE_FILTER, { resourceId: caller.key.resourceId } satisfies ResourceFilterParams);
  return { em, tenant: caller.tenant, key: caller.key, loaders: createLoaders(em), deps };
}

/** Assembles the process-wide dependencies from the configuration and the opened runtime. */
export function createDeps(config: Config, orm: MikroORM, secrets: SecretBox, logger: Logger, queue: SyncQueue): AppDeps {
  const pubSub = createPubSub<ModuleTopics>({ redisUrl: config.REDIS_URL, logger });
  const deps: AppDeps = {
    config,
    orm,
    secrets,
    logger,
    queue,
    providers: new ProviderLookup(new ProviderRegistry({
      outbound: {
        policy: new OutboundPolicy({ allowPrivate: config.OUTBOUND_ALLOW_PRIVATE ?? false, allowCidrs: config.OUTBOUND_ALLOW_CIDRS ?? [] }),
        maxResponseBytes: config.OUTBOUND_MAX_RESPONSE_MB * 1024 * 1024,
      },
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
    })),
    publicUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
    pushUrl: config.PUBLIC_URL ? config.PUBLIC_URL.replace(/\/+$/, '') : null,
    oauthStateTtlMinutes: config.OAUTH_STATE_TTL_MINUTES,
    busyTime: new BusyTimeCache(),
    syncIntervalMinutes: config.SYNC_INTERVAL_MINUTES,
    heartbeatSeconds: config.SYNC_HEARTBEAT_SECONDS,
    pubSub,
    events: moduleEvents(pubSub, logger),
    exports: exportTargets,
    push: pushChannels(() => deps),
  };
  return deps;
}
