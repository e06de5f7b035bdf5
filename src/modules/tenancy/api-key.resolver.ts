import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { ApiKeyService, type IssuedApiKey } from './api-key.service';
import { ApiKeySecretPayload, ApiKeyView, CreateApiKeyInput } from './api-key.types';
import { assertTenantAdmin, TenantKeyOnly } from './key-scope';
import { storedListCost } from '../../common/query-cost';
import { Viewer } from './viewer.types';

function payload(issued: IssuedApiKey): ApiKeySecretPayload {
  return Object.assign(new ApiKeySecretPayload(), { apiKey: ApiKeyView.of(issued.apiKey), secret: issued.secret });
}

/** The caller's own key (any key), and key management, for tenant keys that are not read-only (others get FORBIDDEN). */
@Resolver()
export class ApiKeyResolver {
  @Query(() => Viewer, { description: "The caller: its tenant, and its key's scope and whether it is read-only. Any key may ask." })
  viewer(@Ctx() ctx: GraphQLContext): Viewer {
    return Viewer.of(ctx.tenant, ctx.key);
  }

  @Query(() => [ApiKeyView], {
    complexity: storedListCost(10),
    description: "The tenant's API keys, revoked ones included, oldest first; prefixes only, never secrets. FORBIDDEN for resource or read-only keys.",
  })
  async apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKeyView[]> {
    assertTenantAdmin(ctx.key, 'apiKeys');
    return (await new ApiKeyService(ctx.em).list(ctx.tenant.id)).map((key) => ApiKeyView.of(key));
  }

  @TenantKeyOnly()
  @Mutation(() => ApiKeySecretPayload, {
    description:
      'Issues an API key: for the whole tenant, or limited to `resourceId`; optionally read-only. The secret is in this answer only. ' +
      'NOT_FOUND for an unknown resource; FORBIDDEN for resource or read-only keys.',
  })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<ApiKeySecretPayload> {
    assertTenantAdmin(ctx.key, 'createApiKey');
    return payload(await new ApiKeyService(ctx.em).create(ctx.tenant.id, input));
  }

  @TenantKeyOnly()
  @Mutation(() => ApiKeySecretPayload, {
    description:
      'Gives a key a new secret, in this answer only; the old secret stops working at once and its open subscriptions are closed within seconds. ' +
      'NOT_FOUND for an unknown key, FAILED_PRECONDITION for a revoked one; FORBIDDEN for resource or read-only keys.',
  })
  async rotateApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeySecretPayload> {
    assertTenantAdmin(ctx.key, 'rotateApiKey');
    return payload(await new ApiKeyService(ctx.em).rotate(ctx.tenant.id, id));
  }

  @TenantKeyOnly()
  @Mutation(() => ApiKeyView, {
    description:
      'Revokes a key (idempotent): it stops working at once and its open subscriptions are closed within seconds (close code 4401). ' +
      'NOT_FOUND for an unknown key; FORBIDDEN for resource or read-only keys.',
  })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeyView> {
    assertTenantAdmin(ctx.key, 'revokeApiKey');
    return ApiKeyView.of(await new ApiKeyService(ctx.em).revoke(ctx.tenant.id, id));
  }
}
