import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../shared/context';
import { ConnectionType } from '../shared/pagination';
import { TenantKeyOnly } from '../tenancy/key-scope';
import { Resource } from './resource.entity';
import { CreateResourceInput, UpdateResourceInput } from './resource.inputs';
import { ResourceService } from './resource.service';
import { PAGE_COST } from '../../common/query-cost';

export const ResourceConnection = ConnectionType(Resource, 'Resource');

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => Resource, { nullable: true, description: "One resource of the caller's tenant; null when there is none with this id." })
  async resource(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Resource | null> {
    return isId(id) ? ctx.loaders.byId(Resource).load(id) : null;
  }

  @Query(() => ResourceConnection, { complexity: PAGE_COST, description: 'Resources in creation order (Relay connection, up to 100 a page).' })
  async resources(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const page = await new ResourceService(ctx.em).list(first, after);
    ctx.loaders.remember(
      Resource,
      page.edges.map((edge) => edge.node),
    );
    return page;
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
}
