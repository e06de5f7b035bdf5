import { Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { ProviderKind } from '../../providers/provider';
import { Feature, hasFeature } from '../tenancy/features';
import { listCost } from '../../common/query-cost';

/** How an account of a provider is connected. */
export enum ConnectMethod {
  OAUTH = 'OAUTH',
  CREDENTIALS = 'CREDENTIALS',
  URL = 'URL',
}
registerEnumType(ConnectMethod, { name: 'ConnectMethod', description: 'OAUTH (consent page), CREDENTIALS (user name and password), URL (ICS feed).' });

/** Why a provider cannot be connected (`Provider.unavailableReason`). */
export enum ProviderUnavailableReason {
  PREMIUM_FEATURE_NOT_ENABLED = 'PREMIUM_FEATURE_NOT_ENABLED',
  NOT_CONFIGURED = 'NOT_CONFIGURED',
}
registerEnumType(ProviderUnavailableReason, {
  name: 'ProviderUnavailableReason',
  description:
    "PREMIUM_FEATURE_NOT_ENABLED (the tenant lacks the externalCalendars feature), NOT_CONFIGURED (the provider's OAuth app is not configured on this gateway).",
});

/** A calendar provider and how to connect to it (Wix's listProviders). */
@ObjectType({ description: 'A calendar provider and how to connect to it.' })
export class Provider {
  @Field(() => ProviderKind)
  id!: ProviderKind;

  @Field(() => String)
  name!: string;

  @Field(() => [ConnectMethod])
  connectMethods!: ConnectMethod[];

  @Field(() => Boolean, {
    description: 'False when this gateway cannot connect to the provider: its OAuth app is not configured (GOOGLE_CLIENT_ID ...), or it is not supported yet.',
  })
  available!: boolean;

  @Field(() => ProviderUnavailableReason, { nullable: true, description: 'Why `available` is false; null when it is true.' })
  unavailableReason!: ProviderUnavailableReason | null;
}

const PROVIDERS: Omit<Provider, 'available' | 'unavailableReason'>[] = [
  { id: ProviderKind.GOOGLE, name: 'Google Calendar', connectMethods: [ConnectMethod.OAUTH] },
  { id: ProviderKind.MICROSOFT, name: 'Microsoft Outlook / 365', connectMethods: [ConnectMethod.OAUTH] },
  { id: ProviderKind.APPLE, name: 'Apple iCloud', connectMethods: [ConnectMethod.CREDENTIALS] },
  { id: ProviderKind.CALDAV, name: 'CalDAV', connectMethods: [ConnectMethod.CREDENTIALS] },
  { id: ProviderKind.ICS, name: 'ICS feed', connectMethods: [ConnectMethod.URL] },
];

/** `providers` (Wix's listProviders). */
@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => [Provider], {
    complexity: listCost(PROVIDERS.length),
    description:
      'The providers Calsync knows, how each connects and whether this tenant can connect to it: without the externalCalendars feature (the premium gate) none is available, with unavailableReason PREMIUM_FEATURE_NOT_ENABLED.',
  })
  providers(@Ctx() ctx: GraphQLContext): Provider[] {
    const premium = hasFeature(ctx.tenant, Feature.EXTERNAL_CALENDARS);
    return PROVIDERS.map((provider) => {
      const unavailableReason = !premium
        ? ProviderUnavailableReason.PREMIUM_FEATURE_NOT_ENABLED
        : ctx.deps.providers.isAvailable(provider.id)
          ? null
          : ProviderUnavailableReason.NOT_CONFIGURED;
      return { ...provider, available: unavailableReason === null, unavailableReason };
    });
  }
}
