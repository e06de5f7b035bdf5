import type { OutboundTransport } from './http-body';
import { CalDavAdapter } from './caldav/caldav.adapter';
import { GoogleCalendarAdapter } from './google/google-calendar.adapter';
import { GoogleOAuthClient } from './google/google-oauth.client';
import { IcsFeedAdapter } from './ics/ics-feed.adapter';
import { GraphCalendarAdapter } from './microsoft/graph-calendar.adapter';
import { MicrosoftOAuthClient } from './microsoft/microsoft-oauth.client';
import { ProviderKind, type CalendarProvider, type OAuthClient } from './provider';

/** OAuth app credentials and service base URLs of the providers, from the configuration. */
export interface ProviderSettings {
  /** How the adapters of tenant-chosen servers (CalDAV, ICS feeds) reach them. */
  outbound: OutboundTransport;
  google: { clientId?: string; clientSecret?: string; accountsUrl: string; oauthUrl: string; apiUrl: string };
  microsoft: { clientId?: string; clientSecret?: string; tenant: string; loginUrl: string; graphUrl: string };
}

/**
 * This gateway cannot serve the provider: its OAuth app is not configured, it does not connect
 * through OAuth, or it is not supported yet. What a client is told is the modules' business
 * (modules/connections/provider-lookup.ts).
 */
export class ProviderNotConfigured extends Error {
  constructor(
    readonly kind: ProviderKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderNotConfigured';
  }
}

/**
 * The adapters of this process, by provider (`providerFor(kind)` of STYLE.md). Google and
 * Microsoft are available only when their OAuth app is configured.
 */
export class ProviderRegistry {
  private readonly caldav: CalDavAdapter;
  private readonly ics: IcsFeedAdapter;
  private readonly google: { calendar: GoogleCalendarAdapter; oauth: GoogleOAuthClient } | null;
  private readonly microsoft: { calendar: GraphCalendarAdapter; oauth: MicrosoftOAuthClient } | null;

  constructor(settings: ProviderSettings) {
    const { google, microsoft } = settings;
    this.caldav = new CalDavAdapter(settings.outbound);
    this.ics = new IcsFeedAdapter(settings.outbound);
    this.google =
      google.clientId && google.clientSecret
        ? {
            calendar: new GoogleCalendarAdapter({ apiUrl: google.apiUrl }),
            oauth: new GoogleOAuthClient({ ...google, clientId: google.clientId, clientSecret: google.clientSecret }),
          }
        : null;
    this.microsoft =
      microsoft.clientId && microsoft.clientSecret
        ? {
            calendar: new GraphCalendarAdapter({ graphUrl: microsoft.graphUrl }),
            oauth: new MicrosoftOAuthClient({ ...microsoft, clientId: microsoft.clientId, clientSecret: microsoft.clientSecret }),
          }
        : null;
  }

  /** Whether this gateway can connect accounts of the provider. */
  isAvailable(kind: ProviderKind): boolean {
    switch (kind) {
      case ProviderKind.CALDAV:
      case ProviderKind.APPLE:
      case ProviderKind.ICS:
        return true;
      case ProviderKind.GOOGLE:
        return this.google !== null;
      case ProviderKind.MICROSOFT:
        return this.microsoft !== null;
    }
  }

  /** @throws ProviderNotConfigured for a provider that is not configured or not supported yet. */
  providerFor(kind: ProviderKind): CalendarProvider {
    switch (kind) {
      case ProviderKind.CALDAV:
      case ProviderKind.APPLE:
        return this.caldav;
      case ProviderKind.GOOGLE:
        return this.configured(kind, this.google).calendar;
      case ProviderKind.MICROSOFT:
        return this.configured(kind, this.microsoft).calendar;
      case ProviderKind.ICS:
        return this.ics;
    }
  }

  /** @throws ProviderNotConfigured unless the provider connects through a configured OAuth app. */
  oauthClientFor(kind: ProviderKind): OAuthClient {
    if (kind === ProviderKind.GOOGLE) return this.configured(kind, this.google).oauth;
    if (kind === ProviderKind.MICROSOFT) return this.configured(kind, this.microsoft).oauth;
    throw new ProviderNotConfigured(kind, `Provider ${kind} does not connect through OAuth`);
  }

  private configured<T>(kind: ProviderKind, entry: T | null): T {
    if (!entry) {
      throw new ProviderNotConfigured(kind, `Provider ${kind} is not configured on this gateway: set ${kind}_CLIENT_ID and ${kind}_CLIENT_SECRET`);
    }
    return entry;
  }
}
