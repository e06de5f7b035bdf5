/**
 * The Google fake's OAuth grants of its one account, with the refresh-token rules Calsync must
 * live with (https://developers.google.com/identity/protocols/oauth2#expiration, "Refresh token
 * expiration"; https://developers.google.com/identity/protocols/oauth2/web-server#offline):
 * - with `access_type=offline`, a refresh token comes with the first consent of the account to
 *   the scopes only; a later consent gives one only when forced with `prompt=consent`;
 * - the refresh tokens of one account and client are capped (100 by Google; `refreshTokenLimit`
 *   here): a new one over the cap silently invalidates the oldest (`invalid_grant`);
 * - an app in "Testing" publishing status gets refresh tokens that expire after 7 days
 *   (`testingMode`; `advanceClock` ages them);
 * - a revoked token answers `invalid_grant` "Token has been expired or revoked.".
 * Simplification: the six-month expiry of unused tokens is not emulated.
 */
import { randomBytes } from 'node:crypto';

/** Google's documented cap of refresh tokens per account and OAuth client. */
export const GOOGLE_REFRESH_TOKEN_LIMIT = 100;
/** Lifetime of a refresh token of an app in Testing status. */
const TESTING_REFRESH_TOKEN_MS = 7 * 86_400_000;

/** How the fake's OAuth server behaves. */
export interface FakeGrantOptions {
  /** Live refresh tokens per account and client; default {@link GOOGLE_REFRESH_TOKEN_LIMIT}. */
  refreshTokenLimit?: number;
  /** The OAuth app is in Testing status: refresh tokens expire 7 days after they were issued. */
  testingMode?: boolean;
}

/** One authorization: its scope and, for offline access granted with a refresh token, that token. */
export interface Grant {
  scope: string;
  refreshToken: string | null;
  revoked: boolean;
  /** Fake-clock epoch milliseconds. */
  issuedAt: number;
}

/** The grants of the fake's account, by token. */
export class FakeGrants {
  private readonly byToken = new Map<string, Grant>();
  /** Grants with a refresh token, oldest first: the cap drops from the front. */
  private readonly withRefreshToken: Grant[] = [];
  private clockOffsetMs = 0;

  constructor(private readonly options: FakeGrantOptions = {}) {}

  /** The fake's clock, epoch milliseconds. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the fake's clock on, to age refresh tokens. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Whether a consent now sends a refresh token: offline access, and a forced consent or scopes the account's live grants lack. */
  sendsRefreshToken(scope: string, offline: boolean, forced: boolean): boolean {
    if (!offline) return false;
    if (forced) return true;
    const granted = new Set(this.live().flatMap((grant) => grant.scope.split(' ')));
    return !scope.split(' ').every((item) => granted.has(item));
  }

  /** A new grant; with a refresh token, the oldest over the cap is invalidated. */
  create(scope: string, withRefreshToken: boolean): Grant {
    const grant: Grant = { scope, refreshToken: withRefreshToken ? token('1//') : null, revoked: false, issuedAt: this.now() };
    if (!grant.refreshToken) return grant;
    this.byToken.set(grant.refreshToken, grant);
    this.withRefreshToken.push(grant);
    const live = this.live();
    const limit = this.options.refreshTokenLimit ?? GOOGLE_REFRESH_TOKEN_LIMIT;
    for (const oldest of live.slice(0, Math.max(0, live.length - limit))) oldest.revoked = true;
    return grant;
  }

  /** A new access token of the grant. */
  accessTokenOf(grant: Grant): string {
    const accessToken = token('ya29.');
    this.byToken.set(accessToken, grant);
    return accessToken;
  }

  /** The live grant a token belongs to; undefined when unknown, revoked, or (Testing mode) expired. */
  grantOf(value: string | undefined): Grant | undefined {
    const grant = value ? this.byToken.get(value) : undefined;
    return grant && this.usable(grant) ? grant : undefined;
  }

  /** Revokes every grant of the account. */
  revokeAll(): void {
    for (const grant of this.byToken.values()) grant.revoked = true;
  }

  private live(): Grant[] {
    return this.withRefreshToken.filter((grant) => this.usable(grant));
  }

  private usable(grant: Grant): boolean {
    if (grant.revoked) return false;
    return !(this.options.testingMode && grant.refreshToken && this.now() - grant.issuedAt >= TESTING_REFRESH_TOKEN_MS);
  }
}

function token(prefix: string): string {
  return prefix + randomBytes(18).toString('base64url');
}
