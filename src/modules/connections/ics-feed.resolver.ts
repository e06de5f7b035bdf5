import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { Feature, RequiresFeature } from '../tenancy/features';
import { ExternalCalendar } from './external-calendar.entity';
import { ConnectIcsFeedInput, UpdateIcsFeedInput } from './ics-feed.inputs';
import { IcsFeedService } from './ics-feed.service';

/** The ICS feed mutations: subscribing a resource to a published calendar, and replacing its address. */
@Resolver(() => ExternalCalendar)
export class IcsFeedResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      "Subscribes a resource to a published calendar (an ICS feed: Google's secret iCal address, an Outlook published calendar, a webcal:// iCloud calendar, a booking platform's export). " +
      'The feed is fetched first and must answer with an iCalendar file; it becomes a CONNECTED connection with one read-only calendar, read from the start and never writable. ' +
      'Errors: BAD_USER_INPUT naming input.url with the reason (not a feed address, a refused address, no answer, not iCalendar, too large, too slow), NOT_FOUND (resource).',
  })
  connectIcsFeed(@Arg('input', () => ConnectIcsFeedInput) input: ConnectIcsFeedInput, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return new IcsFeedService(ctx.em, ctx.deps).connect(ctx.tenant, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      'Replaces the address of an ICS feed connection in place (a rotated secret address), after fetching the new one; the next sync reads it whole. Nothing changes when the fetch fails. ' +
      'Errors: BAD_USER_INPUT (input.url as for connectIcsFeed; not an ICS connection), FAILED_PRECONDITION (disconnected), NOT_FOUND.',
  })
  updateIcsFeed(@Arg('input', () => UpdateIcsFeedInput) input: UpdateIcsFeedInput, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return new IcsFeedService(ctx.em, ctx.deps).updateUrl(input);
  }
}
