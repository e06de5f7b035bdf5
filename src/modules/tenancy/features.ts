import { defaultFieldResolver, type GraphQLField, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { AppError, ErrorCode } from '../../common/errors';
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
  type: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  feature: Feature;
  /** When given, the gate applies only to calls whose arguments pass it (e.g. `availability(input: {syncExternal: true})`). */
  when?: (args: Record<string, unknown>) => boolean;
}

const gate = (type: GatedOperation['type'], field: string, when?: GatedOperation['when']): GatedOperation => ({ type, field, feature: Feature.EXTERNAL_CALENDARS, when });

/**
 * The one list of root fields behind the `externalCalendars` feature. A field named here that the
 * schema does not have (yet) is skipped by {@link applyFeatureGate}; the premium-gate test runs a
 * call of every entry that the schema has.
 */
export const GATED_OPERATIONS: readonly GatedOperation[] = [
  gate('Mutation', 'connectExternalCalendar'),
  gate('Mutation', 'connectExternalCalendarByCredentials'),
  gate('Mutation', 'connectIcsFeed'),
  gate('Mutation', 'regenerateAuthUrl'),
  gate('Mutation', 'updateExternalCalendarCredentials'),
  gate('Mutation', 'refreshCalendars'),
  gate('Query', 'externalCalendar'),
  gate('Query', 'externalCalendars'),
  gate('Query', 'providerCalendars'),
  gate('Mutation', 'selectCalendars'),
  gate('Mutation', 'updateSyncConfig'),
  gate('Mutation', 'ingestExternalEvents'),
  gate('Mutation', 'syncExternalCalendar'),
  gate('Query', 'syncRun'),
  gate('Query', 'syncRuns'),
  gate('Mutation', 'disconnectExternalCalendar'),
  gate('Query', 'externalEvents'),
  gate('Mutation', 'bulkUpsertExternalEvents'),
  gate('Mutation', 'bulkDeactivateExternalEvents'),
  gate('Subscription', 'syncStatusChanged'),
  gate('Subscription', 'externalCalendarStatusChanged'),
  gate('Query', 'availability', (args) => (args.input as { syncExternal?: unknown } | undefined)?.syncExternal === true),
];

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

function guarded<TSource, TArgs extends Record<string, unknown>>(
  resolver: GraphQLFieldResolver<TSource, unknown, TArgs>,
  operation: GatedOperation,
): GraphQLFieldResolver<TSource, unknown, TArgs> {
  return (source, args, context, info) => {
    if (!operation.when || operation.when(args)) assertFeature(context, operation.feature, `${operation.type}.${operation.field}`);
    return resolver(source, args, context, info);
  };
}

function rootType(schema: GraphQLSchema, type: GatedOperation['type']): GraphQLObjectType | null | undefined {
  if (type === 'Query') return schema.getQueryType();
  if (type === 'Mutation') return schema.getMutationType();
  return schema.getSubscriptionType();
}

/**
 * Puts the gate in front of every operation of {@link GATED_OPERATIONS} that the schema has: its
 * `resolve` and, for a subscription, its `subscribe` (so a subscription is refused when it starts,
 * over graphql-ws as over HTTP) first check the caller's tenant (`context.tenant.features`).
 * Registered once where the schema is built (src/server/schema.ts); returns the same schema.
 */
export function applyFeatureGate(schema: GraphQLSchema): GraphQLSchema {
  for (const operation of GATED_OPERATIONS) {
    const field = rootType(schema, operation.type)?.getFields()[operation.field] as GraphQLField<unknown, unknown, Record<string, unknown>> | undefined;
    if (!field) continue;
    field.resolve = guarded(field.resolve ?? defaultFieldResolver, operation);
    if (field.subscribe) field.subscribe = guarded(field.subscribe, operation);
  }
  return schema;
}
