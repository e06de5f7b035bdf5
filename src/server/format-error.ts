import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError, ErrorCode } from '../common/errors';
import type { Logger } from '../common/logger';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-outage';

/** Codes that Apollo and graphql-js assign themselves to bad requests; they pass through as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Shapes every error leaving the API: an {@link AppError} keeps its code, message and offending
 * field (`extensions.field`); a unique-constraint race becomes CONFLICT; a database out of reach
 * becomes SERVICE_UNAVAILABLE with `retryAfter` (and HTTP 503, src/server/database-outage.ts);
 * request errors from graphql-js keep theirs; anything else is logged and masked as
 * INTERNAL_SERVER_ERROR, so no stack trace, SQL or secret ever reaches a client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (original instanceof UniqueConstraintViolationException) {
      return {
        message: 'The change conflicts with one made at the same time; read the current state and try again',
        path: formatted.path,
        extensions: { code: ErrorCode.CONFLICT },
      };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: { message: (original as Error | undefined)?.message } }, 'the database is unavailable');
      return {
        message: `The service is unavailable: its database cannot be reached; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfter: DATABASE_RETRY_AFTER_SECONDS },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || code === ErrorCode.UNAUTHENTICATED)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    logger.error({ err: original }, 'unexpected error in a GraphQL operation');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
