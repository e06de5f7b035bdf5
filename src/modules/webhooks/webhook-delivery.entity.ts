import { Entity, Enum, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { webhookEventType, WebhookEventType } from './webhook-event-type';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING (waiting for its first attempt or a retry), SUCCEEDED (a 2xx answer), FAILED (refused, or retried for 24 hours).',
});

/** The most of a receiver's answer kept (bytes of UTF-8 text). */
export const RESPONSE_BODY_LIMIT = 1024;

/**
 * One event for one endpoint: its id is the `webhook-id` header of every attempt (receivers
 * deduplicate by it), its payload the exact body. Written by the outbox (record_webhook_event, in
 * the transaction of the change) or by sendTestWebhook; attempted by the webhook_deliver job.
 */
@ObjectType({ description: 'One event sent (or to be sent) to one webhook endpoint, with the outcome of its last attempt.' })
@Entity()
export class WebhookDelivery extends TenantOwnedEntity {
  @Field(() => ID, { description: 'The `webhook-id` header, the same on every attempt and redelivery.' })
  declare id: string;

  @ManyToOne({ entity: () => WebhookEndpoint, deleteRule: 'cascade' })
  endpoint!: WebhookEndpoint;

  /** The dotted name (`availability.changed`). */
  @Property({ type: 'text', fieldName: 'event_type' })
  eventTypeName!: string;

  /** `{ type, version, timestamp, data }`; the body is its JSON text. */
  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Field(() => WebhookDeliveryStatus)
  @Enum({ items: () => WebhookDeliveryStatus, nativeEnumName: 'webhook_delivery_status' })
  status: Opt<WebhookDeliveryStatus> = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Field(() => Date, { nullable: true, description: 'When (UTC) the next attempt is due; null once SUCCEEDED or FAILED.' })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null = null;

  @Field(() => Int, { nullable: true, description: "The HTTP status of the last attempt's answer; null when none came (timeout, refused connection)." })
  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null = null;

  @Field(() => String, { nullable: true, description: `The start of the last answer's body, at most ${RESPONSE_BODY_LIMIT} bytes.` })
  @Property({ type: 'text', nullable: true })
  responseBody: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Milliseconds from sending the last attempt to its answer (or its failure).' })
  @Property({ type: 'integer', nullable: true })
  latencyMs: number | null = null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, in words (timeout, refused address, HTTP status); never a secret.' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  succeededAt: Date | null = null;

  @Field(() => Date, {
    description:
      'When its current series of attempts began: its recording, or its last redeliverWebhook; retried for the retry window (24 hours by default) from then.',
  })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  windowStartedAt: Opt<Date> = new Date();

  /** The worker attempting it now (a lease; common/lease.ts), and since when. */
  @Property({ type: 'text', nullable: true })
  attemptWorker: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  attemptStartedAt: Date | null = null;

  @Field(() => Date)
  declare createdAt: Opt<Date>;

  @Field(() => ID)
  get endpointId(): Opt<string> {
    return this.endpoint.id;
  }

  @Field(() => WebhookEventType)
  get eventType(): Opt<WebhookEventType> {
    return webhookEventType(this.eventTypeName);
  }

  @Field(() => String, { description: 'The exact JSON body sent: `{ type, version, timestamp, data }`.' })
  get body(): Opt<string> {
    return JSON.stringify(this.payload);
  }
}
