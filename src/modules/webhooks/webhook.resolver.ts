import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { PAGE_COST } from '../../common/query-cost';
import type { GraphQLContext } from '../shared/context';
import { assertTenantAdmin, TenantKeyOnly } from '../tenancy/key-scope';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { CreateWebhookEndpointInput, RotateWebhookSecretInput, UpdateWebhookEndpointInput, WebhookDeliveryFilter } from './webhook.inputs';
import { DeleteWebhookEndpointPayload, WebhookDeliveryConnection, WebhookEndpointConnection, WebhookEndpointSecretPayload } from './webhook.payloads';
import { WebhookService } from './webhook.service';

function service(ctx: GraphQLContext): WebhookService {
  return new WebhookService(ctx.em, ctx.deps);
}

/**
 * Webhook endpoints of partner back ends and their deliveries. Tenant keys only (FORBIDDEN to
 * resource keys, by `TenantKeyOnly`); read-only tenant keys may list, and every mutation also
 * needs a key that is not read-only.
 */
@Resolver()
export class WebhookResolver {
  @TenantKeyOnly()
  @Query(() => WebhookEndpointConnection, {
    complexity: PAGE_COST,
    description:
      "The tenant's webhook endpoints, oldest first (Relay connection, up to 100 a page); never their secrets. " +
      'BAD_USER_INPUT naming `first` or `after`; FORBIDDEN for resource keys (read-only tenant keys may list).',
  })
  webhookEndpoints(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return service(ctx).list(first, after);
  }

  @TenantKeyOnly()
  @Query(() => WebhookDeliveryConnection, {
    complexity: PAGE_COST,
    description:
      'The deliveries of one endpoint, newest first by when they were (re)scheduled (Relay connection, up to 100 a page), each with the exact body sent and the outcome of its last attempt. ' +
      'NOT_FOUND naming `endpointId`; BAD_USER_INPUT naming `first` or `after`; FORBIDDEN for resource keys (read-only tenant keys may list).',
  })
  webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true, description: 'Which deliveries; by default all.' }) filter: WebhookDeliveryFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return service(ctx).deliveries(endpointId, filter ?? {}, first, after);
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookEndpointSecretPayload, {
    description:
      'Registers an endpoint (ENABLED) that receives the event types asked for, POSTed as JSON `{ type, version, timestamp, data }` and signed per Standard Webhooks ' +
      '(`webhook-id`, `webhook-timestamp`, `webhook-signature` headers); retried with backoff for 24 hours. The `whsec_` secret is in this answer only. ' +
      'BAD_USER_INPUT naming `input.url` (not http(s), a user or password, a private, loopback or link-local address), `input.eventTypes` (empty, or WEBHOOK_TEST), ' +
      '`input.resourceIds` or `input.description`; NOT_FOUND naming `input.resourceIds` for a resource not of the tenant; ' +
      'FAILED_PRECONDITION past 20 endpoints; FORBIDDEN for resource or read-only keys.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointSecretPayload> {
    assertTenantAdmin(ctx.key, 'createWebhookEndpoint');
    return WebhookEndpointSecretPayload.of(await service(ctx).create(ctx.tenant.id, input));
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookEndpoint, {
    description:
      'Changes an endpoint (absent fields stay); `enabled: true` enables a DISABLED endpoint again, `enabled: false` disables it. ' +
      'NOT_FOUND naming `input.id` (or `input.resourceIds`); BAD_USER_INPUT as createWebhookEndpoint; FORBIDDEN for resource or read-only keys.',
  })
  updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpoint> {
    assertTenantAdmin(ctx.key, 'updateWebhookEndpoint');
    return service(ctx).update(input);
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookEndpointSecretPayload, {
    description:
      'Gives an endpoint a new `whsec_` secret, in this answer only. The previous secret keeps signing next to it (two signatures in `webhook-signature`) ' +
      'for `input.graceMinutes` (default 1,440), until `previousSecretExpiresAt`. ' +
      'NOT_FOUND naming `input.id`; BAD_USER_INPUT naming `input.graceMinutes` outside 0..10,080; FORBIDDEN for resource or read-only keys.',
  })
  async rotateWebhookSecret(
    @Arg('input', () => RotateWebhookSecretInput) input: RotateWebhookSecretInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointSecretPayload> {
    assertTenantAdmin(ctx.key, 'rotateWebhookSecret');
    return WebhookEndpointSecretPayload.of(await service(ctx).rotateSecret(input));
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookEndpoint, {
    description:
      'Disables an endpoint (idempotent): it receives nothing until enabled again with updateWebhookEndpoint, and its waiting deliveries fail. ' +
      'NOT_FOUND naming `id`; FORBIDDEN for resource or read-only keys.',
  })
  disableWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    assertTenantAdmin(ctx.key, 'disableWebhookEndpoint');
    return service(ctx).disable(id);
  }

  @TenantKeyOnly()
  @Mutation(() => DeleteWebhookEndpointPayload, {
    description:
      'Deletes an endpoint with its deliveries; attempts not yet made are not made. NOT_FOUND naming `id`; FORBIDDEN for resource or read-only keys.',
  })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<DeleteWebhookEndpointPayload> {
    assertTenantAdmin(ctx.key, 'deleteWebhookEndpoint');
    return DeleteWebhookEndpointPayload.of(await service(ctx).delete(id));
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookDelivery, {
    description:
      'Sends a delivery again, whatever its status: the same `webhook-id` and body, PENDING now, retried for 24 hours from now. ' +
      'NOT_FOUND naming `id` for a delivery not of the tenant; FAILED_PRECONDITION when its endpoint is DISABLED; FORBIDDEN for resource or read-only keys.',
  })
  redeliverWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    assertTenantAdmin(ctx.key, 'redeliverWebhook');
    return service(ctx).redeliver(id);
  }

  @TenantKeyOnly()
  @Mutation(() => WebhookDelivery, {
    description:
      'Queues a `webhook.test` event (`data: { endpointId }`) to the endpoint, delivered and retried as any event, whatever its event types; returns the PENDING delivery. ' +
      'NOT_FOUND naming `endpointId`; FAILED_PRECONDITION when the endpoint is DISABLED; FORBIDDEN for resource or read-only keys.',
  })
  sendTestWebhook(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    assertTenantAdmin(ctx.key, 'sendTestWebhook');
    return service(ctx).sendTest(ctx.tenant.id, endpointId);
  }
}
