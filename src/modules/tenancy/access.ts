import type { GraphQLResolveInfo } from 'graphql';
import { Authorized, type AuthChecker } from 'type-graphql';

/**
 * What an operation requires of its caller, declared on its resolver method (with
 * `RequiresFeature` or `TenantKeyOnly`) and checked by {@link accessChecker} before the resolver
 * runs: on `resolve` and, for a subscription, on `subscribe`, so a subscription is refused when it
 * starts, over graphql-ws as over HTTP.
 */
export interface AccessRule {
  /** Throws the refusal (an AppError) when the caller may not run the operation; `args` are the raw GraphQL arguments. */
  check(context: unknown, args: Record<string, unknown>, info: GraphQLResolveInfo): void;
}

const declared = new WeakMap<object, Set<string | symbol>>();

/**
 * Declares the rule of a resolver method through type-graphql's `@Authorized`. type-graphql keeps
 * one `@Authorized` per field, so a second declaration on the same method is refused when the
 * class loads rather than silently dropped.
 */
export function declareAccess(rule: AccessRule): MethodDecorator {
  const authorized = Authorized<AccessRule>(rule);
  return (prototype, methodName, descriptor) => {
    const methods = declared.get(prototype) ?? new Set();
    if (methods.has(methodName)) throw new Error(`${prototype.constructor.name}.${String(methodName)} declares its access twice; give it one rule`);
    declared.set(prototype, methods.add(methodName));
    authorized(prototype, methodName, descriptor);
  };
}

/** The `authChecker` of the schema (src/server/schema.ts): runs the rules of the operation, which throw their own errors. */
export const accessChecker: AuthChecker<object, AccessRule> = ({ context, args, info }, rules) => {
  for (const rule of rules) rule.check(context, args, info);
  return true;
};
