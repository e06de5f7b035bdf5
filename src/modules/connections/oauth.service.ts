import type { EntityManager } from '@mikro-orm/postgresql';
import { pkcePair } from '../../common/crypto';
import { AppError, badInput, ErrorCode } from '../../common/errors';
import { isId } from '../../common/validate';
import { TENANT_FILTER } from '../../db/orm';
import { OAUTH_PROVIDERS, ProviderError, ProviderKind, type AuthorizationRequest } from '../../providers/provider';
import type { ExportChanges, ModuleDeps } from '../shared/module-deps';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import { replaceCalendars } from './provider-calendar-list';
import { ConnectionService } from './connection.service';
import { ConnectionCredentials } from './connection-credentials';
import { ConnectionLifecycle } from './connection-lifecycle';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';
import { OAuthState } from './oauth-state.entity';
import { SharedGrant } from './shared-grant';
import { SyncConfig } from './sync-config.entity';

/** Where the browser goes after the consent page, and what the client is told there. */
export interface CallbackOutcome {
  /**
   * The client's redirectUrl with `externalCalendarId`, `status` and, on failure, `error`, once
   * the provider itself answered the code exchange; null otherwise (no redirectUrl, a bad state,
   * or a callback the provider's answer cannot be told from: `error` or no `code`).
   */
  redirectTo: string | null;
  /** For a callback with `error` (consent declined): the same URL as a link the page offers, never followed by itself. */
  linkBack: string | null;
  externalCalendarId: string | null;
  status: ExternalCalendarStatus | null;
  /** One of {@link CALLBACK_ERRORS}; never text from the request. */
  error: CallbackError | null;
}

/**
 * What a failed callback reports: RFC 6749's authorization error codes as the provider sent them
 * (anything else becomes `authorization_failed`), or Calsync's own.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export const CALLBACK_ERRORS = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'authorization_failed',
  'invalid_state',
  'exchange_failed',
  'provider_unavailable',
] as const;
export type CallbackError = (typeof CALLBACK_ERRORS)[number];

/** The RFC 6749 code a provider's `error` parameter names, or `authorization_failed`: never the request's own text. */
function authorizationError(error: string | undefined): CallbackError {
  const known = CALLBACK_ERRORS.slice(0, 7) as readonly string[];
  return error !== undefined && known.includes(error) ? (error as CallbackError) : 'authorization_failed';
}

/**
 * Connecting Google and Microsoft accounts with the authorization-code flow and PKCE
 * (RFC 6749 section 4.1, RFC 7636). The `state` names a stored OAuthState row and is signed
 * (HMAC-SHA256), expires (OAUTH_STATE_TTL_MINUTES) and works once.
 * @see https://developers.google.com/identity/protocols/oauth2/web-server
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
export class OAuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /** The redirect URI registered with the providers: `<PUBLIC_URL>/oauth/callback`. */
  get redirectUri(): string {
    return `${this.deps.publicUrl}/oauth/callback`;
  }

  /**
   * Creates a PENDING connection and the consent-page URL to send the owner to.
   * @throws AppError NOT_FOUND (resource), BAD_USER_INPUT (provider not OAuth, bad redirectUrl),
   *   FAILED_PRECONDITION (the provider's OAuth app is not configured).
   */
  async connect(
    tenant: Tenant,
    input: { resourceId: string; provider: ProviderKind; redirectUrl?: string | null },
  ): Promise<{ externalCalendar: ExternalCalendar; authUrl: string }> {
    const resource = await new ResourceService(this.em).get(input.resourceId, 'input.resourceId');
    if (!OAUTH_PROVIDERS.has(input.provider)) {
      throw badInput('input.provider', `${input.provider} connects with credentials; use connectExternalCalendarByCredentials`);
    }
    const client = this.deps.providers.oauthClientFor(input.provider);
    const redirectUrl = input.redirectUrl ? requireRedirectUrl(input.redirectUrl) : null;
    const lifecycle = new ConnectionLifecycle(this.deps);
    const created = await this.em.transactional(async (em) => {
      const externalCalendar = lifecycle.createPending(em, { tenant, resource, provider: input.provider });
      em.create(SyncConfig, { tenant, externalCalendar });
      const authUrl = new OAuthService(em, this.deps).issueState(externalCalendar, redirectUrl, client.authorizationUrl.bind(client));
      return { externalCalendar, authUrl };
    });
    await lifecycle.announce();
    return created;
  }

  /**
   * A new consent-page URL for a PENDING or REAUTH_REQUIRED connection (OnSched's
   * regenerateAuthUrl); earlier states of the connection stop working.
   * @throws AppError NOT_FOUND, FAILED_PRECONDITION (connection in another status, or not OAuth).
   */
  async regenerateAuthUrl(externalCalendarId: string, redirectUrl?: string | null): Promise<{ externalCalendar: ExternalCalendar; authUrl: string }> {
    return this.em.transactional(async (em) => {
      const externalCalendar = await new ConnectionService(em, this.deps).get(externalCalendarId, 'externalCalendarId');
      if (externalCalendar.status !== ExternalCalendarStatus.PENDING && externalCalendar.status !== ExternalCalendarStatus.REAUTH_REQUIRED) {
        throw new AppError(
          ErrorCode.FAILED_PRECONDITION,
          `ExternalCalendar '${externalCalendar.id}' is ${externalCalendar.status}; only PENDING and REAUTH_REQUIRED connections need consent`,
          'externalCalendarId',
        );
      }
      const client = this.deps.providers.oauthClientFor(externalCalendar.provider);
      const previous = await em.find(OAuthState, { externalCalendar }, { orderBy: { createdAt: 'desc' }, filters: false });
      const keptRedirect = redirectUrl ? requireRedirectUrl(redirectUrl) : (previous[0]?.redirectUrl ?? null);
      for (const state of previous) state.usedAt ??= new Date();
      // A refused grant needs a new refresh token, which Google sends only when consent is forced.
      const reauth = externalCalendar.status === ExternalCalendarStatus.REAUTH_REQUIRED;
      const consent = reauth ? { consent: true, loginHint: externalCalendar.accountEmail ?? undefined } : {};
      const authUrl = new OAuthService(em, this.deps).issueState(externalCalendar, keptRedirect, client.authorizationUrl.bind(client), consent);
      return { externalCalendar, authUrl };
    });
  }

  private issueState(
    externalCalendar: ExternalCalendar,
    redirectUrl: string | null,
    authorizationUrl: (params: AuthorizationRequest) => string,
    consent: Pick<AuthorizationRequest, 'consent' | 'loginHint'> = {},
  ): string {
    const { verifier, challenge } = pkcePair();
    const row = this.em.create(OAuthState, {
      tenant: externalCalendar.tenant,
      externalCalendar,
      codeVerifier: this.deps.secrets.seal(verifier),
      redirectUrl,
      expiresAt: new Date(Date.now() + this.deps.oauthStateTtlMinutes * 60_000),
    });
    return authorizationUrl({ ...consent, state: this.deps.secrets.sign(row.id), codeChallenge: challenge, redirectUri: this.redirectUri });
  }

  /**
   * Completes the flow at `GET /oauth/callback`: verifies `state` (signature, expiry, first
   * use), exchanges the code with the PKCE verifier, reads the account email, stores the tokens
   * sealed (without a refresh token in the answer, Google's way for an account that consented
   * before, the refresh token of the tenant's other live connection of that account; when there
   * is none, the browser goes to a consent page that forces consent, and the connection stays
   * PENDING), discovers the calendars, marks the connection CONNECTED, queues again the appointment
   * exports that failed on it (a revoked grant stopped them) and tells subscribers. Every failure
   * becomes an outcome with `error`, never a throw. Runs without a tenant in scope until the state
   * names one.
   *
   * Anyone can open this URL with any parameters, so only what the provider itself answered
   * sends the browser on to the client's redirectUrl: the code exchange, a request from Calsync
   * to the provider, succeeded (CONNECTED) or was refused (`exchange_failed`,
   * `provider_unavailable`). A bad, expired or used state redirects nowhere (`invalid_state`). A
   * callback with `error` or without `code` (consent declined) cannot be told from a forged one:
   * it redirects nowhere either, offers the redirectUrl as a link, reports the RFC 6749 code and
   * never the request's text, and leaves the state unused, so the owner can consent again with the
   * same link while it is valid.
   */
  async completeCallback(query: { state?: string; code?: string; error?: string; error_description?: string }): Promise<CallbackOutcome> {
    const invalid: CallbackOutcome = { redirectTo: null, linkBack: null, externalCalendarId: null, status: null, error: 'invalid_state' };
    if (query.error !== undefined || !query.code) {
      const pending = await this.validState(query.state);
      if (!pending) return invalid;
      const connection = await this.connectionOf(pending);
      const error = authorizationError(query.error);
      return {
        redirectTo: null,
        linkBack: pending.redirectUrl ? withParams(pending.redirectUrl, connection.id, connection.status, error) : null,
        externalCalendarId: connection.id,
        status: connection.status,
        error,
      };
    }
    const state = await this.consumeState(query.state);
    if (!state) return invalid;
    const connection = await this.connectionOf(state);
    const outcome = (error: CallbackError | null): CallbackOutcome => ({
      redirectTo: state.redirectUrl ? withParams(state.redirectUrl, connection.id, connection.status, error) : null,
      linkBack: null,
      externalCalendarId: connection.id,
      status: connection.status,
      error,
    });
    try {
      const client = this.deps.providers.oauthClientFor(connection.provider);
      const exchanged = await client.exchangeCode({
        code: query.code,
        codeVerifier: this.deps.secrets.open(state.codeVerifier),
        redirectUri: this.redirectUri,
      });
      const access = { accessToken: exchanged.accessToken };
      const email = await client.accountEmail(access);
      // Google sends no refresh token to an account that consented before, unless consent was forced.
      const refreshToken = exchanged.refreshToken ?? (await new SharedGrant(this.em, this.deps.secrets).refreshTokenFor(connection, email));
      if (!refreshToken) return { ...outcome(null), redirectTo: await this.forceConsent(connection, state, email), status: connection.status };
      const tokens = { ...exchanged, refreshToken };
      const calendars = await this.deps.providers.providerFor(connection.provider).listCalendars(access);
      let changed: ExportChanges = [];
      const lifecycle = new ConnectionLifecycle(this.deps);
      const connected = await this.em.transactional(async (em) => {
        const current = await em.findOneOrFail(ExternalCalendar, { id: connection.id });
        new ConnectionCredentials(em, this.deps.secrets, this.deps.providers).seal(current, tokens);
        current.accountEmail = email;
        lifecycle.consented(current);
        current.lastError = null;
        const retargeted = await replaceCalendars(em, current, calendars, this.deps);
        changed = [...retargeted, ...(await this.deps.exports.retryFailed(em, current))];
        return current;
      });
      await lifecycle.announce();
      ConnectionLifecycle.catchUp(connection, connected);
      for (const appointment of changed) await this.deps.publish.appointmentExportChanged(appointment);
      // A reconnected account keeps its read calendars: their push channels come back.
      await this.deps.push.maintainLater(connected);
      return outcome(null);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await this.em.nativeUpdate(ExternalCalendar, { id: connection.id }, { lastError: error.message });
      return outcome(error.code === 'AUTH_REVOKED' ? 'exchange_failed' : 'provider_unavailable');
    }
  }

  /**
   * A consent page that forces consent (`prompt=consent`) for `email`, under a new state with the
   * same redirectUrl: the account granted before but the tenant holds no working refresh token for it.
   */
  private async forceConsent(connection: ExternalCalendar, state: OAuthState, email: string): Promise<string> {
    const client = this.deps.providers.oauthClientFor(connection.provider);
    return this.em.transactional(async (em) =>
      new OAuthService(em, this.deps).issueState(em.getReference(ExternalCalendar, connection.id), state.redirectUrl, client.authorizationUrl.bind(client), {
        consent: true,
        loginHint: email,
      }),
    );
  }

  /** The state's connection, with the state's tenant in scope from now on. */
  private async connectionOf(state: OAuthState): Promise<ExternalCalendar> {
    this.em.setFilterParams(TENANT_FILTER, { tenantId: state.tenant.id });
    return this.em.findOneOrFail(ExternalCalendar, { id: state.externalCalendar.id });
  }

  /** The state's row if it is genuine, unused and unexpired, left unused; null otherwise. */
  private async validState(signed: string | undefined): Promise<OAuthState | null> {
    const id = signed ? this.deps.secrets.verify(signed) : null;
    if (!id || !isId(id)) return null;
    // No tenant is in scope yet, and the default filter would reach the state's connection.
    return this.em.findOne(OAuthState, { id, usedAt: null, expiresAt: { $gt: new Date() } }, { filters: false });
  }

  /** The state's row, marked used in the same statement, or null when it is forged, unknown, used or expired. */
  private async consumeState(signed: string | undefined): Promise<OAuthState | null> {
    const id = signed ? this.deps.secrets.verify(signed) : null;
    if (!id || !isId(id)) return null;
    const used = await this.em.nativeUpdate(OAuthState, { id, usedAt: null, expiresAt: { $gt: new Date() } }, { usedAt: new Date() });
    if (used !== 1) return null;
    // No tenant is in scope yet, and the default filter would reach the state's connection.
    return this.em.findOneOrFail(OAuthState, { id }, { filters: false });
  }
}

function requireRedirectUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  throw badInput('input.redirectUrl', 'redirectUrl must be an absolute http(s) URL');
}

function withParams(redirectUrl: string, externalCalendarId: string, status: ExternalCalendarStatus, error: CallbackError | null): string {
  const url = new URL(redirectUrl);
  url.searchParams.set('externalCalendarId', externalCalendarId);
  url.searchParams.set('status', status);
  if (error) url.searchParams.set('error', error);
  return url.toString();
}
