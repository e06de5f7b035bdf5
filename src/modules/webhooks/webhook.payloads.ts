import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '../shared/pagination';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import type { EndpointWithSecret } from './webhook.service';

export const WebhookEndpointConnection = ConnectionType(WebhookEndpoint, 'WebhookEndpoint');

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');

/** An endpoint with its new signing secret: the one answer that shows it. */
@ObjectType({ description: 'A new webhook endpoint, or one whose secret was rotated, with its signing secret, shown only in this answer: store it now.' })
export class WebhookEndpointSecretPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, {
    description:
      'The signing secret, `whsec_` and base64 (Standard Webhooks): verify the `webhook-signature` header with it. Stored sealed; no query returns it again.',
  })
  secret!: string;

  static of(issued: EndpointWithSecret): WebhookEndpointSecretPayload {
    return Object.assign(new WebhookEndpointSecretPayload(), { endpoint: issued.endpoint, secret: issued.secret });
  }
}

@ObjectType({ description: 'The outcome of deleteWebhookEndpoint.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { description: 'The id of the endpoint deleted, with its deliveries.' })
  id!: string;

  static of(id: string): DeleteWebhookEndpointPayload {
    return Object.assign(new DeleteWebhookEndpointPayload(), { id });
  }
}
