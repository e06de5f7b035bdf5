import { AppError, assertUnreachable, badInput, ErrorCode } from '../../common/errors';
import { ProviderError } from '../../providers/provider';

/**
 * Maps an adapter's {@link ProviderError} to the error an API client sees. `field` names the
 * input that pointed at the provider (e.g. `input.serverUrl`) for NOT_FOUND.
 */
export function toAppError(error: ProviderError, field?: string): AppError {
  switch (error.code) {
    case 'AUTH_REVOKED':
      return new AppError(ErrorCode.PROVIDER_AUTH_REQUIRED, error.message);
    case 'TEMPORARY':
      return new AppError(ErrorCode.PROVIDER_UNAVAILABLE, error.message);
    case 'FORBIDDEN':
    case 'UNKNOWN':
    case 'SYNC_CURSOR_INVALID':
      return new AppError(ErrorCode.PROVIDER_ERROR, error.message);
    case 'ADDRESS_REFUSED':
      return field ? badInput(field, error.message) : new AppError(ErrorCode.FAILED_PRECONDITION, error.message);
    case 'CONFLICT':
      return new AppError(ErrorCode.CONFLICT, error.message);
    case 'NOT_FOUND':
      return field ? badInput(field, error.message) : new AppError(ErrorCode.NOT_FOUND, error.message);
    default:
      return assertUnreachable(error.code);
  }
}

/** Re-throws a ProviderError as an AppError; other errors pass unchanged. */
export function rethrowForClient(error: unknown, field?: string): never {
  throw error instanceof ProviderError ? toAppError(error, field) : error;
}
