import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../shared/context';
import { ConnectionType } from '../shared/pagination';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { Feature, hasFeature } from '../tenancy/features';
import { TenantKeyOnly } from '../tenancy/key-scope';
import { Resource } from './resource.entity';
import { CreateResourceInput, UpdateResourceInput } from './resource.inputs';
import { ResourceService } from './resource.service';
import { PAGE_COST, storedListCost } from '../../common/query-cost';

export const ResourceConnection = ConnectionType(Resource, 'Resource');

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => Resource, { nullable: true, description: "One resource of the caller's tenant; null when there is none with this id." })
  async resource(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Resource | null> {
    return isId(id) ? ctx.loaders.byId(Resource).load(id) : null;
  }

  @Query(() => ResourceConnection, { complexity: PAGE_COST, description: 'Resources in creation order (Relay connection, up to 100 a page).' })
  resources(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return new ResourceService(ctx.em).list(first, after);
  }

  @TenantKeyOnly()
  @Mutation(() => Resource, { description: 'Creates a resource. BAD_USER_INPUT names the first bad field (time zone, working hours, buffers).' })
  createResource(@Arg('input', () => CreateResourceInput) input: CreateResourceInput, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return new ResourceService(ctx.em).create(ctx.tenant, input);
  }

  @Mutation(() => Resource, { description: 'Updates a resource; omitted fields are kept. NOT_FOUND for an unknown id.' })
  updateResource(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateResourceInput) input: UpdateResourceInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Resource> {
    return new ResourceService(ctx.em).update(id, input);
  }

  @TenantKeyOnly()
  @Mutation(() => Boolean, { description: 'Deletes a resource with its connections and cached events. NOT_FOUND for an unknown id.' })
  deleteResource(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return new ResourceService(ctx.em).delete(id);
  }

  @FieldResolver(() => [ExternalCalendar], {
    complexity: storedListCost(10),
    description: 'Connections of this resource to provider accounts; empty for a tenant without the externalCalendars feature (the premium gate).',
  })
  externalCalendars(@Root() resource: Resource, @Ctx() ctx: GraphQLContext): Promise<ExternalCalendar[]> {
    // Behind the premium gate like the top-level operations, but as an empty list: the resource itself stays readable.
    if (!hasFeature(ctx.tenant, Feature.EXTERNAL_CALENDARS)) return Promise.resolve([]);
    return ctx.loaders.manyBy(ExternalCalendar, 'resource').load(resource.id);
  }
}
