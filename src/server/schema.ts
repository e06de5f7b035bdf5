import { printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type PubSub } from 'type-graphql';
import { createPubSub } from '../common/pubsub';
import { createLogger } from '../common/logger';
import { AppointmentResolver } from '../modules/appointments/appointment.resolver';
import { AvailabilityResolver } from '../modules/availability/availability.resolver';
import { ExternalCalendarResolver, ProviderCalendarResolver } from '../modules/connections/connection.resolver';
import { IcsFeedResolver } from '../modules/connections/ics-feed.resolver';
import { ProviderResolver } from '../modules/connections/provider.resolver';
import { ResourceConnectionsResolver } from '../modules/connections/resource-connections.resolver';
import { ExternalEventResolver } from '../modules/events/external-event.resolver';
import { PartnerEventResolver } from '../modules/events/partner-event.resolver';
import { ResourceResolver } from '../modules/resources/resource.resolver';
import { accessChecker } from '../modules/tenancy/access';
import { ApiKeyResolver } from '../modules/tenancy/api-key.resolver';
import { guardMutations } from '../modules/tenancy/key-scope';
import { ExternalCalendarSyncRunResolver, SyncRunResolver } from '../modules/sync/sync-run.resolver';
import { SyncStatusResolver } from '../modules/sync/sync-status.resolver';
import { WebhookResolver } from '../modules/webhooks/webhook.resolver';
import { refuseNulInArguments } from './nul-guard';

/**
 * Builds the executable schema from the resolvers; subscriptions listen on `pubSub`. `DateTime`
 * is RFC 3339 with an offset (graphql-scalars), serialized in UTC. The access rules the resolvers
 * declare (`RequiresFeature`, `TenantKeyOnly`) are run by the `authChecker`
 * (src/modules/tenancy/access.ts); the key guard (src/modules/tenancy/key-scope.ts) is put in
 * front of every mutation (read-only keys); a NUL character in any argument is refused
 * (src/server/nul-guard.ts).
 */
export function createSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      ProviderResolver,
      ResourceResolver,
      ResourceConnectionsResolver,
      ExternalCalendarResolver,
      ProviderCalendarResolver,
      IcsFeedResolver,
      ExternalEventResolver,
      PartnerEventResolver,
      SyncRunResolver,
      ExternalCalendarSyncRunResolver,
      SyncStatusResolver,
      AvailabilityResolver,
      AppointmentResolver,
      ApiKeyResolver,
      WebhookResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    pubSub,
    authChecker: accessChecker,
    validate: false,
  })
    .then(guardMutations)
    .then(refuseNulInArguments);
}

/** The SDL committed as `schema/schema.graphql` (written by `npm run schema`). */
export async function schemaSdl(): Promise<string> {
  // Printing never subscribes: an in-memory bus stands in for the process's.
  return printSchema(await createSchema(createPubSub({ logger: createLogger('silent') }))) + '\n';
}
