import { getMetadataStorage } from 'type-graphql';
import { AppError, ErrorCode } from '../../common/errors';
import { declareAccess } from './access';
import type { Tenant } from './tenant.entity';

/** The feature flags a tenant can have (`tenant.features`). */
export enum Feature {
  /** External calendars: connections, their calendars, syncs, imported events (Wix's premium gate). */
  EXTERNAL_CALENDARS = 'externalCalendars',
}

/** Every known feature, for validating the CLI's arguments. */
export const ALL_FEATURES: readonly Feature[] = Object.values(Feature);

/** What a new tenant gets (and, by migration, every existing one): self-hosted, so everything is on. */
export const DEFAULT_FEATURES: readonly Feature[] = [Feature.EXTERNAL_CALENDARS];

/** One gated root field: the operation type, the field name and, optionally, a test of its arguments. */
export interface GatedOperation {
  readonly type: 'Query' | 'Mutation' | 'Subscription';
  readonly field: string;
  readonly feature: Feature;
  /** When given, the gate applies only to calls whose arguments pass it (e.g. `availability(input: {syncExternal: true})`). */
  readonly when?: (args: Record<string, unknown>) => boolean;
}

const gated: GatedOperation[] = [];

/**
 * The root fields behind a feature, as their resolvers declare them with {@link RequiresFeature};
 * filled as the resolver classes load. The premium-gate test runs a call of every entry.
 */
export const GATED_OPERATIONS: readonly GatedOperation[] = gated;

/** The root field a resolver method serves, from type-graphql's metadata. */
function rootFieldOf(resolver: object, methodName: string): Pick<GatedOperation, 'type' | 'field'> {
  const storage = getMetadataStorage();
  const roots = [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
    ['Subscription', storage.subscriptions],
  ] as const;
  for (const [type, handlers] of roots) {
    const handler = handlers.find((h) => h.target === resolver && h.methodName === methodName);
    if (handler) return { type, field: handler.schemaName };
  }
  throw new Error(`${(resolver as { name?: string }).name}.${methodName} requires a feature but is no Query, Mutation or Subscription`);
}

/**
 * Puts the operation behind `feature`: a tenant without it gets PREMIUM_FEATURE_NOT_ENABLED before
 * the resolver runs (for a subscription, when it starts). With `when`, only calls whose raw
 * arguments pass it are gated.
 */
export function RequiresFeature(feature: Feature, when?: GatedOperation['when']): MethodDecorator {
  return (prototype, methodName, descriptor) => {
    const resolver = prototype.constructor;
    const name = String(methodName);
    // Read lazily: the decorator may stand above or below @Query/@Mutation/@Subscription.
    gated.push({
      get type() {
        return rootFieldOf(resolver, name).type;
      },
      get field() {
        return rootFieldOf(resolver, name).field;
      },
      feature,
      when,
    });
    declareAccess({
      check: (context, args, info) => {
        if (!when || when(args)) assertFeature(context, feature, `${info.parentType.name}.${info.fieldName}`);
      },
    })(prototype, methodName, descriptor);
  };
}

/** Whether the tenant has the feature. */
export function hasFeature(tenant: Pick<Tenant, 'features'>, feature: Feature): boolean {
  return Array.isArray(tenant.features) && tenant.features.includes(feature);
}

/** The error of a call to a gated operation by a tenant without its feature. */
export function premiumFeatureError(feature: Feature, operation: string): AppError {
  return new AppError(
    ErrorCode.PREMIUM_FEATURE_NOT_ENABLED,
    `'${operation}' needs the '${feature}' feature, which is not enabled for this tenant (npm run cli -- tenant features <tenantId> --enable ${feature})`,
  );
}

/** Throws PREMIUM_FEATURE_NOT_ENABLED unless the tenant of `context` has the feature. */
function assertFeature(context: unknown, feature: Feature, operation: string): void {
  const tenant = (context as { tenant?: Pick<Tenant, 'features'> } | undefined)?.tenant;
  if (!tenant || !hasFeature(tenant, feature)) throw premiumFeatureError(feature, operation);
}
