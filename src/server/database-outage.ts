import type { ApolloServerPlugin } from '@apollo/server';
import { ConnectionException } from '@mikro-orm/core';
import { ErrorCode } from '../common/errors';

/** What a client is told to wait before trying again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Socket errors of a connection that could not be opened or was lost (Node's codes). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL's SQLSTATEs of a server that is not there or not taking work: class 08 (connection
 * exception), 57P01-57P03 (shutting down, crashed, starting) and 53300 (too many connections).
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function unavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/** What node-postgres and knex say when a pooled connection died or none could be had in time. */
const LOST_CONNECTION = /Connection terminated|Connection ended unexpectedly|Client has encountered a connection error|Timeout acquiring a connection/i;

/**
 * Whether `error` (or what it wraps: GraphQL's originalError, a MikroORM exception, a `cause`)
 * says that the database cannot be reached, rather than that a statement failed: the request is
 * then worth retrying, and the answer is 503, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if (current instanceof ConnectionException) return true;
    const { code, sqlState, name, message } = current as { code?: unknown; sqlState?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableSqlState(code)))) return true;
    if (typeof sqlState === 'string' && unavailableSqlState(sqlState)) return true;
    if (name === 'KnexTimeoutError' || (typeof message === 'string' && LOST_CONNECTION.test(message))) return true;
    const wrapped = current as { originalError?: unknown; cause?: unknown };
    current = wrapped.originalError ?? wrapped.cause;
  }
  return false;
}

/**
 * Answers HTTP 503 with `Retry-After` when an operation failed because the database was away
 * (an error formatted SERVICE_UNAVAILABLE by src/server/format-error.ts): the client should come
 * back, not report a bug.
 */
export const databaseOutagePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (!errors?.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      },
    };
  },
};
