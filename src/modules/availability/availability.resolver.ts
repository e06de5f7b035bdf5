import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { AvailabilityService, MAX_RESOURCES } from './availability.service';
import { Availability, AvailabilityInput, CommonAvailability, CommonAvailabilityInput, ResourceFreeBusy } from './availability.types';
import { AvailabilityExplanation } from './explanation.types';
import { argumentListCost } from '../../common/query-cost';
import { Feature, RequiresFeature } from '../tenancy/features';

@Resolver()
export class AvailabilityResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS, (args) => (args.input as { syncExternal?: unknown } | undefined)?.syncExternal === true)
  @Query(() => Availability, {
    description:
      'Free slots of a resource: its working time (weekly hours, date overrides, validity, in its time zone) minus busy time from external events and buffers. ' +
      'BAD_USER_INPUT for a window over 92 days, `to` not after `from`, or a slot length that is not a positive multiple of the step.',
  })
  availability(@Arg('input', () => AvailabilityInput) input: AvailabilityInput, @Ctx() ctx: GraphQLContext): Promise<Availability> {
    return new AvailabilityService(ctx.em, ctx.deps).availability(ctx.tenant, input);
  }

  @Query(() => [ResourceFreeBusy], {
    complexity: argumentListCost('resourceIds', MAX_RESOURCES),
    description: 'Busy and free time of up to 100 resources at once, in the order asked, with a fixed number of SQL statements whatever their number.',
  })
  freeBusy(
    @Arg('resourceIds', () => [ID]) resourceIds: string[],
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date, { description: 'After `from`, at most 92 days later.' }) to: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ResourceFreeBusy[]> {
    return new AvailabilityService(ctx.em, ctx.deps).freeBusy(ctx.tenant, resourceIds, from, to);
  }

  @Query(() => CommonAvailability, { description: 'Slots when all (or at least minimumResources) of several resources are free at once.' })
  commonAvailability(@Arg('input', () => CommonAvailabilityInput) input: CommonAvailabilityInput, @Ctx() ctx: GraphQLContext): Promise<CommonAvailability> {
    return new AvailabilityService(ctx.em, ctx.deps).commonAvailability(ctx.tenant, input);
  }

  @Query(() => AvailabilityExplanation, {
    description:
      'Whether one instant is free for a resource and, if not, exactly what blocks it: working hours, a date override, validity, an event (which calendar, title, occurrence) or a buffer.',
  })
  explainAvailability(
    @Arg('resourceId', () => ID) resourceId: string,
    @Arg('at', () => Date) at: Date,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AvailabilityExplanation> {
    return new AvailabilityService(ctx.em, ctx.deps).explain(ctx.tenant, resourceId, at);
  }
}
