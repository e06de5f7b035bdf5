import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../../server/context';
import { ExternalCalendar } from '../calendars/external-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { IngestExternalEventsInput } from './ingest.inputs';
import { SyncService } from './sync.service';
import { SyncRun } from './sync-run.entity';

@Resolver(() => SyncRun)
export class SyncRunResolver {
  @Query(() => SyncRun, { nullable: true, description: 'One sync run with its status and counters; null when the tenant has none with this id.' })
  async syncRun(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<SyncRun | null> {
    return isId(id) ? ctx.em.findOne(SyncRun, { id }) : null;
  }

  @Mutation(() => SyncRun, {
    description:
      "Ingests the events of a resource's connections (or of one connection) over a window of at most 366 days and returns the run. " +
      'A provider failure ends the run FAILED with `error`; FAILED_PRECONDITION when nothing can be ingested.',
  })
  ingestExternalEvents(@Arg('input', () => IngestExternalEventsInput) input: IngestExternalEventsInput, @Ctx() ctx: GraphQLContext): Promise<SyncRun> {
    return new SyncService(ctx.em, ctx.deps).ingest(ctx.tenant, input);
  }

  @Mutation(() => SyncRun, {
    description:
      "Syncs one connection over its sync window (SyncConfig days back/ahead): incrementally from the stored cursors (Google syncToken, Graph deltaLink, CalDAV sync-token or object ETags), or in full. " +
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
    return (await ctx.loaders.resource.load(run.resource.id))!;
  }

  @FieldResolver(() => ExternalCalendar, { nullable: true, description: 'The connection synced; null when the run covered every connection of the resource.' })
  async externalCalendar(@Root() run: SyncRun, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar | null> {
    return run.externalCalendar ? ctx.loaders.externalCalendar.load(run.externalCalendar.id) : null;
  }
}
