import { Field, ID, InputType, Int } from 'type-graphql';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEventType } from './webhook-event-type';

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description:
      'http or https URL, at most 2,000 characters, without user or password; no private, loopback or link-local address unless the operator allows them.',
  })
  url!: string;

  @Field(() => [WebhookEventType], {
    description: 'The event types to receive: at least one; WEBHOOK_TEST is not subscribable (every endpoint can be sent one).',
  })
  eventTypes!: WebhookEventType[];

  @Field(() => [ID], { nullable: true, description: 'Only events of these resources (at most 100); null or absent for every resource of the tenant.' })
  resourceIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook endpoint; absent fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'As in createWebhookEndpoint.' })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  eventTypes?: WebhookEventType[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only events of these resources; an empty list means every resource again.' })
  resourceIds?: string[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true enables a DISABLED endpoint again (its failure clock starts anew); false is disableWebhookEndpoint.',
  })
  enabled?: boolean | null;
}

@InputType({ description: 'Which deliveries of an endpoint to list; every field narrows the list.' })
export class WebhookDeliveryFilter {
  @Field(() => [WebhookDeliveryStatus], { nullable: true })
  statuses?: WebhookDeliveryStatus[] | null;

  @Field(() => [WebhookEventType], { nullable: true })
  eventTypes?: WebhookEventType[] | null;
}

/** Minutes the previous secret signs after a rotation unless asked otherwise: a day. */
export const DEFAULT_GRACE_MINUTES = 1440;

@InputType({ description: "A rotation of an endpoint's signing secret." })
export class RotateWebhookSecretInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description: `Minutes the previous secret keeps signing next to the new one (0 to 10,080; default ${DEFAULT_GRACE_MINUTES}).`,
  })
  graceMinutes?: number | null;
}
