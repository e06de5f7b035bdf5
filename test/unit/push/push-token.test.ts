import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModuleDeps } from '../../../src/modules/shared/module-deps';
import { hashPushToken, newPushToken, pushTokenMatches } from '../../../src/modules/push/push-token';
import { PushService } from '../../../src/modules/push/push.service';
import { ProviderKind } from '../../../src/providers/provider';

describe('push channel secrets', () => {
  it('are 43 base64url characters, fresh every time, within Graph clientState’s 128', () => {
    const tokens = new Set(Array.from({ length: 100 }, newPushToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('match only their own hash', () => {
    const token = newPushToken();
    const hash = hashPushToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pushTokenMatches(token, hash)).toBe(true);
    expect(pushTokenMatches(newPushToken(), hash)).toBe(false);
    expect(pushTokenMatches(undefined, hash)).toBe(false);
    expect(pushTokenMatches('', hash)).toBe(false);
  });
});

describe('push availability', () => {
  const deps = (pushUrl: string | null) =>
    ({ pushUrl, providers: { isAvailable: (kind: ProviderKind) => kind !== ProviderKind.MICROSOFT } }) as unknown as ModuleDeps;
  const service = (pushUrl: string | null) => new PushService({} as EntityManager, deps(pushUrl));

  it('is off without PUBLIC_URL, and for providers without push or not configured', () => {
    expect(service('https://calsync.example').supportsPush(ProviderKind.GOOGLE)).toBe(true);
    expect(service(null).supportsPush(ProviderKind.GOOGLE)).toBe(false);
    expect(service('https://calsync.example').supportsPush(ProviderKind.CALDAV)).toBe(false);
    expect(service('https://calsync.example').supportsPush(ProviderKind.MICROSOFT)).toBe(false);
  });
});
