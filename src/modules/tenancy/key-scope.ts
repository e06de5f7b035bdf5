import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { forbidden } from '../../common/errors';
import { declareAccess } from './access';

/**
 * What the API key of a request may reach. `resourceId` null: the whole tenant (a tenant key);
 * otherwise that one resource (a resource key). `readOnly`: no mutation at all.
 */
export interface KeyScope {
  /** The key's id; null for callers that are not an API key (system code, tests). */
  apiKeyId: string | null;
  resourceId: string | null;
  readOnly: boolean;
}

/** The scope of system code: the whole tenant, read-write. */
export const FULL_ACCESS: KeyScope = Object.freeze({ apiKeyId: null, resourceId: null, readOnly: false });

/**
 * Refuses operations this key may not run.
 * @throws AppError FORBIDDEN for a mutation with a read-only key.
 */
export function assertMayMutate(scope: KeyScope, mutation: string): void {
  if (scope.readOnly) throw forbidden(`This API key is read-only: ${mutation} is not allowed`);
}

/**
 * Declares an operation that acts on the tenant as a whole (FORBIDDEN to resource keys): a staff
 * token neither adds nor removes resources (deleting its own would also delete its keys) nor
 * manages keys or webhook endpoints. On a query it refuses resource keys and lets read-only
 * tenant keys read. Checked after the read-only guard of {@link guardMutations}; a context without a
 * key is system code with full access.
 */
export function TenantKeyOnly(): MethodDecorator {
  return declareAccess({
    check: (context, _args, info) => {
      const scope = (context as { key?: KeyScope } | undefined)?.key ?? FULL_ACCESS;
      if (scope.resourceId) throw forbidden(`${info.fieldName} needs a tenant API key; this key is limited to one resource`);
    },
  });
}

/**
 * Requires a tenant key that is not read-only (key management).
 * @throws AppError FORBIDDEN otherwise.
 */
export function assertTenantAdmin(scope: KeyScope, operation: string): void {
  if (scope.readOnly || scope.resourceId) throw forbidden(`${operation} needs a tenant API key that is not read-only`);
}

/**
 * Puts {@link assertMayMutate} in front of every mutation of the schema, so that no resolver needs
 * its own check: a read-only key is refused before anything runs. Reads `context.key` (the
 * request's {@link KeyScope}); a context without one is system code with full access.
 * Registered once where the schema is built (src/server/schema.ts); returns the same schema.
 */
export function guardMutations(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: { key?: KeyScope } | undefined, info) => {
      assertMayMutate(context?.key ?? FULL_ACCESS, info.fieldName);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

/**
 * Whether a key reaches this resource: a tenant key reaches all of its tenant's, a resource key
 * only its own. For live events, which the ORM filters do not see (subscription filters).
 */
export function reachesResource(scope: KeyScope, resourceId: string): boolean {
  return scope.resourceId == null || scope.resourceId === resourceId;
}
