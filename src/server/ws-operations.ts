import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { EdgeLimits } from './limits';

/** An operation as graphql-ws's `subscribe` message carries it. */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** What checking an operation found: its document, or the errors to answer with instead of running it. */
export type CheckedOperation = { document: DocumentNode; errors?: never } | { errors: readonly GraphQLError[] };

/** Characters of operation text (and variables) the cache holds at most, so that long texts cannot grow it without bound. */
const CACHE_CHARS = 4 * 1024 * 1024;

/** A request error as Apollo codes it over HTTP (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED). */
function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/**
 * Parses an operation with the edge's token limit, validates it with the edge's rules and holds it
 * to the depth, cost, aliases and directives limits, as over HTTP — once per distinct text,
 * operation name and variables: thousands of clients subscribing with the same operation would
 * otherwise each pay ~3 ms of parsing and validation. The outcome depends on nothing else (the
 * schema and the limits are fixed for the server's life), so it is kept in an LRU of at most
 * {@link CACHE_CHARS} characters. A document is shared by the executions that use it, which
 * graphql-js never modifies.
 */
export function operationChecker(schema: GraphQLSchema, limits: EdgeLimits): (request: OperationRequest) => CheckedOperation {
  const cache = new LRUCache<string, CheckedOperation>({ maxSize: CACHE_CHARS, sizeCalculation: (_value, key) => Math.max(1, key.length) });
  const check = (request: OperationRequest): CheckedOperation => {
    let document: DocumentNode;
    try {
      document = parse(request.query, limits.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [coded(error, 'GRAPHQL_PARSE_FAILED')] };
      throw error;
    }
    const invalid = validate(schema, document, limits.validationRules);
    if (invalid.length > 0) return { errors: invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED')) };
    try {
      limits.check(schema, document, request);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    return { document };
  };
  return (request) => {
    const key = JSON.stringify([request.query, request.operationName ?? null, request.variables ?? null]);
    let checked = cache.get(key);
    if (!checked) cache.set(key, (checked = check(request)));
    return checked;
  };
}
