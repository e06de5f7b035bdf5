import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ExternalEvent } from './external-event.entity';
import { COUNTED_BY_PARENT } from '../../common/query-cost';

/** What `bulkUpsertExternalEvents` did with one item. */
export enum UpsertResult {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  FAILED = 'FAILED',
}
/** What `bulkDeactivateExternalEvents` did with one externalId. */
export enum DeactivateResult {
  DEACTIVATED = 'DEACTIVATED',
  UNCHANGED = 'UNCHANGED',
  NOT_FOUND = 'NOT_FOUND',
}
registerEnumType(UpsertResult, {
  name: 'ExternalEventUpsertResult',
  description: 'CREATED: new; UPDATED: changed or reactivated; UNCHANGED: stored as given already; FAILED: invalid, see `reason`.',
});
registerEnumType(DeactivateResult, {
  name: 'ExternalEventDeactivateResult',
  description: 'DEACTIVATED: was active; UNCHANGED: already inactive; NOT_FOUND: no partner item of the resource has this id.',
});

@ObjectType({ description: 'The outcome for one pushed item, in the order of the input.' })
export class ExternalEventUpsertItemResult {
  @Field(() => String)
  externalId!: string;

  @Field(() => UpsertResult)
  result!: UpsertResult;

  @Field(() => String, { nullable: true, description: 'Why the item FAILED, naming the field (e.g. `items[3].endsAt: ...`); null otherwise.' })
  reason!: string | null;

  @Field(() => ExternalEvent, { nullable: true, description: 'The stored event; null when FAILED.' })
  event!: ExternalEvent | null;
}

@ObjectType({ description: 'The outcome of bulkUpsertExternalEvents: one result per item, in order.' })
export class BulkUpsertExternalEventsPayload {
  @Field(() => [ExternalEventUpsertItemResult], { complexity: COUNTED_BY_PARENT })
  results!: ExternalEventUpsertItemResult[];
}

@ObjectType({ description: 'The outcome for one externalId, in the order of the input.' })
export class ExternalEventDeactivateItemResult {
  @Field(() => String)
  externalId!: string;

  @Field(() => DeactivateResult)
  result!: DeactivateResult;
}

@ObjectType({ description: 'The outcome of bulkDeactivateExternalEvents: one result per externalId, in order.' })
export class BulkDeactivateExternalEventsPayload {
  @Field(() => [ExternalEventDeactivateItemResult], { complexity: COUNTED_BY_PARENT })
  results!: ExternalEventDeactivateItemResult[];
}
