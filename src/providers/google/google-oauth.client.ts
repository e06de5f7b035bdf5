import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { ProviderError, type AuthorizationRequest, type OAuthAccess, type OAuthClient, type OAuthTokens } from '../provider';
import { withRetry } from '../retry';
import { parseGoogleError } from './parse-google-error';

/**
 * The narrowest scopes that do the job: `calendar.calendarlist.readonly` lists the calendars
 * (without their settings or sharing), `calendar.events` reads and writes events on every
 * calendar the account can access (`calendar.events.owned` would miss calendars shared with
 * the owner, such as rooms), `openid email` give the account's address.
 * @see https://developers.google.com/calendar/api/auth
 */
export const GOOGLE_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/calendar.calendarlist.readonly',
  'https://www.googleapis.com/auth/calendar.events',
  'openid',
  'email',
];

/** How long one request may take before Google counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Base URLs of Google's OAuth services; production: accounts.google.com, oauth2.googleapis.com, www.googleapis.com. */
export interface GoogleOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Hosts the consent page `/o/oauth2/v2/auth`. */
  accountsUrl: string;
  /** Hosts `/token` and `/revoke`. */
  oauthUrl: string;
  /** Hosts `/oauth2/v3/userinfo`. */
  apiUrl: string;
}

/**
 * Google's OAuth 2.0 web-server flow with PKCE (S256) and offline access, over
 * google-auth-library's OAuth2Client pointed at configured endpoints. The library's own retry
 * is switched off: {@link withRetry} is the one retry policy and it honours `Retry-After`.
 * @see https://developers.google.com/identity/protocols/oauth2/web-server
 */
export class GoogleOAuthClient implements OAuthClient {
  readonly scopes: string[] = [...GOOGLE_SCOPES];
  private readonly client: OAuth2Client;
  private readonly userinfoUrl: string;

  constructor(private readonly options: GoogleOAuthOptions) {
    this.client = this.newClient();
    this.userinfoUrl = `${trimSlash(options.apiUrl)}/oauth2/v3/userinfo`;
  }

  /**
   * The consent page URL: `response_type=code`, `access_type=offline`,
   * `include_granted_scopes=true`, PKCE `code_challenge` with `code_challenge_method=S256`,
   * `state`, `redirect_uri`, and `login_hint` when the account is known. `prompt=consent` only
   * when `params.consent`: Google sends a refresh token on the first consent of an account only,
   * or when the consent page is forced, and every new refresh token counts against a limit per
   * account and client (100), over which the oldest silently stops working. So Calsync forces it
   * only when it has no working refresh token for the account.
   * @see https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
   * @see https://developers.google.com/identity/protocols/oauth2#expiration
   */
  authorizationUrl(params: AuthorizationRequest): string {
    return this.client.generateAuthUrl({
      response_type: 'code',
      access_type: 'offline',
      ...(params.consent ? { prompt: 'consent' } : {}),
      ...(params.loginHint ? { login_hint: params.loginHint } : {}),
      include_granted_scopes: true,
      scope: this.scopes,
      state: params.state,
      redirect_uri: params.redirectUri,
      code_challenge: params.codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
  }

  /**
   * Exchanges the code and its PKCE verifier at `/token`; `expiresAt` (epoch ms) comes from `expires_in`.
   * @throws ProviderError AUTH_REVOKED for `invalid_grant` (code used, expired, or the verifier
   *   does not match), TEMPORARY when Google is unreachable or failing, UNKNOWN otherwise.
   * @see https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
   */
  async exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string }): Promise<OAuthTokens> {
    const { tokens } = await this.call('Exchanging the authorization code', () =>
      this.client.getToken({ code: params.code, codeVerifier: params.codeVerifier, redirect_uri: params.redirectUri }),
    );
    return toTokens(tokens, null);
  }

  /**
   * Gets a new access token with the refresh token; Google sends no new refresh token, so
   * the old one is kept.
   * @throws ProviderError AUTH_REVOKED for `invalid_grant` (consent revoked, password changed,
   *   token unused for six months) or when there is no refresh token; TEMPORARY, UNKNOWN.
   * @see https://developers.google.com/identity/protocols/oauth2/web-server#offline
   */
  async refresh(tokens: OAuthTokens): Promise<OAuthTokens> {
    const refreshToken = tokens.refreshToken;
    if (!refreshToken) throw new ProviderError('AUTH_REVOKED', 'No Google refresh token is stored; reconnect the account');
    // A client per call: OAuth2Client keeps the credentials it refreshes as state.
    const client = this.newClient();
    client.setCredentials({ refresh_token: refreshToken });
    const { credentials } = await this.call('Refreshing the access token', () => client.refreshAccessToken());
    return toTokens(credentials, refreshToken);
  }

  /**
   * The account's email address from the OpenID Connect userinfo endpoint.
   * @throws ProviderError AUTH_REVOKED when the token is refused, TEMPORARY, UNKNOWN (also when
   *   Google returns no email: the `email` scope was not granted).
   * @see https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo
   */
  async accountEmail(access: OAuthAccess): Promise<string> {
    const client = this.newClient();
    client.setCredentials({ access_token: access.accessToken });
    const { data } = await this.call('Reading the Google account', () => client.request<{ email?: string }>({ url: this.userinfoUrl, retry: false }));
    const email = data.email;
    if (!email) throw new ProviderError('UNKNOWN', 'Google did not tell the account email: the email scope was not granted');
    return email;
  }

  /**
   * Revokes the grant (RFC 7009): the refresh token when there is one, which also revokes its
   * access tokens, else the access token. `invalid_token` means it is revoked already: success.
   * @throws ProviderError TEMPORARY when Google is unreachable or failing, UNKNOWN.
   * @see https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
   */
  async revoke(tokens: OAuthTokens): Promise<void> {
    const token = tokens.refreshToken ?? tokens.accessToken;
    await this.call('Revoking the Google grant', async () => {
      try {
        await this.client.revokeToken(token);
      } catch (error) {
        if (oauthErrorOf(error) !== 'invalid_token') throw error;
      }
    });
  }

  private newClient(): OAuth2Client {
    const { clientId, clientSecret, accountsUrl, oauthUrl } = this.options;
    const client = new OAuth2Client({
      clientId,
      clientSecret,
      endpoints: {
        oauth2AuthBaseUrl: `${trimSlash(accountsUrl)}/o/oauth2/v2/auth`,
        oauth2TokenUrl: `${trimSlash(oauthUrl)}/token`,
        oauth2RevokeUrl: `${trimSlash(oauthUrl)}/revoke`,
        tokenInfoUrl: `${trimSlash(oauthUrl)}/tokeninfo`,
      },
      // Node's own fetch: gaxios would otherwise import() node-fetch, which fails in vm sandboxes (jest).
      transporterOptions: { timeout: REQUEST_TIMEOUT_MS, fetchImplementation: fetch },
    });
    // Token requests spread OAuth2Client.RETRY_CONFIG over any option we could pass (3 retries,
    // POST included, Retry-After ignored), so the retry is turned off once the request is built.
    client.transporter.interceptors.request.add({
      resolved: async (config) => ({ ...config, retry: false, retryConfig: { ...config.retryConfig, retry: 0 } }),
    });
    return client;
  }

  private async call<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return withRetry(async () => {
      try {
        return await operation();
      } catch (error) {
        throw parseGoogleError(error, action);
      }
    });
  }
}

function toTokens(credentials: Credentials, previousRefreshToken: string | null): OAuthTokens {
  if (!credentials.access_token) throw new ProviderError('UNKNOWN', 'Google answered without an access token');
  return {
    accessToken: credentials.access_token,
    refreshToken: credentials.refresh_token ?? previousRefreshToken,
    expiresAt: credentials.expiry_date ?? null,
    scope: credentials.scope ?? null,
  };
}

function oauthErrorOf(error: unknown): string | undefined {
  const data = (error as { response?: { data?: { error?: unknown } } } | null)?.response?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
