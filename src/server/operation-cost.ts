import { getNamedType, getNullableType, isCompositeType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** What the cost of an operation depends on besides its document: `first: $n` takes its value from the variables. */
export interface CostedRequest {
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** Selections evaluated at most: fragments spread inside fragments are counted once per spread, which could explode. */
const MAX_EVALUATED_SELECTIONS = 10_000;

/** Items assumed for a list of objects that declares no size (a list of plain records, such as SyncRun.skipReasons). */
export const UNDECLARED_LIST_SIZE = 10;

/** Introspection (`__schema`, `__type`, `__typename`) costs nothing, as it did with graphql-armor's `ignoreIntrospection`. */
const introspectionIsFree: ComplexityEstimator = ({ field }) => (field.name.startsWith('__') ? 0 : undefined);

/** A field without a declaration: an object costs 1 plus what it selects, a scalar nothing; an undeclared list counts {@link UNDECLARED_LIST_SIZE} items. */
const objectsCountOne: ComplexityEstimator = ({ field, childComplexity }) => {
  if (!isCompositeType(getNamedType(field.type))) return 0;
  return (isListType(getNullableType(field.type)) ? UNDECLARED_LIST_SIZE : 1) * (1 + childComplexity);
};

const estimators = [introspectionIsFree, fieldExtensionsEstimator(), objectsCountOne];

/**
 * The cost of the operation of `document` that `request` names: the number of objects it would
 * return if every list held its declared size (src/common/query-cost.ts), with graphql-query-
 * complexity's walk (fragments, `@skip`/`@include` with the request's variables, the costliest
 * member of a union). `Infinity` when there are too many selections to count; null when the cost
 * cannot be told because the request is invalid (variables of the wrong type, an unknown
 * operation name), which validation or execution refuses anyway before any resolver runs.
 * @see https://github.com/slicknode/graphql-query-complexity
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, request: CostedRequest = {}): number | null {
  const named = request.operationName ?? undefined;
  // graphql-query-complexity reads `operation.name.value` when a name is asked: only ask for one that exists.
  if (named !== undefined && !document.definitions.some((definition) => definition.kind === 'OperationDefinition' && definition.name?.value === named))
    return null;
  try {
    return getComplexity({
      schema,
      query: document,
      variables: request.variables ?? {},
      operationName: named,
      estimators,
      maxQueryNodes: MAX_EVALUATED_SELECTIONS,
    });
  } catch (error) {
    if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) return Infinity;
    return null;
  }
}
