import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../shared/context';
import { Resource } from '../resources/resource.entity';
import { ConnectByCredentialsInput, ConnectExternalCalendarInput, SelectCalendarsInput, SyncConfigInput, UpdateCredentialsInput } from './connection.inputs';
import { ConnectionService } from './connection.service';
import { ConnectExternalCalendarPayload } from './connect-external-calendar.payload';
import { OAuthService } from './oauth.service';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';
import { ProviderCalendar } from './provider-calendar.entity';
import { SyncConfig } from './sync-config.entity';
import { storedListCost } from '../../common/query-cost';
import { Feature, RequiresFeature } from '../tenancy/features';
import type { ReadRow } from '../shared/read-rows';

function service(ctx: GraphQLContext): ConnectionService {
  return new ConnectionService(ctx.em, ctx.deps);
}

@Resolver(() => ExternalCalendar)
export class ExternalCalendarResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => ExternalCalendar, { nullable: true, description: 'One connection; null when the tenant has none with this id.' })
  async externalCalendar(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar | null> {
    return isId(id) ? ctx.loaders.byId(ExternalCalendar).load(id) : null;
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => [ExternalCalendar], {
    complexity: storedListCost(10),
    description: 'Connections of a resource, oldest first. NOT_FOUND for an unknown resource.',
  })
  externalCalendars(
    @Arg('resourceId', () => ID) resourceId: string,
    @Arg('status', () => ExternalCalendarStatus, { nullable: true }) status: ExternalCalendarStatus | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ExternalCalendar[]> {
    return service(ctx).list(resourceId, status);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ConnectExternalCalendarPayload, {
    description:
      'Starts connecting a Google or Microsoft account: creates a PENDING connection and returns the consent page (authorization code flow with PKCE, offline access). ' +
      'After consent, GET /oauth/callback marks it CONNECTED. FAILED_PRECONDITION when the provider is not configured on this gateway.',
  })
  connectExternalCalendar(
    @Arg('input', () => ConnectExternalCalendarInput) input: ConnectExternalCalendarInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectExternalCalendarPayload> {
    return new OAuthService(ctx.em, ctx.deps).connect(ctx.tenant, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ConnectExternalCalendarPayload, {
    description: 'A new consent page for a PENDING or REAUTH_REQUIRED connection (earlier ones stop working); FAILED_PRECONDITION for other statuses.',
  })
  regenerateAuthUrl(
    @Arg('externalCalendarId', () => ID) externalCalendarId: string,
    @Arg('redirectUrl', () => String, { nullable: true, description: 'Replaces the redirectUrl given at connect time.' }) redirectUrl: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectExternalCalendarPayload> {
    return new OAuthService(ctx.em, ctx.deps).regenerateAuthUrl(externalCalendarId, redirectUrl);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      'Connects a CalDAV or Apple iCloud account by user name and password, verified by a CalDAV login before anything is stored. ' +
      'Errors: PROVIDER_AUTH_REQUIRED (credentials refused), PROVIDER_UNAVAILABLE (server unreachable), BAD_USER_INPUT (no CalDAV service at serverUrl).',
  })
  connectExternalCalendarByCredentials(
    @Arg('input', () => ConnectByCredentialsInput) input: ConnectByCredentialsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ExternalCalendar> {
    return service(ctx).connectByCredentials(ctx.tenant, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      'Replaces the user name and password of a CALDAV or APPLE connection in place, after a real login with them: the connection becomes CONNECTED, its calendars are listed again ' +
      '(selection kept) and exports that failed are queued again. Nothing changes when the login fails. ' +
      'Errors: PROVIDER_AUTH_REQUIRED (refused), PROVIDER_UNAVAILABLE, BAD_USER_INPUT (an OAuth connection: use regenerateAuthUrl; an empty password), FAILED_PRECONDITION (disconnected).',
  })
  updateExternalCalendarCredentials(
    @Arg('input', () => UpdateCredentialsInput) input: UpdateCredentialsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ExternalCalendar> {
    return service(ctx).updateCredentials(input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      'Lists the calendars of a connection at the provider again (any provider): new ones appear unselected, known ones keep their selection, ' +
      'vanished ones are kept with removedAt set and stop syncing. The daily full sync does the same. ' +
      'Errors: PROVIDER_AUTH_REQUIRED, PROVIDER_UNAVAILABLE, PROVIDER_ERROR, FAILED_PRECONDITION (disconnected or waiting for consent).',
  })
  refreshCalendars(@Arg('externalCalendarId', () => ID) externalCalendarId: string, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return service(ctx).refreshCalendars(externalCalendarId);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, {
    description:
      "Chooses the read calendars of a connection and the resource's single write calendar (BAD_USER_INPUT naming input.writeCalendarId when the account may not write to it or it was removed at the provider).",
  })
  selectCalendars(@Arg('input', () => SelectCalendarsInput) input: SelectCalendarsInput, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return service(ctx).selectCalendars(input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => SyncConfig, { description: 'Changes the sync settings of a connection.' })
  updateSyncConfig(
    @Arg('externalCalendarId', () => ID) externalCalendarId: string,
    @Arg('input', () => SyncConfigInput) input: SyncConfigInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SyncConfig> {
    return service(ctx).updateSyncConfig(externalCalendarId, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => ExternalCalendar, { description: 'Forgets the credentials, removes the cached events and marks the connection DISCONNECTED.' })
  disconnectExternalCalendar(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar> {
    return service(ctx).disconnect(id);
  }

  @FieldResolver(() => Resource)
  async resource(@Root() connection: ReadRow<ExternalCalendar>, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(connection.resource.id))!;
  }

  @FieldResolver(() => [ProviderCalendar], { complexity: storedListCost(5), description: 'Calendars found in the account.' })
  providerCalendars(@Root() connection: ReadRow<ExternalCalendar>, @Ctx() ctx: GraphQLContext): Promise<ProviderCalendar[]> {
    return ctx.loaders.manyBy(ProviderCalendar, 'externalCalendar').load(connection.id);
  }

  @FieldResolver(() => SyncConfig)
  async syncConfig(@Root() connection: ReadRow<ExternalCalendar>, @Ctx() ctx: GraphQLContext): Promise<SyncConfig> {
    return (await ctx.loaders.manyBy(SyncConfig, 'externalCalendar').load(connection.id))[0]!;
  }
}

@Resolver(() => ProviderCalendar)
export class ProviderCalendarResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => [ProviderCalendar], {
    complexity: storedListCost(5),
    description: 'Calendars found in a connected account, primary first. NOT_FOUND for an unknown connection.',
  })
  providerCalendars(@Arg('externalCalendarId', () => ID) externalCalendarId: string, @Ctx() ctx: GraphQLContext): Promise<ProviderCalendar[]> {
    return service(ctx).providerCalendars(externalCalendarId);
  }
}
