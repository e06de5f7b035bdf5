import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PAGE_COST } from '../../common/query-cost';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../shared/context';
import { ConnectionType } from '../shared/pagination';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { IngestExternalEventsInput } from './ingest.inputs';
import { SyncService } from './sync.service';
import { lastSyncRunLoader } from './last-sync-run.loader';
import { SyncRun } from './sync-run.entity';
import { SyncRunFilter } from './sync-run.inputs';
import { listSyncRuns } from './sync-run-list';
import { Feature, RequiresFeature } from '../tenancy/features';
import type { ReadRow } from '../shared/read-rows';

export const SyncRunConnection = ConnectionType(SyncRun, 'SyncRun');

@Resolver(() => SyncRun)
export class SyncRunResolver {
  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => SyncRun, { nullable: true, description: 'One sync run with its status and counters; null when the tenant has none with this id.' })
  async syncRun(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<SyncRun | null> {
    return isId(id) ? ctx.em.findOne(SyncRun, { id }) : null;
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Query(() => SyncRunConnection, {
    complexity: PAGE_COST,
    description:
      'Sync runs of the tenant, newest first by the time they were requested (Relay connection, up to 100 a page). ' +
      'BAD_USER_INPUT naming `filter.to` when it is not after `filter.from`, or `first` / `after`.',
  })
  syncRuns(
    @Arg('filter', () => SyncRunFilter, { defaultValue: {}, description: 'Which runs; by default all.' }) filter: SyncRunFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return listSyncRuns(ctx.em, filter, first, after);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => SyncRun, {
    description:
      "Ingests the events of a resource's connections (or of one connection) over a window of at most 366 days and returns the run. " +
      'A provider failure ends the run FAILED with `error`; FAILED_PRECONDITION when nothing can be ingested.',
  })
  ingestExternalEvents(@Arg('input', () => IngestExternalEventsInput) input: IngestExternalEventsInput, @Ctx() ctx: GraphQLContext): Promise<SyncRun> {
    return new SyncService(ctx.em, ctx.deps).ingest(ctx.tenant, input);
  }

  @RequiresFeature(Feature.EXTERNAL_CALENDARS)
  @Mutation(() => SyncRun, {
    description:
      'Syncs one connection over its sync window (SyncConfig days back/ahead): incrementally from the stored cursors (Google syncToken, Graph deltaLink, CalDAV sync-token or object ETags), or in full. ' +
      'An expired cursor falls back to a full sync of the window. FAILED_PRECONDITION for a disconnected or pending connection.',
  })
  syncExternalCalendar(
    @Arg('externalCalendarId', () => ID) externalCalendarId: string,
    @Arg('full', () => Boolean, { defaultValue: false, description: 'Fetch the whole window instead of the changes.' }) full: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SyncRun> {
    return new SyncService(ctx.em, ctx.deps).sync(ctx.tenant, externalCalendarId, full);
  }

  @FieldResolver(() => Resource)
  async resource(@Root() run: SyncRun, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(run.resource.id))!;
  }

  @FieldResolver(() => ExternalCalendar, { nullable: true, description: 'The connection synced; null when the run covered every connection of the resource.' })
  async externalCalendar(@Root() run: SyncRun, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar | null> {
    return run.externalCalendar ? ctx.loaders.byId(ExternalCalendar).load(run.externalCalendar.id) : null;
  }
}

/** The sync side of a connection: kept here, so that the connections module does not depend on sync. */
@Resolver(() => ExternalCalendar)
export class ExternalCalendarSyncRunResolver {
  @FieldResolver(() => SyncRun, {
    nullable: true,
    description:
      'The newest sync run of this connection (requested for it alone; resource-wide ingests are in `syncRuns(filter: {resourceId})`); null before the first.',
  })
  lastSyncRun(@Root() connection: ReadRow<ExternalCalendar>, @Ctx() ctx: GraphQLContext): Promise<SyncRun | null> {
    return ctx.loaders.own('lastSyncRun', lastSyncRunLoader).load(connection.id);
  }
}
