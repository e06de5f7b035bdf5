import { Args, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import type { GraphQLContext } from '../shared/context';
import { reachesResource } from '../tenancy/key-scope';
import { ExternalCalendarStatusEvent, StatusFilterArgs, SyncStatusEvent } from './sync-status.types';
import { ConnectionTopic, type ExternalCalendarStatusChangedPayload } from '../connections/connection.topics';
import { SyncTopic, type SyncRunChangedPayload } from './sync.topics';
import { Feature, RequiresFeature } from '../tenancy/features';

type StatusPayload = SyncRunChangedPayload | ExternalCalendarStatusChangedPayload;

/**
 * The bus carries every tenant's notifications: a subscriber sees only those of the tenant its
 * connection authenticated as (and, with a resource key, of the key's resource), narrowed by
 * the optional ids.
 */
function forSubscriber({ payload, args, context }: SubscriptionHandlerData<StatusPayload, StatusFilterArgs, GraphQLContext>): boolean {
  return (
    payload.tenantId === context.tenant.id &&
    reachesResource(context.key, payload.resourceId) &&
    (args.resourceId == null || payload.resourceId === args.resourceId) &&
    (args.externalCalendarId == null || payload.externalCalendarId === args.externalCalendarId)
  );
}

/** Live sync status over graphql-ws (src/server/app.ts). The `_filter` args are declared here and read by {@link forSubscriber}. */
@Resolver()
export class SyncStatusResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Subscription(() => SyncStatusEvent, {
    topics: SyncTopic.SYNC_RUN_CHANGED,
    filter: forSubscriber,
    description: "Every status transition, calendar started and page committed of the tenant's sync runs, optionally of one resource or one connection.",
  })
  syncStatusChanged(@Root() payload: SyncRunChangedPayload, @Args(() => StatusFilterArgs) _filter: StatusFilterArgs): SyncStatusEvent {
    return SyncStatusEvent.fromPayload(payload);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Subscription(() => ExternalCalendarStatusEvent, {
    topics: ConnectionTopic.EXTERNAL_CALENDAR_STATUS_CHANGED,
    filter: forSubscriber,
    description: "Status changes of the tenant's connections (CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED), optionally of one resource or one connection.",
  })
  externalCalendarStatusChanged(
    @Root() payload: ExternalCalendarStatusChangedPayload,
    @Args(() => StatusFilterArgs) _filter: StatusFilterArgs,
  ): ExternalCalendarStatusEvent {
    return ExternalCalendarStatusEvent.fromPayload(payload);
  }
}
