import { Field, ID, ObjectType } from 'type-graphql';
import type { KeyScope } from './key-scope';
import type { Tenant } from './tenant.entity';
import { ApiKeyScope } from './api-key.types';

/** The caller of a request: its tenant and what its API key may do. */
@ObjectType({ description: 'The caller: its tenant and what its API key reaches, so that a client can offer only what the key may do.' })
export class Viewer {
  @Field(() => ID, { description: "The caller's tenant." })
  tenantId!: string;

  @Field(() => String, { description: "The tenant's name." })
  tenantName!: string;

  @Field(() => ID, { nullable: true, description: 'The API key of the request; null for callers that are not an API key.' })
  apiKeyId!: string | null;

  @Field(() => ApiKeyScope, { description: 'TENANT: every resource; RESOURCE: `resourceId` only.' })
  scope!: ApiKeyScope;

  @Field(() => ID, { nullable: true, description: 'The one resource a RESOURCE key reaches; null for a TENANT key.' })
  resourceId!: string | null;

  @Field(() => Boolean, { description: 'Whether every mutation is refused (FORBIDDEN); queries and subscriptions work.' })
  readOnly!: boolean;

  /** The viewer of a request of `tenant` with `key`. */
  static of(tenant: Tenant, key: KeyScope): Viewer {
    return Object.assign(new Viewer(), {
      tenantId: tenant.id,
      tenantName: tenant.name,
      apiKeyId: key.apiKeyId,
      scope: key.resourceId ? ApiKeyScope.RESOURCE : ApiKeyScope.TENANT,
      resourceId: key.resourceId,
      readOnly: key.readOnly,
    });
  }
}
