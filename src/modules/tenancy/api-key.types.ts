import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { ApiKey } from './api-key.entity';

/** What an API key reaches. */
export enum ApiKeyScope {
  TENANT = 'TENANT',
  RESOURCE = 'RESOURCE',
}
registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: 'What an API key reaches.',
  valuesConfig: {
    TENANT: { description: 'Every resource of the tenant (an app token).' },
    RESOURCE: { description: 'One resource and what hangs off it (a staff token); anything else looks as if it did not exist.' },
  },
});

/** An API key as listed: never its secret or hash, only the prefix. */
@ObjectType('ApiKey', { description: 'An API key of the tenant, as listed: never its secret or hash, only the first characters.' })
export class ApiKeyView {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'A name to recognise the key by.' })
  name!: string;

  @Field(() => String, { description: 'The first characters of the key (`csk_AbCd`).' })
  prefix!: string;

  @Field(() => ApiKeyScope)
  scope!: ApiKeyScope;

  @Field(() => ID, { nullable: true, description: 'The resource a RESOURCE key is limited to; null for a TENANT key.' })
  resourceId!: string | null;

  @Field(() => Boolean, { description: 'Whether every mutation is refused (FORBIDDEN); queries and subscriptions work.' })
  readOnly!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the key last authenticated a request, to the minute.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; it no longer authenticates.' })
  revokedAt!: Date | null;

  /** The listed shape of a stored key. */
  static of(key: ApiKey): ApiKeyView {
    return Object.assign(new ApiKeyView(), {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scope: key.resource ? ApiKeyScope.RESOURCE : ApiKeyScope.TENANT,
      resourceId: key.resource?.id ?? null,
      readOnly: key.readOnly,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: key.revokedAt,
    });
  }
}

/** A key with its secret: the one answer that shows it. */
@ObjectType({ description: 'A new or rotated API key with its secret, shown only in this answer: store it now.' })
export class ApiKeySecretPayload {
  @Field(() => ApiKeyView)
  apiKey!: ApiKeyView;

  @Field(() => String, { description: 'The key to send as `Authorization: Bearer csk_...`; only its hash is stored.' })
  secret!: string;
}

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => String, { description: 'A name to recognise the key by (1..200 characters).' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Limit the key to this resource (a RESOURCE key); omitted: the whole tenant.' })
  resourceId?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Refuse every mutation with FORBIDDEN.' })
  readOnly!: boolean;
}
