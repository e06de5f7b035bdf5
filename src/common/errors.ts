/**
 * Domain errors. Services throw {@link AppError}; the GraphQL edge maps its code to
 * `extensions.code` (src/server/format-error.ts). Anything else reaching the edge is masked as
 * INTERNAL_SERVER_ERROR.
 */

/** The error codes clients see in `extensions.code` (DESIGN.md "GraphQL contract"). */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The API key is valid but may not do this: a mutation with a read-only key, key management or createResource with a resource key. */
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  PREMIUM_FEATURE_NOT_ENABLED = 'PREMIUM_FEATURE_NOT_ENABLED',
  PROVIDER_AUTH_REQUIRED = 'PROVIDER_AUTH_REQUIRED',
  /** The provider cannot be reached, is overloaded or throttles: worth trying again later. */
  PROVIDER_UNAVAILABLE = 'PROVIDER_UNAVAILABLE',
  /**
   * The provider answered but refused or failed this request (a 403 on one calendar, a server
   * error on one collection, an answer Calsync cannot read); the message says what. The
   * provider is up, so trying again will not help until something changes there.
   */
  PROVIDER_ERROR = 'PROVIDER_ERROR',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The gateway cannot reach its database right now (HTTP 503 with Retry-After): try again shortly. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** An error meant for the API client: a code, a clear message and, for bad input, the field. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Path of the offending input field, e.g. `input.timeZone`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** BAD_USER_INPUT naming the offending field. */
export function badInput(field: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, field);
}

/** NOT_FOUND for an entity id; another tenant's id is reported the same way. */
export function notFound(entity: string, id: string, field?: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `${entity} '${id}' not found`, field);
}

/** FORBIDDEN: the caller's API key may not do this (its scope or read-only flag). */
export function forbidden(message: string): AppError {
  return new AppError(ErrorCode.FORBIDDEN, message);
}

/** Fails the type checker when a switch over a union misses a member. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
