import type { ComplexityEstimator, ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size';

/**
 * What a field of the schema costs, declared where the field is (type-graphql's `complexity`
 * option, read by the cost limit of src/server/limits.ts through graphql-query-complexity's
 * `fieldExtensionsEstimator`).
 *
 * The cost of an operation is the number of objects it would return if every list held its
 * declared size: an object field costs 1 plus what it selects, a scalar costs nothing, and a list
 * costs its size times (1 + what each item selects). Lists are what multiply the work of an
 * operation (graphql-armor's cost-limit has no multipliers, so a query nesting lists nine deep
 * looked cheap); every list of objects in the schema declares its size with one of these.
 * @see https://github.com/slicknode/graphql-query-complexity/blob/master/src/estimators/fieldExtensions/README.md
 */

/** Marks an estimator whose list holds stored rows a tenant can add to without bound. */
const STORED = Symbol('stored list');

type CostEstimator = ComplexityEstimator & { [STORED]?: true };

/**
 * A list whose length the gateway bounds (fixed sets, validated input, computed results): the
 * estimate assumes `size` items, a typical length rather than the extreme.
 */
export function listCost(size: number): ComplexityEstimator {
  return ({ childComplexity }: ComplexityEstimatorArgs) => size * (1 + childComplexity);
}

/**
 * A list of stored rows that grows with what a tenant stores (a resource's connections, a
 * connection's calendars): the estimate assumes `size` items, and since nothing stops a tenant
 * from storing more, every item such a list really returns is also counted while the operation
 * runs, against the same budget (src/server/fan-out-budget.ts).
 */
export function storedListCost(size: number): ComplexityEstimator {
  const estimator: CostEstimator = ({ childComplexity }: ComplexityEstimatorArgs) => size * (1 + childComplexity);
  estimator[STORED] = true;
  return estimator;
}

/** The value at a dotted path of a field's arguments (`input.items`), as a count of items: an array's length, else 1. */
function argumentLength(args: Record<string, unknown>, path: string, max: number): number {
  let value: unknown = args;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return Math.min(Array.isArray(value) ? value.length : 1, max);
}

/** A list with one item per element of the list argument at `path` (freeBusy's `resourceIds`), at most `max`. */
export function argumentListCost(path: string, max: number): ComplexityEstimator {
  return ({ args, childComplexity }: ComplexityEstimatorArgs) => argumentLength(args, path, max) * (1 + childComplexity);
}

/**
 * An object whose lists hold one item per element of the list argument at `path` (a bulk
 * mutation's payload with one result per `input.items` element, at most `max`): what it selects
 * is multiplied by that count, and those lists are declared {@link COUNTED_BY_PARENT}.
 */
export function perArgumentItemCost(path: string, max: number): ComplexityEstimator {
  return ({ args, childComplexity }: ComplexityEstimatorArgs) => 1 + argumentLength(args, path, max) * childComplexity;
}

/**
 * A Relay connection: `first` edges (default 20, at most 100; a larger `first` is refused by the
 * resolver, so it never costs more than 100 pages' worth). What the connection selects is
 * multiplied by the page size; its `pageInfo` costs nothing ({@link FREE}).
 */
export const PAGE_COST: ComplexityEstimator = ({ args, childComplexity }: ComplexityEstimatorArgs) => {
  const first = typeof args.first === 'number' && Number.isFinite(args.first) ? Math.trunc(args.first) : DEFAULT_PAGE_SIZE;
  return 1 + Math.min(Math.max(first, 1), MAX_PAGE_SIZE) * childComplexity;
};

/**
 * A list whose length the field above it already multiplied by: a connection's `edges`
 * ({@link PAGE_COST}), a bulk payload's `results` ({@link perArgumentItemCost}). Each item is one object.
 */
export const COUNTED_BY_PARENT: ComplexityEstimator = ({ childComplexity }: ComplexityEstimatorArgs) => 1 + childComplexity;

/** An object built in memory alongside its parent, such as a connection's pageInfo: not counted. */
export const FREE: ComplexityEstimator = () => 0;

/** Whether `estimator` was declared with {@link storedListCost}. */
export function isStoredList(estimator: unknown): boolean {
  return typeof estimator === 'function' && (estimator as CostEstimator)[STORED] === true;
}
