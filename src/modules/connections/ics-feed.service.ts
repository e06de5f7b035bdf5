import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../common/errors';
import { requireText } from '../../common/validate';
import { FeedUrlError, feedUrlOf, maskedFeedUrl } from '../../providers/ics/feed-url';
import { ProviderError, ProviderKind, type DiscoveredCalendar, type IcsFeedCredentials } from '../../providers/provider';
import { ResourceService } from '../resources/resource.service';
import type { ModuleDeps } from '../shared/module-deps';
import type { Tenant } from '../tenancy/tenant.entity';
import { ConnectionCredentials } from './connection-credentials';
import { ConnectionLifecycle } from './connection-lifecycle';
import { ConnectionService, requireActive } from './connection.service';
import { ExternalCalendar } from './external-calendar.entity';
import type { ConnectIcsFeedInput, UpdateIcsFeedInput } from './ics-feed.inputs';
import { ProviderCalendar } from './provider-calendar.entity';
import { replaceCalendars } from './provider-calendar-list';
import { SyncConfig } from './sync-config.entity';

/**
 * ICS feed connections: a resource subscribed to a published calendar's address. The address is
 * read before anything is stored, sealed like a password, and shown only masked; the feed is one
 * read-only calendar, read from the start, never a write calendar.
 */
export class IcsFeedService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /**
   * Fetches the feed, and only when it answers with an iCalendar file stores the connection
   * (CONNECTED, export off), its SyncConfig and its one calendar, selected for reading, in one
   * transaction. The scheduled sync reads it within a minute; `syncExternalCalendar` at once.
   * @throws AppError NOT_FOUND (resource), BAD_USER_INPUT naming `input.url` (not a feed address,
   *   a refused address, no answer, not iCalendar, too large or too slow, with the reason) or
   *   `input.name`.
   */
  async connect(tenant: Tenant, input: ConnectIcsFeedInput): Promise<ExternalCalendar> {
    const resource = await new ResourceService(this.em).get(input.resourceId, 'input.resourceId');
    const url = requireFeedUrl(input.url);
    const name = input.name == null ? null : requireText('input.name', input.name);
    const [calendar] = await this.read(url);
    const lifecycle = new ConnectionLifecycle(this.deps);
    const connection = await this.em.transactional(async (em) => {
      const connection = lifecycle.createConnected(em, { tenant, resource, provider: ProviderKind.ICS, serverUrl: maskedFeedUrl(url) });
      this.seal(em, connection, url);
      em.create(SyncConfig, { tenant, externalCalendar: connection, exportEnabled: false });
      await replaceCalendars(em, connection, [{ ...calendar!, name: name ?? calendar!.name }], this.deps);
      await em.flush();
      await em.nativeUpdate(ProviderCalendar, { externalCalendar: connection }, { read: true });
      return connection;
    });
    await lifecycle.announce();
    return connection;
  }

  /**
   * Replaces the feed's address in place (Google and Outlook rotate secret addresses): fetches the
   * new one first, and only when it answers seals it, marks the connection CONNECTED and forgets
   * the old validators, so that the next sync reads the new feed whole. Nothing changes when the
   * fetch fails.
   * @throws AppError NOT_FOUND, BAD_USER_INPUT (not an ICS connection; `input.url` as for
   *   {@link connect}), FAILED_PRECONDITION (disconnected).
   */
  async updateUrl(input: UpdateIcsFeedInput): Promise<ExternalCalendar> {
    const connection = await new ConnectionService(this.em, this.deps).get(input.externalCalendarId, 'input.externalCalendarId');
    requireActive(connection);
    if (connection.provider !== ProviderKind.ICS) throw badInput('input.externalCalendarId', `${connection.provider} connections have no feed address`);
    const url = requireFeedUrl(input.url);
    await this.read(url);
    const lifecycle = new ConnectionLifecycle(this.deps);
    const updated = await this.em.transactional(async (em) => {
      const current = await new ConnectionService(em, this.deps).get(connection.id);
      this.seal(em, current, url);
      Object.assign(current, { serverUrl: maskedFeedUrl(url), lastError: null, failureCount: 0, nextSyncAt: null });
      lifecycle.credentialsAccepted(current);
      await em.nativeUpdate(ProviderCalendar, { externalCalendar: current }, { syncCursor: null, lastError: null, failureCount: 0, retryAt: null });
      return current;
    });
    await lifecycle.announce();
    return updated;
  }

  /** The feed's one calendar; every failure is the client's address's fault, named as `input.url`. */
  private read(url: URL): Promise<DiscoveredCalendar[]> {
    const credentials: IcsFeedCredentials = { feedUrl: url.toString() };
    return this.deps.providers
      .providerFor(ProviderKind.ICS)
      .listCalendars(credentials)
      .catch((error: unknown) => {
        throw error instanceof ProviderError ? badInput('input.url', error.message) : error;
      });
  }

  private seal(em: EntityManager, connection: ExternalCalendar, url: URL): void {
    new ConnectionCredentials(em, this.deps.secrets, this.deps.providers).seal(connection, { feedUrl: url.toString() });
  }
}

/** @throws AppError BAD_USER_INPUT naming `input.url`. */
function requireFeedUrl(value: string): URL {
  try {
    return feedUrlOf(value);
  } catch (error) {
    if (error instanceof FeedUrlError) throw badInput('input.url', error.message);
    throw error;
  }
}
