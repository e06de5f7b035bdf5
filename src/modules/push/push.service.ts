/**
 * Module `push`: provider change notifications (Google channels, Graph subscriptions).
 * - State: PushChannel (its provider id, expiry, token hash).
 * - Jobs: sync_push (debounced incremental syncs), push_maintain (push.jobs.ts); cron: channels
 *   created, renewed and stopped every 5 minutes (push.tasks.ts). Topics: none.
 * - Implements ModuleDeps.push (push-channels.ts) for the connections module.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../common/errors';
import { ProviderError, ProviderKind, type CalendarProvider, type ProviderCredentials } from '../../providers/provider';
import { ConnectionCredentials } from '../connections/connection-credentials';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { SyncConfig } from '../connections/sync-config.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { PushChannel } from './push-channel.entity';
import { hashPushToken, newPushToken } from './push-token';
import { isUnwatchable, markUnwatchable } from './unwatchable-calendars';

/** Channels expiring sooner than this are renewed; maintenance runs every 5 minutes, so there are a dozen tries. */
export const RENEW_BEFORE_MS = 60 * 60_000;

/** Where each push provider POSTs its notifications, below the push base URL. */
export const WEBHOOK_PATHS: Partial<Record<ProviderKind, string>> = {
  [ProviderKind.GOOGLE]: '/webhooks/google',
  [ProviderKind.MICROSOFT]: '/webhooks/microsoft',
};

/**
 * Where each provider with lifecycle notifications POSTs them, below the push base URL. Graph
 * allows the notification URL itself; Calsync uses it, since the items must be told apart by
 * their `lifecycleEvent` anyway (Graph may batch several, of different events, in one POST).
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export const LIFECYCLE_PATHS: Partial<Record<ProviderKind, string>> = {
  [ProviderKind.MICROSOFT]: '/webhooks/microsoft',
};

/** What one maintenance pass over a connection did; `failures` are messages for the log. */
export interface PushMaintenance {
  created: number;
  renewed: number;
  stopped: number;
  failures: string[];
}

/** Whether a connection of this provider gets push channels on this gateway: push is configured, the provider has it and is set up. */
export function pushSupported(deps: Pick<ModuleDeps, 'pushUrl' | 'providers'>, provider: ProviderKind): boolean {
  return deps.pushUrl !== null && WEBHOOK_PATHS[provider] !== undefined && deps.providers.isAvailable(provider);
}

/**
 * The push channels of connections (Google `events.watch` channels, Graph subscriptions): one
 * per read calendar of a CONNECTED connection with import on, while push is configured
 * (ModuleDeps.pushUrl), renewed before they expire, stopped when no longer wanted.
 * @see https://developers.google.com/calendar/api/guides/push
 * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 */
export class PushService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /** Whether a connection of this provider gets push channels on this gateway. */
  supportsPush(provider: ProviderKind): boolean {
    return pushSupported(this.deps, provider);
  }

  /**
   * Brings the channels of one connection in line with its read calendars: stops those of
   * calendars no longer wanted, renews those expiring within {@link RENEW_BEFORE_MS} (Graph:
   * PATCH; Google: a new channel, then the old one stopped), replaces (counted as renewed) those
   * whose lifecycle URL is not the current one (Graph subscriptions made before Calsync asked for
   * lifecycle notifications: the URL can only be set at creation), and opens the missing ones. A
   * failure on one calendar is reported and the others go on; channels that cannot be stopped
   * at the provider (credentials gone) are forgotten anyway and expire there on their own.
   */
  async maintain(externalCalendarId: string): Promise<PushMaintenance> {
    const report: PushMaintenance = { created: 0, renewed: 0, stopped: 0, failures: [] };
    const connection = await this.em.findOne(ExternalCalendar, { id: externalCalendarId });
    if (!connection) return report;
    const channels = await this.em.find(PushChannel, { externalCalendar: connection });
    const wanted = await this.wantedCalendars(connection);
    const wantedIds = new Set(wanted.map((calendar) => calendar.id));
    const unwanted = channels.filter((channel) => !wantedIds.has(channel.providerCalendar.id));
    const access = this.lazyAccess(connection);

    for (const channel of unwanted) {
      const failure = await this.stop(connection, channel, access);
      if (failure) report.failures.push(failure);
      report.stopped += 1;
    }
    const renewBy = Date.now() + RENEW_BEFORE_MS;
    for (const calendar of wanted) {
      const current = channels.find((channel) => channel.providerCalendar.id === calendar.id);
      try {
        if (!current) {
          await this.open(connection, calendar, await access());
          report.created += 1;
        } else if (current.lifecycleUrl !== this.lifecycleAddress(connection.provider)) {
          await this.replace(connection, calendar, current, await access());
          report.renewed += 1;
        } else if (current.expiresAt.getTime() < renewBy) {
          await this.renew(connection, calendar, current, await access());
          report.renewed += 1;
        }
      } catch (error) {
        if (!(error instanceof ProviderError || error instanceof AppError)) throw error;
        report.failures.push(`${connection.provider} calendar ${calendar.providerCalendarId}: ${error.message}`);
        // Refused credentials fail every calendar alike: the next pass tries again.
        if (error instanceof AppError || error.code === 'AUTH_REVOKED') break;
      }
    }
    return report;
  }

  /**
   * Stops every channel of a connection at the provider, best effort, and forgets them; for
   * `disconnectExternalCalendar`, before the credentials go.
   */
  async stopAll(connection: ExternalCalendar): Promise<void> {
    const channels = await this.em.find(PushChannel, { externalCalendar: connection });
    const access = this.lazyAccess(connection);
    for (const channel of channels) await this.stop(connection, channel, access);
  }

  /** Read calendars that should have a channel: none unless the connection is CONNECTED, imports, and push is on. */
  private async wantedCalendars(connection: ExternalCalendar): Promise<ProviderCalendar[]> {
    if (connection.status !== ExternalCalendarStatus.CONNECTED || !this.supportsPush(connection.provider)) return [];
    if (!this.providerOf(connection).watch) return [];
    const config = await this.em.findOne(SyncConfig, { externalCalendar: connection });
    if (!config?.importEnabled) return [];
    // A calendar the provider refused to watch for good is polled by the normal syncs instead.
    return this.em.find(ProviderCalendar, { externalCalendar: connection, read: true, removedAt: null, pushUnsupportedAt: null }, { orderBy: { id: 'asc' } });
  }

  private async open(connection: ExternalCalendar, calendar: ProviderCalendar, access: ProviderCredentials): Promise<void> {
    const provider = this.providerOf(connection);
    const token = newPushToken();
    const address = `${this.deps.pushUrl}${WEBHOOK_PATHS[connection.provider]}`;
    const lifecycleAddress = this.lifecycleAddress(connection.provider) ?? undefined;
    const opened = await provider.watch!(access, calendar.providerCalendarId, { address, token, lifecycleAddress }).catch(async (error: unknown) => {
      if (isUnwatchable(error)) await markUnwatchable(this.em, calendar);
      throw error;
    });
    const now = new Date();
    try {
      await this.em.insert(PushChannel, {
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
        tenant: connection.tenant.id,
        externalCalendar: connection.id,
        providerCalendar: calendar.id,
        provider: connection.provider,
        channelId: opened.channelId,
        resourceId: opened.resourceId,
        tokenHash: hashPushToken(token),
        lifecycleUrl: lifecycleAddress ?? null,
        expiresAt: opened.expiresAt,
      });
    } catch (error) {
      // The calendar or connection went while the provider answered: leave no channel behind.
      await provider.unwatch?.(access, opened).catch(() => undefined);
      throw error;
    }
  }

  private async renew(connection: ExternalCalendar, calendar: ProviderCalendar, channel: PushChannel, access: ProviderCredentials): Promise<void> {
    const provider = this.providerOf(connection);
    if (provider.renew) {
      try {
        // The longest the provider grants: the adapter caps what is asked.
        const expiresAt = await provider.renew(access, channel, new Date(Date.now() + 7 * 86_400_000));
        await this.em.nativeUpdate(PushChannel, { id: channel.id }, { expiresAt });
        return;
      } catch (error) {
        // Graph removed the subscription (expired, or deleted on its side): open a new one.
        if (!(error instanceof ProviderError && error.code === 'NOT_FOUND')) throw error;
      }
    }
    await this.replace(connection, calendar, channel, access);
  }

  /** A new channel first, so that no change goes unnoticed between the two, then the old one stopped. */
  private async replace(connection: ExternalCalendar, calendar: ProviderCalendar, channel: PushChannel, access: ProviderCredentials): Promise<void> {
    await this.open(connection, calendar, access);
    await this.stop(connection, channel, async () => access);
  }

  /** The lifecycle URL a new channel of this provider gets, or null when the provider sends no lifecycle notifications. */
  private lifecycleAddress(provider: ProviderKind): string | null {
    const path = LIFECYCLE_PATHS[provider];
    return path === undefined ? null : `${this.deps.pushUrl}${path}`;
  }

  /** Stops one channel at the provider (failures reported, not thrown) and deletes its row. */
  private async stop(connection: ExternalCalendar, channel: PushChannel, access: () => Promise<ProviderCredentials>): Promise<string | null> {
    let failure: string | null = null;
    try {
      await this.providerOf(connection).unwatch?.(await access(), channel);
    } catch (error) {
      if (!(error instanceof ProviderError || error instanceof AppError)) throw error;
      failure = `${connection.provider} channel ${channel.channelId} could not be stopped (it expires ${channel.expiresAt.toISOString()}): ${error.message}`;
    }
    await this.em.nativeDelete(PushChannel, { id: channel.id });
    return failure;
  }

  /** The connection's credentials, fetched (and refreshed) on first use only, once. */
  private lazyAccess(connection: ExternalCalendar): () => Promise<ProviderCredentials> {
    let pending: Promise<ProviderCredentials> | null = null;
    const credentials = new ConnectionCredentials(this.em, this.deps.secrets, this.deps.providers);
    return () => (pending ??= credentials.forProvider(connection));
  }

  private providerOf(connection: ExternalCalendar): CalendarProvider {
    return this.deps.providers.providerFor(connection.provider);
  }
}
