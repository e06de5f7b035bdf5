import { Entity, Enum, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { webhookEventType, WebhookEventType } from './webhook-event-type';

export enum WebhookEndpointStatus {
  ENABLED = 'ENABLED',
  DISABLED = 'DISABLED',
}

registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'ENABLED (receives events) or DISABLED (by disableWebhookEndpoint, or by the gateway after 5 days of failed deliveries).',
});

/**
 * A tenant's HTTPS endpoint that receives signed events (Standard Webhooks). Its signing secret
 * (`whsec_...`) is sealed at rest (common/crypto.ts), shown once when created or rotated, never
 * returned again; after a rotation the previous secret also signs until `previousSecretExpiresAt`.
 */
@ObjectType({ description: "A partner back end's webhook endpoint. The signing secret is shown only by createWebhookEndpoint and rotateWebhookSecret." })
@Entity()
export class WebhookEndpoint extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { description: 'Where events are POSTed (http or https; private addresses only where the operator allows them).' })
  @Property({ type: 'text' })
  url!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** Dotted names (`availability.changed`), as the outbox trigger matches them. */
  @Property({ type: 'jsonb', fieldName: 'event_types' })
  eventTypeNames!: string[];

  @Field(() => [ID], { nullable: true, description: 'Only events of these resources; null for every resource of the tenant.' })
  @Property({ type: 'jsonb', nullable: true })
  resourceIds: string[] | null = null;

  /** The sealed current secret. */
  @Property({ type: 'text', hidden: true, lazy: true })
  secret!: string;

  /** The sealed secret before the last rotation, signing too until {@link previousSecretExpiresAt}. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  previousSecret: string | null = null;

  @Field(() => Date, { nullable: true, description: 'Until when (UTC) the secret before the last rotation also signs; null when only one secret signs.' })
  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  @Field(() => WebhookEndpointStatus)
  @Enum({ items: () => WebhookEndpointStatus, nativeEnumName: 'webhook_endpoint_status' })
  status: Opt<WebhookEndpointStatus> = WebhookEndpointStatus.ENABLED;

  @Field(() => String, { nullable: true, description: 'Why the endpoint is DISABLED: by a client, or failing since failingSince for 5 days.' })
  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  @Field(() => Date, { nullable: true, description: 'Since when (UTC) every attempt to deliver has failed; null after a success.' })
  @Property({ type: 'timestamptz', nullable: true })
  failingSince: Date | null = null;

  @Field(() => Date)
  declare createdAt: Opt<Date>;

  @Field(() => Date)
  declare updatedAt: Opt<Date>;

  @Field(() => [WebhookEventType], { description: 'The event types the endpoint receives.' })
  get eventTypes(): Opt<WebhookEventType[]> {
    return this.eventTypeNames.map(webhookEventType);
  }
}
