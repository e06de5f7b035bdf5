import { printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { AvailabilityResolver } from '../modules/availability/availability.resolver';
import { ExternalCalendarResolver, ProviderCalendarResolver } from '../modules/calendars/calendar.resolver';
import { ProviderResolver } from '../modules/calendars/provider.resolver';
import { ExternalEventResolver } from '../modules/events/external-event.resolver';
import { ResourceResolver } from '../modules/resources/resource.resolver';
import { SyncRunResolver } from '../modules/sync/sync-run.resolver';

/**
 * Builds the executable schema from the resolvers. `DateTime` is RFC 3339 with an offset
 * (graphql-scalars), serialized in UTC.
 */
export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [ProviderResolver, ResourceResolver, ExternalCalendarResolver, ProviderCalendarResolver, ExternalEventResolver, SyncRunResolver, AvailabilityResolver],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
  });
}

/** The SDL committed as `schema/schema.graphql` (written by `npm run schema`). */
export async function schemaSdl(): Promise<string> {
  return printSchema(await createSchema()) + '\n';
}
