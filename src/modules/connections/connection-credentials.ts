import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../common/crypto';
import { AppError, ErrorCode } from '../../common/errors';
import { ProviderKind, type CalDavCredentials, type IcsFeedCredentials, type OAuthTokens, type ProviderCredentials } from '../../providers/provider';
import { ExternalCalendar } from './external-calendar.entity';
import type { ProviderLookup } from './provider-lookup';

/** Access tokens this close to expiry are refreshed before use. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The sealed credentials of connections: a CalDAV password for CALDAV and APPLE, OAuth tokens
 * for GOOGLE and MICROSOFT, the feed address for ICS. Access tokens are refreshed before they expire, and the refreshed
 * tokens are stored at once, so that a rotated refresh token (Microsoft) is never lost.
 */
export class ConnectionCredentials {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly providers: ProviderLookup,
  ) {}

  /** Seals and stores credentials on the connection entity (flushed by the caller). */
  seal(connection: ExternalCalendar, value: CalDavCredentials | OAuthTokens | IcsFeedCredentials): void {
    connection.credentials = this.secrets.sealJson(value);
  }

  /**
   * What the connection's adapter needs: the CalDAV credentials, or a fresh OAuth access token.
   * @throws AppError FAILED_PRECONDITION when the connection has no credentials (disconnected or pending);
   *   ProviderError AUTH_REVOKED when the refresh token was refused (`invalid_grant`).
   */
  async forProvider(connection: ExternalCalendar, options: { forceRefresh?: boolean } = {}): Promise<ProviderCredentials> {
    const row = await this.em.findOneOrFail(ExternalCalendar, { id: connection.id }, { fields: ['credentials'] });
    if (!row.credentials) {
      throw new AppError(ErrorCode.FAILED_PRECONDITION, `ExternalCalendar '${connection.id}' has no credentials; connect the account again`);
    }
    if (connection.provider === ProviderKind.CALDAV || connection.provider === ProviderKind.APPLE) {
      return this.secrets.openJson<CalDavCredentials>(row.credentials);
    }
    if (connection.provider === ProviderKind.ICS) return this.secrets.openJson<IcsFeedCredentials>(row.credentials);
    let tokens = this.secrets.openJson<OAuthTokens>(row.credentials);
    if (options.forceRefresh || (tokens.expiresAt !== null && tokens.expiresAt - Date.now() < REFRESH_MARGIN_MS)) {
      tokens = await this.providers.oauthClientFor(connection.provider).refresh(tokens);
      await this.em.nativeUpdate(ExternalCalendar, { id: connection.id }, { credentials: this.secrets.sealJson(tokens) });
    }
    return { accessToken: tokens.accessToken };
  }

  /** The stored OAuth tokens, for revocation; null when there are none. */
  async oauthTokens(connection: ExternalCalendar): Promise<OAuthTokens | null> {
    const row = await this.em.findOneOrFail(ExternalCalendar, { id: connection.id }, { fields: ['credentials'] });
    return row.credentials ? this.secrets.openJson<OAuthTokens>(row.credentials) : null;
  }
}
