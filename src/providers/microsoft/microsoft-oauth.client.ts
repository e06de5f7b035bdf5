import { ProviderError, type OAuthAccess, type OAuthClient, type OAuthTokens } from '../provider';
import { retryAfterSeconds, withRetry } from '../retry';
import { parseGraphError } from './parse-graph-error';

/** How long one request to Microsoft may take before it counts as a network failure. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The token endpoint's answer (RFC 6749 section 5.1); Microsoft rotates `refresh_token`. */
interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

/** The token endpoint's error body (RFC 6749 section 5.2) with Entra's AADSTS description. */
interface TokenErrorResponse {
  error?: string;
  error_description?: string;
}

/** Errors after which only the owner can fix the grant by consenting again. */
const REAUTH_ERRORS = new Set(['invalid_grant', 'interaction_required', 'consent_required']);

/**
 * The authorization-code flow with PKCE against the Microsoft identity platform (v2 endpoints),
 * with plain `fetch`: MSAL validates its authority against Microsoft's metadata and cannot be
 * pointed at another host, which the tests need.
 *
 * Scopes: `Calendars.ReadWrite` is the least-privileged delegated permission that both reads
 * calendar views and creates events (`Calendars.Read` / `Calendars.ReadBasic` cannot write);
 * `User.Read` reads `/me` for the account's address; `offline_access` yields a refresh token.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * @see https://learn.microsoft.com/graph/api/event-delta (permissions)
 * @see https://learn.microsoft.com/graph/api/user-post-events (permissions)
 */
export class MicrosoftOAuthClient implements OAuthClient {
  readonly scopes = ['offline_access', 'openid', 'email', 'User.Read', 'Calendars.ReadWrite'];
  private readonly endpointBase: string;
  private readonly graphUrl: string;

  /**
   * @param options.loginUrl `https://login.microsoftonline.com` in production.
   * @param options.tenant `common` (work, school and personal accounts), `organizations`,
   *   `consumers` or a tenant id.
   * @param options.graphUrl `https://graph.microsoft.com` in production.
   */
  constructor(private readonly options: { clientId: string; clientSecret: string; tenant: string; loginUrl: string; graphUrl: string }) {
    this.endpointBase = `${options.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.tenant)}/oauth2/v2.0`;
    this.graphUrl = options.graphUrl.replace(/\/+$/, '');
  }

  /**
   * The consent page: `/{tenant}/oauth2/v2.0/authorize` with response_type=code,
   * response_mode=query, the S256 challenge (RFC 7636 section 4.3) and prompt=select_account so
   * that an owner signed in with several accounts picks the right one.
   */
  authorizationUrl(params: { state: string; codeChallenge: string; redirectUri: string }): string {
    const url = new URL(`${this.endpointBase}/authorize`);
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: params.redirectUri,
      response_mode: 'query',
      scope: this.scopes.join(' '),
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
      prompt: 'select_account',
    }).toString();
    return url.toString();
  }

  /**
   * Redeems an authorization code with its PKCE verifier (RFC 6749 section 4.1.3).
   * @returns tokens; `expiresAt` in epoch milliseconds (UTC).
   * @throws ProviderError AUTH_REVOKED for invalid_grant (bad, used or expired code, wrong
   *   verifier), TEMPORARY when Microsoft is unreachable or failing, UNKNOWN otherwise (for
   *   instance invalid_client: the app's secret is wrong or expired).
   */
  exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string }): Promise<OAuthTokens> {
    return this.requestTokens(
      { grant_type: 'authorization_code', code: params.code, code_verifier: params.codeVerifier, redirect_uri: params.redirectUri },
      null,
    );
  }

  /**
   * Redeems the refresh token (RFC 6749 section 6). Microsoft answers with a new refresh token
   * every time; it is returned so that the caller stores it in place of the old one.
   * @throws ProviderError AUTH_REVOKED for invalid_grant (consent revoked, password reset,
   *   token expired after inactivity) or when no refresh token is stored; TEMPORARY; UNKNOWN.
   * @see https://learn.microsoft.com/entra/identity-platform/refresh-tokens
   */
  refresh(tokens: OAuthTokens): Promise<OAuthTokens> {
    if (!tokens.refreshToken) {
      return Promise.reject(new ProviderError('AUTH_REVOKED', 'No Microsoft refresh token is stored for this connection; reconnect the account'));
    }
    return this.requestTokens({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken }, tokens.refreshToken);
  }

  /**
   * The account's address: `GET {graphUrl}/v1.0/me?$select=mail,userPrincipalName`, `mail`
   * when the mailbox has one, else the sign-in name.
   * @throws ProviderError AUTH_REVOKED (401), TEMPORARY, UNKNOWN (as parseGraphError).
   * @see https://learn.microsoft.com/graph/api/user-get
   */
  async accountEmail(access: OAuthAccess): Promise<string> {
    const url = `${this.graphUrl}/v1.0/me?$select=mail,userPrincipalName`;
    const me = await withRetry(async () => {
      const response = await send(url, { headers: { authorization: `Bearer ${access.accessToken}` } }, 'reading the Microsoft account');
      const body = (await response.json().catch(() => null)) as { mail?: string | null; userPrincipalName?: string; error?: { code?: string } } | null;
      if (!response.ok) {
        throw parseGraphError({ statusCode: response.status, code: body?.error?.code ?? null, headers: response.headers }, 'reading the Microsoft account');
      }
      return body;
    });
    const email = me?.mail || me?.userPrincipalName;
    if (!email) throw new ProviderError('UNKNOWN', 'Microsoft Graph returned no address for the account');
    return email;
  }

  /**
   * A no-op: the Microsoft identity platform has no per-grant revocation endpoint (no RFC 7009)
   * for delegated tokens. `revokeSignInSessions` would sign the user out of every application,
   * which is not ours to do; the owner removes the app's consent at
   * https://myapps.microsoft.com or https://account.live.com/consent/Manage.
   * @see https://learn.microsoft.com/entra/identity-platform/refresh-tokens#token-revocation
   */
  async revoke(): Promise<void> {}

  private async requestTokens(grant: Record<string, string>, previousRefreshToken: string | null): Promise<OAuthTokens> {
    const body = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope: this.scopes.join(' '),
      ...grant,
    });
    const tokens = await withRetry(async () => {
      const response = await send(
        `${this.endpointBase}/token`,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
        'requesting Microsoft tokens',
      );
      const json = (await response.json().catch(() => null)) as (TokenResponse & TokenErrorResponse) | null;
      if (!response.ok || !json?.access_token) throw tokenError(response, json);
      return json;
    });
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? previousRefreshToken,
      expiresAt: typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : null,
      scope: tokens.scope ?? null,
    };
  }
}

/** `fetch` with a timeout; a failure to get any response is TEMPORARY. */
async function send(url: string, init: RequestInit, action: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw parseGraphError(error, action);
  }
}

/**
 * Maps a token endpoint failure (RFC 6749 section 5.2). The AADSTS code is kept from the
 * description because it tells an operator why (AADSTS70008 expired, AADSTS50173 revoked ...);
 * the rest of the description is left out as it may quote request details.
 */
function tokenError(response: Response, json: TokenErrorResponse | null): ProviderError {
  const aadsts = /AADSTS\d+/.exec(json?.error_description ?? '')?.[0];
  const detail = [json?.error, aadsts].filter(Boolean).join(' ') || `HTTP ${response.status}`;
  if (json?.error && REAUTH_ERRORS.has(json.error)) {
    return new ProviderError('AUTH_REVOKED', `Microsoft refused the grant: consent was revoked or expired; reconnect the account (${detail})`);
  }
  if (response.status === 429 || response.status >= 500) {
    return new ProviderError('TEMPORARY', `The Microsoft sign-in service is unavailable (${detail})`, retryAfterSeconds(response.headers.get('retry-after')));
  }
  if (json?.error === 'invalid_client' || json?.error === 'unauthorized_client') {
    return new ProviderError('UNKNOWN', `Microsoft rejected the app's credentials (${detail}): check MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET`);
  }
  return new ProviderError('UNKNOWN', `Microsoft refused the token request (${detail})`);
}
