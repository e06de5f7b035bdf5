import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { storedListCost } from '../../common/query-cost';
import { Resource } from '../resources/resource.entity';
import type { GraphQLContext } from '../shared/context';
import { Feature, hasFeature } from '../tenancy/features';
import { ExternalCalendar } from './external-calendar.entity';
import type { ReadRow } from '../shared/read-rows';

/** Adds a resource's connections to the Resource type, so that resources need not know connections. */
@Resolver(() => Resource)
export class ResourceConnectionsResolver {
  @FieldResolver(() => [ExternalCalendar], {
    complexity: storedListCost(10),
    description: 'Connections of this resource to provider accounts; empty for a tenant without the externalCalendars feature (the premium gate).',
  })
  externalCalendars(@Root() resource: ReadRow<Resource>, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar[]> {
    // Behind the premium gate like the top-level operations, but as an empty list: the resource itself stays readable.
    if (!hasFeature(ctx.tenant, Feature.EXTERNAL_CALENDARS)) return Promise.resolve([]);
    return ctx.loaders.manyBy(ExternalCalendar, 'resource').load(resource.id);
  }
}
