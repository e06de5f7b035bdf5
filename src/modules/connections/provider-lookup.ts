import { AppError, ErrorCode } from '../../common/errors';
import type { CalendarProvider, OAuthClient, ProviderKind } from '../../providers/provider';
import { ProviderNotConfigured, type ProviderRegistry } from '../../providers/registry';

/**
 * The provider registry as the modules use it: where a provider this gateway cannot serve
 * becomes the client's FAILED_PRECONDITION (with the registry's message), so that the provider
 * layer knows nothing of GraphQL errors.
 */
export class ProviderLookup {
  constructor(private readonly registry: ProviderRegistry) {}

  /** Whether this gateway can connect accounts of the provider. */
  isAvailable(kind: ProviderKind): boolean {
    return this.registry.isAvailable(kind);
  }

  /** @throws AppError FAILED_PRECONDITION for a provider that is not configured or not supported yet. */
  providerFor(kind: ProviderKind): CalendarProvider {
    return forClient(() => this.registry.providerFor(kind));
  }

  /** @throws AppError FAILED_PRECONDITION unless the provider connects through a configured OAuth app. */
  oauthClientFor(kind: ProviderKind): OAuthClient {
    return forClient(() => this.registry.oauthClientFor(kind));
  }
}

function forClient<T>(lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    throw error instanceof ProviderNotConfigured ? new AppError(ErrorCode.FAILED_PRECONDITION, error.message) : error;
  }
}
