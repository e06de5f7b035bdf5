import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../common/crypto';
import type { OAuthTokens, ProviderKind } from '../../providers/provider';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';

/**
 * One provider account connected to several resources of a tenant shares one grant: Google
 * sends a refresh token only on an account's first consent (or a forced one), and each forced
 * consent mints a new token that counts against a limit per account and OAuth client, over which
 * the oldest silently stop working. So a new connection of an account the tenant has connected
 * already takes the refresh token of that connection instead of forcing a consent; across
 * tenants nothing is shared, since a tenant's credentials are its own.
 * @see https://developers.google.com/identity/protocols/oauth2#expiration
 */
export class SharedGrant {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
  ) {}

  /** The refresh token of another connection of the same tenant, provider and account whose grant still works (CONNECTED or ERROR), or null. */
  async refreshTokenFor(connection: ExternalCalendar, accountEmail: string): Promise<string | null> {
    for (const sibling of await this.siblings(connection, accountEmail)) {
      const token = sibling.credentials ? this.secrets.openJson<OAuthTokens>(sibling.credentials).refreshToken : null;
      if (token) return token;
    }
    return null;
  }

  /** Whether another live connection uses `refreshToken`: revoking it would cut that one off too. */
  async inUseElsewhere(connection: ExternalCalendar, refreshToken: string | null): Promise<boolean> {
    if (!refreshToken || !connection.accountEmail) return false;
    const siblings = await this.siblings(connection, connection.accountEmail);
    return siblings.some((sibling) => sibling.credentials && this.secrets.openJson<OAuthTokens>(sibling.credentials).refreshToken === refreshToken);
  }

  private siblings(connection: { id: string; tenant: { id: string }; provider: ProviderKind }, accountEmail: string): Promise<ExternalCalendar[]> {
    return this.em.find(
      ExternalCalendar,
      {
        tenant: connection.tenant.id,
        provider: connection.provider,
        accountEmail: { $ilike: accountEmail.replace(/[\\%_]/g, (char) => `\\${char}`) },
        status: { $in: [ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR] },
        credentials: { $ne: null },
        id: { $ne: connection.id },
      },
      // Credentials are lazy: asked for explicitly.
      { orderBy: { updatedAt: 'desc' }, populate: ['credentials'] },
    );
  }
}
