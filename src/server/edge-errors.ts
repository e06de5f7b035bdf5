import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../common/errors';

/** Which protection of the edge refused a request (`extensions.limit`). */
export type EdgeLimit = 'depth' | 'cost' | 'aliases' | 'directives' | 'batch';

/**
 * A request refused at the edge, before any resolver ran: a query over one of the limits
 * (BAD_USER_INPUT with `extensions.limit`, HTTP 400) or a key over its rate (RATE_LIMITED with
 * `extensions.retryAfter` in seconds, HTTP 429 with a `Retry-After` header). Only the fields
 * listed here reach the client.
 */
export class EdgeError extends GraphQLError {
  constructor(
    message: string,
    readonly code: ErrorCode.BAD_USER_INPUT | ErrorCode.RATE_LIMITED | ErrorCode.SERVICE_UNAVAILABLE,
    readonly details: { limit?: EdgeLimit; retryAfter?: number },
    http?: { status: number; headers?: Map<string, string> },
  ) {
    super(message, { extensions: { code, ...details, ...(http ? { http } : {}) } });
    this.name = 'EdgeError';
  }
}

/** Whose bucket is empty: the API key's, its tenant's, or the client address's after failed authentications. */
export type RateLimitScope = 'key' | 'tenant' | 'address';

const RATE_LIMITED_MESSAGES: Record<RateLimitScope, string> = {
  key: 'Too many requests for this API key',
  tenant: 'Too many requests for this tenant',
  address: 'Too many failed authentications from this address',
};

/** RATE_LIMITED for a key, a tenant or a client address that has to wait `retryAfter` seconds. */
export function rateLimited(retryAfter: number, scope: RateLimitScope = 'key'): EdgeError {
  return new EdgeError(
    `${RATE_LIMITED_MESSAGES[scope]}; retry in ${retryAfter} s`,
    ErrorCode.RATE_LIMITED,
    { retryAfter },
    { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
  );
}

/**
 * SERVICE_UNAVAILABLE (HTTP 503, `Retry-After`) for a request that could not be authenticated
 * because the database cannot be reached (src/server/database-outage.ts).
 */
export function serviceUnavailable(retryAfter: number): EdgeError {
  return new EdgeError(
    `The service is unavailable: its database cannot be reached; retry in ${retryAfter} s`,
    ErrorCode.SERVICE_UNAVAILABLE,
    { retryAfter },
    { status: 503, headers: new Map([['retry-after', String(retryAfter)]]) },
  );
}

/** BAD_USER_INPUT for a request over one of the edge's limits. */
export function overLimit(limit: EdgeLimit, message: string): EdgeError {
  return new EdgeError(message, ErrorCode.BAD_USER_INPUT, { limit }, { status: 400 });
}

/**
 * BAD_USER_INPUT for an execution whose lists of stored rows returned more than `maxItems` items
 * in all (src/server/fan-out-budget.ts): a field error, next to whatever data was resolved before.
 */
export function fanOutExceeded(maxItems: number): EdgeError {
  return new EdgeError(
    `The operation is too large: its lists hold more than ${maxItems} items (the cost limit); ask for fewer nested lists or smaller pages`,
    ErrorCode.BAD_USER_INPUT,
    { limit: 'cost' },
  );
}

/**
 * Wraps the API's error formatter (src/server/format-error.ts) so that an {@link EdgeError} keeps
 * its code and details (`limit`, `retryAfter`); every other error goes to `format`. With
 * `hideSuggestions` (introspection off), graphql-js's "Did you mean ...?" hints are cut from the
 * messages, so that guessing names does not reveal the schema either.
 */
export function withEdgeErrors<E>(format: (formatted: GraphQLFormattedError, error: E) => GraphQLFormattedError, options: { hideSuggestions?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: E): GraphQLFormattedError => {
    // A resolver's EdgeError (the fan-out budget) reaches here wrapped with its path.
    const edgeError = error instanceof EdgeError ? error : unwrapResolverError(error);
    if (edgeError instanceof EdgeError) {
      return { message: edgeError.message, locations: formatted.locations, path: formatted.path, extensions: { code: edgeError.code, ...edgeError.details } };
    }
    const result = format(formatted, error);
    return options.hideSuggestions ? { ...result, message: result.message.replace(/ ?Did you mean .*\?$/s, '') } : result;
  };
}
