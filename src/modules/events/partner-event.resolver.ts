import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { BulkDeactivateExternalEventsInput, BulkUpsertExternalEventsInput } from './partner-event.inputs';
import { BulkDeactivateExternalEventsPayload, BulkUpsertExternalEventsPayload } from './partner-event.payloads';
import { MAX_PARTNER_ITEMS, PartnerEventService } from './partner-events';
import { perArgumentItemCost } from '../../common/query-cost';
import { Feature, RequiresFeature } from '../tenancy/features';

/** Partner-pushed busy items (vcita `external_calendar_items`): thin edge of {@link PartnerEventService}. */
@Resolver()
export class PartnerEventResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => BulkUpsertExternalEventsPayload, {
    complexity: perArgumentItemCost('input.items', MAX_PARTNER_ITEMS),
    description:
      'Creates or updates busy items a partner pushes for a resource (ExternalEvents with source PARTNER_PUSH, from no provider calendar), idempotent by (resource, externalId), ' +
      'in one transaction. One result per item, in order: CREATED, UPDATED (changed or reactivated), UNCHANGED, or FAILED with a reason naming the field (`items[3].endsAt: ...`) ' +
      'while the other items still land. They block time like synced events unless inactive, CANCELLED or TRANSPARENT. ' +
      'BAD_USER_INPUT `input.items` over 1,000 items; NOT_FOUND `input.resourceId`.',
  })
  bulkUpsertExternalEvents(
    @Arg('input', () => BulkUpsertExternalEventsInput) input: BulkUpsertExternalEventsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BulkUpsertExternalEventsPayload> {
    return new PartnerEventService(ctx.em).bulkUpsert(ctx.tenant, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => BulkDeactivateExternalEventsPayload, {
    complexity: perArgumentItemCost('input.externalIds', MAX_PARTNER_ITEMS),
    description:
      'Deactivates partner-pushed items of a resource (vcita bulk_deactivate): they stop blocking time at once; pushing one again reactivates it. One result per externalId, in order: ' +
      'DEACTIVATED, UNCHANGED (already inactive) or NOT_FOUND. BAD_USER_INPUT `input.externalIds` over 1,000 ids; NOT_FOUND `input.resourceId`.',
  })
  bulkDeactivateExternalEvents(
    @Arg('input', () => BulkDeactivateExternalEventsInput) input: BulkDeactivateExternalEventsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<BulkDeactivateExternalEventsPayload> {
    return new PartnerEventService(ctx.em).bulkDeactivate(input);
  }
}
