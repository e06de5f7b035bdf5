import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { ConnectionType } from '../shared/pagination';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { EventService } from './event.service';
import { ExternalEvent } from './external-event.entity';
import { ExternalEventFilter } from './external-event.inputs';
import { PAGE_COST } from '../../common/query-cost';
import { Feature, RequiresFeature } from '../tenancy/features';
import type { ReadRow } from '../shared/read-rows';

export const ExternalEventConnection = ConnectionType(ExternalEvent, 'ExternalEvent');

@Resolver(() => ExternalEvent)
export class ExternalEventResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => ExternalEventConnection, {
    complexity: PAGE_COST,
    description: 'Stored external event occurrences overlapping a window, by start time (Relay connection, up to 100 a page).',
  })
  externalEvents(
    @Arg('filter', () => ExternalEventFilter) filter: ExternalEventFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return new EventService(ctx.em).list(ctx.tenant, filter, first, after);
  }

  @FieldResolver(() => ExternalCalendar, {
    nullable: true,
    description: 'The connection the event was synced through; null for a PARTNER_PUSH event, which belongs to no connection.',
  })
  async externalCalendar(@Root() event: ReadRow<ExternalEvent>, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar | null> {
    return event.externalCalendar ? ctx.loaders.byId(ExternalCalendar).load(event.externalCalendar.id) : null;
  }

  @FieldResolver(() => ProviderCalendar, {
    nullable: true,
    description: 'The calendar the event is in; null for a PARTNER_PUSH event, which comes from no provider calendar.',
  })
  async calendar(@Root() event: ReadRow<ExternalEvent>, @Ctx() ctx: GraphQLContext): Promise<ProviderCalendar | null> {
    return event.providerCalendar ? ctx.loaders.byId(ProviderCalendar).load(event.providerCalendar.id) : null;
  }

  @FieldResolver(() => Resource, { description: 'The resource whose time the event can block.' })
  async resource(@Root() event: ReadRow<ExternalEvent>, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(event.resource.id))!;
  }
}
