import { AppError, ErrorCode } from '../../../src/common/errors';
import { OutboundPolicy } from '../../../src/common/outbound';
import { ProviderLookup } from '../../../src/modules/connections/provider-lookup';
import { ProviderKind } from '../../../src/providers/provider';
import { ProviderNotConfigured, ProviderRegistry } from '../../../src/providers/registry';

function registry(): ProviderRegistry {
  return new ProviderRegistry({
    outbound: { policy: new OutboundPolicy({ allowPrivate: true, allowCidrs: [] }), maxResponseBytes: 1024, requestTimeoutMs: 30_000 },
    google: { accountsUrl: 'https://accounts.example', oauthUrl: 'https://oauth.example', apiUrl: 'https://api.example' },
    microsoft: { tenant: 'common', loginUrl: 'https://login.example', graphUrl: 'https://graph.example' },
  });
}

function failure(lookup: () => unknown): unknown {
  try {
    lookup();
  } catch (error) {
    return error;
  }
  throw new Error('expected the lookup to fail');
}

describe('the provider registry and its lookup for modules', () => {
  it('throws a provider-layer error for a provider the gateway cannot serve', () => {
    const error = failure(() => registry().providerFor(ProviderKind.GOOGLE));
    expect(error).toBeInstanceOf(ProviderNotConfigured);
    expect(error).not.toBeInstanceOf(AppError);
  });

  it.each([
    [
      'an OAuth app that is not configured',
      () => new ProviderLookup(registry()).providerFor(ProviderKind.GOOGLE),
      'Provider GOOGLE is not configured on this gateway: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
    ],
    [
      'OAuth of an unconfigured app',
      () => new ProviderLookup(registry()).oauthClientFor(ProviderKind.MICROSOFT),
      'Provider MICROSOFT is not configured on this gateway: set MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET',
    ],
    [
      'OAuth of a provider without it',
      () => new ProviderLookup(registry()).oauthClientFor(ProviderKind.CALDAV),
      'Provider CALDAV does not connect through OAuth',
    ],
    ['OAuth of an ICS feed', () => new ProviderLookup(registry()).oauthClientFor(ProviderKind.ICS), 'Provider ICS does not connect through OAuth'],
  ])('tells the client FAILED_PRECONDITION for %s', (_, lookup, message) => {
    const error = failure(lookup);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: ErrorCode.FAILED_PRECONDITION, message });
  });

  it('passes what the gateway serves through', () => {
    const lookup = new ProviderLookup(registry());
    expect(lookup.providerFor(ProviderKind.CALDAV)).toBe(lookup.providerFor(ProviderKind.APPLE));
    expect([lookup.isAvailable(ProviderKind.CALDAV), lookup.isAvailable(ProviderKind.ICS), lookup.isAvailable(ProviderKind.GOOGLE)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(lookup.providerFor(ProviderKind.ICS).fixedCalendars).toBe(true);
  });
});
