import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../server/context';
import { ConnectionType } from '../../server/pagination';
import { ExternalCalendar } from '../calendars/external-calendar.entity';
import { ProviderCalendar } from '../calendars/provider-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { EventService } from './event.service';
import { ExternalEvent } from './external-event.entity';
import { ExternalEventFilter } from './external-event.inputs';

export const ExternalEventConnection = ConnectionType(ExternalEvent, 'ExternalEvent');

@Resolver(() => ExternalEvent)
export class ExternalEventResolver {
  @Query(() => ExternalEventConnection, {
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

  @FieldResolver(() => ExternalCalendar, { description: 'The connection the event was synced through.' })
  async externalCalendar(@Root() event: ExternalEvent, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return (await ctx.loaders.externalCalendar.load(event.externalCalendar.id))!;
  }

  @FieldResolver(() => ProviderCalendar, { description: 'The calendar the event is in.' })
  async calendar(@Root() event: ExternalEvent, @Ctx() ctx: GraphQLContext): Promise<ProviderCalendar> {
    return (await ctx.loaders.providerCalendar.load(event.providerCalendar.id))!;
  }

  @FieldResolver(() => Resource)
  async resource(@Root() event: ExternalEvent, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.resource.load(event.resource.id))!;
  }
}
