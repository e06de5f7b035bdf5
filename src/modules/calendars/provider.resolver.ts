import { Ctx, Field, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { GraphQLContext } from '../../server/context';
import { ProviderKind } from '../../providers/provider';

/** How an account of a provider is connected. */
export enum ConnectMethod {
  OAUTH = 'OAUTH',
  CREDENTIALS = 'CREDENTIALS',
  URL = 'URL',
}
registerEnumType(ConnectMethod, { name: 'ConnectMethod', description: 'OAUTH (consent page), CREDENTIALS (user name and password), URL (ICS feed).' });

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
}

const PROVIDERS: Omit<Provider, 'available'>[] = [
  { id: ProviderKind.GOOGLE, name: 'Google Calendar', connectMethods: [ConnectMethod.OAUTH] },
  { id: ProviderKind.MICROSOFT, name: 'Microsoft Outlook / 365', connectMethods: [ConnectMethod.OAUTH] },
  { id: ProviderKind.APPLE, name: 'Apple iCloud', connectMethods: [ConnectMethod.CREDENTIALS] },
  { id: ProviderKind.CALDAV, name: 'CalDAV', connectMethods: [ConnectMethod.CREDENTIALS] },
  { id: ProviderKind.ICS, name: 'ICS feed', connectMethods: [ConnectMethod.URL] },
];

@Resolver(() => Provider)
export class ProviderResolver {
  @Query(() => [Provider], { description: 'The providers Calsync knows, how each connects and whether this gateway can connect to it.' })
  providers(@Ctx() ctx: GraphQLContext): Provider[] {
    return PROVIDERS.map((provider) => ({ ...provider, available: ctx.deps.providers.isAvailable(provider.id) }));
  }
}
