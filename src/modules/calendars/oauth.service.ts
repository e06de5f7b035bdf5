import type { EntityManager } from '@mikro-orm/postgresql';
import { pkcePair } from '../../common/crypto';
import { AppError, badInput, ErrorCode } from '../../common/errors';
import { isId } from '../../common/validate';
import { TENANT_FILTER } from '../../db/orm';
import { OAUTH_PROVIDERS, ProviderError, ProviderKind } from '../../providers/provider';
import type { ModuleDeps } from '../module-deps';
import { PushService } from '../push/push.service';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import { replaceCalendars } from './calendar-list';
import { CalendarService } from './calendar.service';
import type { Appointment } from '../appointments/appointment.entity';
import { retryFailedExports } from '../appointments/appointment-targets';
import { ConnectionCredentials } from './connection-credentials';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';
import { OAuthState } from './oauth-state.entity';
import { SyncConfig } from './sync-config.entity';

/** Where the browser goes after the consent page, and what the client is told there. */
export interface CallbackOutcome {
  /** The client's redirectUrl with `externalCalendarId`, `status` and, on failure, `error`; null when none was given. */
  redirectTo: string | null;
  externalCalendarId: string | null;
  status: ExternalCalendarStatus | null;
  error: string | null;
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
  async connect(tenant: Tenant, input: { resourceId: string; provider: ProviderKind; redirectUrl?: string | null }): Promise<{ externalCalendar: ExternalCalendar; authUrl: string }> {
    const resource = await new ResourceService(this.em).get(input.resourceId, 'input.resourceId');
    if (!OAUTH_PROVIDERS.has(input.provider)) {
      throw badInput('input.provider', `${input.provider} connects with credentials; use connectExternalCalendarByCredentials`);
    }
    const client = this.deps.providers.oauthClientFor(input.provider);
    const redirectUrl = input.redirectUrl ? requireRedirectUrl(input.redirectUrl) : null;
    return this.em.transactional(async (em) => {
      const externalCalendar = em.create(ExternalCalendar, { tenant, resource, provider: input.provider, status: ExternalCalendarStatus.PENDING });
      em.create(SyncConfig, { tenant, externalCalendar });
      const authUrl = new OAuthService(em, this.deps).issueState(externalCalendar, redirectUrl, client.authorizationUrl.bind(client));
      return { externalCalendar, authUrl };
    });
  }

  /**
   * A new consent-page URL for a PENDING or REAUTH_REQUIRED connection (OnSched's
   * regenerateAuthUrl); earlier states of the connection stop working.
   * @throws AppError NOT_FOUND, FAILED_PRECONDITION (connection in another status, or not OAuth).
   */
  async regenerateAuthUrl(externalCalendarId: string, redirectUrl?: string | null): Promise<{ externalCalendar: ExternalCalendar; authUrl: string }> {
    return this.em.transactional(async (em) => {
      const externalCalendar = await new CalendarService(em, this.deps).get(externalCalendarId, 'externalCalendarId');
      if (externalCalendar.status !== ExternalCalendarStatus.PENDING && externalCalendar.status !== ExternalCalendarStatus.REAUTH_REQUIRED) {
        throw new AppError(ErrorCode.FAILED_PRECONDITION, `ExternalCalendar '${externalCalendar.id}' is ${externalCalendar.status}; only PENDING and REAUTH_REQUIRED connections need consent`, 'externalCalendarId');
      }
      const client = this.deps.providers.oauthClientFor(externalCalendar.provider);
      const previous = await em.find(OAuthState, { externalCalendar }, { orderBy: { createdAt: 'desc' }, filters: false });
      const keptRedirect = redirectUrl ? requireRedirectUrl(redirectUrl) : (previous[0]?.redirectUrl ?? null);
      for (const state of previous) state.usedAt ??= new Date();
      const authUrl = new OAuthService(em, this.deps).issueState(externalCalendar, keptRedirect, client.authorizationUrl.bind(client));
      return { externalCalendar, authUrl };
    });
  }

  private issueState(
    externalCalendar: ExternalCalendar,
    redirectUrl: string | null,
    authorizationUrl: (params: { state: string; codeChallenge: string; redirectUri: string }) => string,
  ): string {
    const { verifier, challenge } = pkcePair();
    const row = this.em.create(OAuthState, {
      tenant: externalCalendar.tenant,
      externalCalendar,
      codeVerifier: this.deps.secrets.seal(verifier),
      redirectUrl,
      expiresAt: new Date(Date.now() + this.deps.oauthStateTtlMinutes * 60_000),
    });
    return authorizationUrl({ state: this.deps.secrets.sign(row.id), codeChallenge: challenge, redirectUri: this.redirectUri });
  }

  /**
   * Completes the flow at `GET /oauth/callback`: verifies `state` (signature, expiry, first
   * use), exchanges the code with the PKCE verifier, stores the tokens sealed, reads the account
   * email, discovers the calendars, marks the connection CONNECTED, queues again the appointment
   * exports that failed on it (a revoked grant stopped them) and tells subscribers. Every failure (denied
   * consent, bad or replayed state, failed exchange) becomes an outcome with `error`, never a throw.
   * Runs without a tenant in scope until the state names one.
   */
  async completeCallback(query: { state?: string; code?: string; error?: string; error_description?: string }): Promise<CallbackOutcome> {
    const state = await this.consumeState(query.state);
    if (!state) return { redirectTo: null, externalCalendarId: null, status: null, error: 'invalid_state' };
    this.em.setFilterParams(TENANT_FILTER, { tenantId: state.tenant.id });
    const connection = await this.em.findOneOrFail(ExternalCalendar, { id: state.externalCalendar.id });
    const outcome = (error: string | null): CallbackOutcome => ({
      redirectTo: state.redirectUrl ? withParams(state.redirectUrl, connection.id, connection.status, error) : null,
      externalCalendarId: connection.id,
      status: connection.status,
      error,
    });
    if (query.error || !query.code) return outcome(query.error ?? 'missing_code');
    try {
      const client = this.deps.providers.oauthClientFor(connection.provider);
      const tokens = await client.exchangeCode({ code: query.code, codeVerifier: this.deps.secrets.open(state.codeVerifier), redirectUri: this.redirectUri });
      const access = { accessToken: tokens.accessToken };
      const email = await client.accountEmail(access);
      const calendars = await this.deps.providers.providerFor(connection.provider).listCalendars(access);
      let changed: Appointment[] = [];
      const connected = await this.em.transactional(async (em) => {
        const current = await em.findOneOrFail(ExternalCalendar, { id: connection.id });
        new ConnectionCredentials(em, this.deps.secrets, this.deps.providers).seal(current, tokens);
        current.accountEmail = email;
        current.status = ExternalCalendarStatus.CONNECTED;
        current.lastError = null;
        const retargeted = await replaceCalendars(em, current, calendars);
        changed = [...retargeted, ...(await retryFailedExports(em, current))];
        return current;
      });
      connection.status = ExternalCalendarStatus.CONNECTED;
      await this.deps.events.externalCalendarStatusChanged(connected);
      for (const appointment of changed) await this.deps.events.appointmentExportChanged(appointment);
      // A reconnected account keeps its read calendars: their push channels come back.
      if (new PushService(this.em, this.deps).supportsPush(connected.provider)) {
        await this.deps.queue.enqueuePushMaintain({ externalCalendarId: connected.id, tenantId: state.tenant.id });
      }
      return outcome(null);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      await this.em.nativeUpdate(ExternalCalendar, { id: connection.id }, { lastError: error.message });
      return outcome(error.code === 'AUTH_REVOKED' ? 'exchange_failed' : 'provider_unavailable');
    }
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

function withParams(redirectUrl: string, externalCalendarId: string, status: ExternalCalendarStatus, error: string | null): string {
  const url = new URL(redirectUrl);
  url.searchParams.set('externalCalendarId', externalCalendarId);
  url.searchParams.set('status', status);
  if (error) url.searchParams.set('error', error);
  return url.toString();
}
