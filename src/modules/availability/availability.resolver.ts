import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../server/context';
import { AvailabilityService } from './availability.service';
import { Availability, AvailabilityInput } from './availability.types';

@Resolver()
export class AvailabilityResolver {
  @Query(() => Availability, {
    description:
      "Free slots of a resource: its working hours (in its time zone) minus busy time from external events and buffers. " +
      'BAD_USER_INPUT for a window over 92 days, `to` not after `from`, or slot/step minutes out of 5..1440.',
  })
  availability(@Arg('input', () => AvailabilityInput) input: AvailabilityInput, @Ctx() ctx: GraphQLContext): Promise<Availability> {
    return new AvailabilityService(ctx.em, ctx.deps).availability(ctx.tenant, input);
  }
}
