/**
 * Module `connections`: a resource's connections to external calendar accounts.
 * - State: ExternalCalendar (a connection: provider, sealed credentials, status, sync cursor
 *   schedule), ProviderCalendar (the account's calendars, read/write selection), SyncConfig,
 *   OAuthState (consent links).
 * - connection-lifecycle.ts is the only writer of a connection's status (PENDING, CONNECTED,
 *   ERROR, REAUTH_REQUIRED, DISCONNECTED); provider-lookup.ts turns the provider layer's errors
 *   into client errors.
 * - Topics: EXTERNAL_CALENDAR_STATUS_CHANGED (connection.topics.ts). Jobs: none of its own; it asks
 *   push, appointments and events through ModuleDeps.push, ModuleDeps.exports and
 *   ModuleDeps.calendarEvents, so that none of them is imported. It adds Resource.externalCalendars
 *   (resource-connections.resolver.ts), so that resources need not know connections.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, ErrorCode, notFound } from '../../common/errors';
import { isId, requireIntInRange, requireText } from '../../common/validate';
import { ICLOUD_CALDAV_URL } from '../../providers/caldav/caldav.adapter';
import { OAUTH_PROVIDERS, ProviderKind, type CalDavCredentials } from '../../providers/provider';
import type { ExportChanges, ModuleDeps } from '../shared/module-deps';
import { selectReadRows, type ReadRow } from '../shared/read-rows';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import type { ConnectByCredentialsInput, SelectCalendarsInput, SyncConfigInput, UpdateCredentialsInput } from './connection.inputs';
import { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';
import { replaceCalendars } from './provider-calendar-list';
import { ConnectionLifecycle } from './connection-lifecycle';
import { ConnectionCredentials } from './connection-credentials';
import { SharedGrant } from './shared-grant';
import { ProviderCalendar } from './provider-calendar.entity';
import { rethrowForClient } from './provider-error';
import { SyncConfig } from './sync-config.entity';

const CREDENTIAL_PROVIDERS = new Set([ProviderKind.CALDAV, ProviderKind.APPLE]);

/** Connections of resources to provider accounts, their calendars and sync settings. */
export class ConnectionService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /** @throws AppError NOT_FOUND when the id names no connection of the tenant. */
  async get(id: string, field = 'id'): Promise<ExternalCalendar> {
    const calendar = isId(id) ? await this.em.findOne(ExternalCalendar, { id }) : null;
    if (!calendar) throw notFound('ExternalCalendar', id, field);
    return calendar;
  }

  /** Connections of a resource, oldest first, optionally of one status, as read rows. @throws AppError NOT_FOUND for the resource. */
  async list(resourceId: string, status: ExternalCalendarStatus | null | undefined): Promise<ReadRow<ExternalCalendar>[]> {
    const resource = await new ResourceService(this.em).get(resourceId, 'resourceId');
    return selectReadRows(
      this.em,
      ExternalCalendar,
      status ? 'r.resource_id = ? and r.status = ?' : 'r.resource_id = ?',
      status ? [resource.id, status] : [resource.id],
      'order by r.created_at, r.id',
    );
  }

  /** Calendars of a connection, primary first. @throws AppError NOT_FOUND for the connection. */
  async providerCalendars(externalCalendarId: string): Promise<ProviderCalendar[]> {
    const connection = await this.get(externalCalendarId, 'externalCalendarId');
    return this.em.find(ProviderCalendar, { externalCalendar: connection }, { orderBy: { primary: 'desc', name: 'asc', id: 'asc' } });
  }

  /**
   * Connects a CalDAV account: logs in and discovers its calendars before anything is stored,
   * then stores the connection (CONNECTED, password sealed with AES-256-GCM), its default
   * SyncConfig and its calendars (none selected yet) in one transaction, and tells subscribers.
   * @throws AppError NOT_FOUND (resource), BAD_USER_INPUT (provider, serverUrl, username,
   *   password, or no CalDAV service at the URL), PROVIDER_AUTH_REQUIRED (credentials refused),
   *   PROVIDER_UNAVAILABLE (server unreachable or failing).
   */
  async connectByCredentials(tenant: Tenant, input: ConnectByCredentialsInput): Promise<ExternalCalendar> {
    const resource = await new ResourceService(this.em).get(input.resourceId, 'input.resourceId');
    if (!CREDENTIAL_PROVIDERS.has(input.provider)) {
      throw badInput('input.provider', `${input.provider} connects through OAuth; use connectExternalCalendar`);
    }
    const credentials = credentialsOf(input.serverUrl ?? (input.provider === ProviderKind.APPLE ? ICLOUD_CALDAV_URL : null), input.username, input.password);
    const discovered = await this.login(input.provider, credentials);

    const lifecycle = new ConnectionLifecycle(this.deps);
    const connection = await this.em.transactional(async (em) => {
      const connection = lifecycle.createConnected(em, {
        tenant,
        resource,
        provider: input.provider,
        accountEmail: credentials.username,
        serverUrl: credentials.serverUrl,
      });
      new ConnectionCredentials(em, this.deps.secrets, this.deps.providers).seal(connection, credentials);
      em.create(SyncConfig, { tenant, externalCalendar: connection });
      await replaceCalendars(em, connection, discovered, this.deps);
      return connection;
    });
    await lifecycle.announce();
    return connection;
  }

  /**
   * Replaces the user name and password of a CalDAV or Apple connection in place (a changed
   * password, a new app-specific password): logs in with them first, and only when that works
   * seals them, marks the connection CONNECTED, refreshes its calendar list (selection kept) and
   * queues again the exports that failed on the old password. Nothing changes when the login fails.
   * @throws AppError NOT_FOUND, BAD_USER_INPUT (an OAuth connection, empty password, no CalDAV
   *   service any more), FAILED_PRECONDITION (disconnected), PROVIDER_AUTH_REQUIRED (the new
   *   credentials are refused too), PROVIDER_UNAVAILABLE, PROVIDER_ERROR.
   */
  async updateCredentials(input: UpdateCredentialsInput): Promise<ExternalCalendar> {
    const connection = await this.get(input.externalCalendarId, 'input.externalCalendarId');
    requireActive(connection);
    if (!CREDENTIAL_PROVIDERS.has(connection.provider)) {
      throw badInput('input.externalCalendarId', `${connection.provider} connections sign in through OAuth; use regenerateAuthUrl`);
    }
    const credentials = credentialsOf(connection.serverUrl, input.username ?? connection.accountEmail ?? '', input.password);
    const discovered = await this.login(connection.provider, credentials);
    let changed: ExportChanges = [];
    const lifecycle = new ConnectionLifecycle(this.deps);
    const updated = await this.em.transactional(async (em) => {
      const current = await new ConnectionService(em, this.deps).get(connection.id);
      new ConnectionCredentials(em, this.deps.secrets, this.deps.providers).seal(current, credentials);
      Object.assign(current, { accountEmail: credentials.username, lastError: null, failureCount: 0, nextSyncAt: null });
      lifecycle.credentialsAccepted(current);
      changed = [...(await replaceCalendars(em, current, discovered, this.deps)), ...(await this.deps.exports.retryFailed(em, current))];
      return current;
    });
    await lifecycle.announce();
    for (const appointment of changed) await this.deps.publish.appointmentExportChanged(appointment);
    return updated;
  }

  /**
   * Lists the connection's calendars at the provider again: new ones appear unselected, known
   * ones keep their selection, vanished ones are marked removed and stop syncing (see
   * replaceCalendars). The daily full sync does the same.
   * @throws AppError NOT_FOUND, FAILED_PRECONDITION (disconnected or waiting for consent),
   *   PROVIDER_AUTH_REQUIRED, PROVIDER_UNAVAILABLE, PROVIDER_ERROR.
   */
  async refreshCalendars(externalCalendarId: string): Promise<ExternalCalendar> {
    const connection = await this.get(externalCalendarId, 'externalCalendarId');
    requireActive(connection);
    const access = await new ConnectionCredentials(this.em, this.deps.secrets, this.deps.providers)
      .forProvider(connection)
      .catch((error: unknown) => rethrowForClient(error));
    const discovered = await this.deps.providers
      .providerFor(connection.provider)
      .listCalendars(access)
      .catch((error: unknown) => rethrowForClient(error));
    const changed = await this.em.transactional(async (em) =>
      replaceCalendars(em, await new ConnectionService(em, this.deps).get(connection.id), discovered, this.deps),
    );
    for (const appointment of changed) await this.deps.publish.appointmentExportChanged(appointment);
    await this.maintainPushLater(connection);
    return connection;
  }

  /** Logs in and lists the calendars, before anything is stored. */
  private login(provider: ProviderKind, credentials: CalDavCredentials) {
    return this.deps.providers
      .providerFor(provider)
      .listCalendars(credentials)
      .catch((error: unknown) => rethrowForClient(error, 'input.serverUrl'));
  }

  /**
   * Chooses the read calendars of a connection and, optionally, the resource's one write
   * calendar. The previous write calendar of the resource, in any connection, is cleared in the
   * same transaction; the partial unique index `provider_calendar_one_write_per_resource` makes
   * a concurrent choice fail with CONFLICT instead of leaving two.
   * @throws AppError NOT_FOUND (connection), BAD_USER_INPUT (an id not of this connection; a
   *   write calendar the account may not write to, per its privileges, or one removed at the
   *   provider), FAILED_PRECONDITION (disconnected).
   */
  async selectCalendars(input: SelectCalendarsInput): Promise<ExternalCalendar> {
    let retargeted: ExportChanges = [];
    const connection = await this.em.transactional(async (em) => {
      const service = new ConnectionService(em, this.deps);
      const connection = await service.get(input.externalCalendarId, 'input.externalCalendarId');
      requireActive(connection);
      const calendars = await em.find(ProviderCalendar, { externalCalendar: connection });
      const byId = new Map(calendars.map((calendar) => [calendar.id, calendar]));
      input.readCalendarIds.forEach((id, index) => {
        if (!byId.has(id)) throw badInput(`input.readCalendarIds[${index}]`, `Calendar '${id}' is not a calendar of this connection`);
      });
      const writeCalendar = input.writeCalendarId ? byId.get(input.writeCalendarId) : null;
      if (input.writeCalendarId && !writeCalendar) {
        throw badInput('input.writeCalendarId', `Calendar '${input.writeCalendarId}' is not a calendar of this connection`);
      }
      if (writeCalendar?.removedAt) {
        throw badInput('input.writeCalendarId', `Calendar '${writeCalendar.name}' was removed at the provider and cannot take appointments`);
      }
      if (writeCalendar && !writeCalendar.canWrite) {
        throw badInput('input.writeCalendarId', `Calendar '${writeCalendar.name}' is read-only for this account: it cannot take appointments`);
      }
      const readIds = new Set(input.readCalendarIds);
      for (const calendar of calendars) {
        calendar.read = readIds.has(calendar.id);
        calendar.write = false;
      }
      if (writeCalendar) {
        await em.nativeUpdate(ProviderCalendar, { resource: connection.resource, write: true }, { write: false });
        await em.flush();
        writeCalendar.write = true;
      }
      // A calendar that stops being read stops blocking: its cached events go.
      const unread = calendars.filter((calendar) => !calendar.read);
      await this.deps.calendarEvents.removeFor(em, unread);
      await em.flush();
      retargeted = await this.deps.exports.retarget(em, connection.resource.id, input.moveExisting);
      return connection;
    });
    await this.maintainPushLater(connection);
    for (const appointment of retargeted) await this.deps.publish.appointmentExportChanged(appointment);
    return connection;
  }

  /** Push channels follow the read calendars and the import switch, outside the request: opening one calls the provider. */
  private async maintainPushLater(connection: ExternalCalendar): Promise<void> {
    await this.deps.push.maintainLater(connection);
  }

  /**
   * Changes the sync settings of a connection. Switching `privateImport` on erases the titles
   * already stored.
   * @throws AppError NOT_FOUND (connection), BAD_USER_INPUT (window days out of range).
   */
  async updateSyncConfig(externalCalendarId: string, input: SyncConfigInput): Promise<SyncConfig> {
    let retargeted: ExportChanges = [];
    const config = await this.em.transactional(async (em) => {
      const connection = await new ConnectionService(em, this.deps).get(externalCalendarId, 'externalCalendarId');
      const config = await em.findOneOrFail(SyncConfig, { externalCalendar: connection });
      if (input.syncWindowDaysBack != null) config.syncWindowDaysBack = requireIntInRange('input.syncWindowDaysBack', input.syncWindowDaysBack, 0, 366);
      if (input.syncWindowDaysAhead != null) config.syncWindowDaysAhead = requireIntInRange('input.syncWindowDaysAhead', input.syncWindowDaysAhead, 1, 366);
      for (const flag of ['importEnabled', 'exportEnabled', 'privateImport', 'privateExport', 'inviteAttendees', 'tentativeIsBusy', 'allDayIsBusy'] as const) {
        const value = input[flag];
        if (value != null) config[flag] = value;
      }
      if (input.privateImport) await this.deps.calendarEvents.hideTitles(em, connection);
      if (input.exportEnabled != null) {
        await em.flush();
        retargeted = await this.deps.exports.retarget(em, connection.resource.id, input.moveExisting);
      }
      return config;
    });
    for (const appointment of retargeted) await this.deps.publish.appointmentExportChanged(appointment);
    if (input.importEnabled != null) await this.maintainPushLater(config.externalCalendar);
    return config;
  }

  /**
   * Disconnects: stops the connection's push channels (best effort: an unstopped one expires at
   * the provider, and its notifications are refused), revokes the grant where the provider can (Google) unless another live
   * connection of the tenant shares it, forgets the credentials,
   * removes the connection's calendars and cached events (they stop blocking at once) and marks
   * it DISCONNECTED, then tells subscribers. A failed revocation does not keep the connection:
   * the tokens are forgotten anyway. Disconnecting twice is harmless and tells nobody again.
   * @throws AppError NOT_FOUND.
   */
  async disconnect(id: string): Promise<ExternalCalendar> {
    const connection = await this.get(id);
    // Before the revocation: stopping a channel needs a valid token.
    await this.deps.push.stopAll(this.em, connection);
    if (OAUTH_PROVIDERS.has(connection.provider)) {
      const tokens = await new ConnectionCredentials(this.em, this.deps.secrets, this.deps.providers).oauthTokens(connection);
      // Another resource of the tenant may use the same grant (SharedGrant): revoking it would cut that one off.
      if (tokens && !(await new SharedGrant(this.em, this.deps.secrets).inUseElsewhere(connection, tokens.refreshToken)))
        await this.deps.providers
          .oauthClientFor(connection.provider)
          .revoke(tokens)
          .catch(() => undefined);
    }
    let cancelled: ExportChanges = [];
    const lifecycle = new ConnectionLifecycle(this.deps);
    const disconnected = await this.em.transactional(async (em) => {
      const current = await new ConnectionService(em, this.deps).get(id);
      cancelled = await this.deps.exports.cancelFor(em, current);
      await this.deps.calendarEvents.removeForConnection(em, current);
      await em.nativeDelete(ProviderCalendar, { externalCalendar: current });
      current.credentials = null;
      lifecycle.disconnected(current);
      current.lastError = null;
      return current;
    });
    await lifecycle.announce();
    for (const appointment of cancelled) await this.deps.publish.appointmentExportChanged(appointment);
    return disconnected;
  }
}

/** @throws AppError FAILED_PRECONDITION when the connection was disconnected. */
export function requireActive(connection: ExternalCalendar): void {
  if (connection.status === ExternalCalendarStatus.DISCONNECTED) {
    throw new AppError(ErrorCode.FAILED_PRECONDITION, `ExternalCalendar '${connection.id}' is disconnected; connect the account again`);
  }
}

/** Checked CalDAV credentials. @throws AppError BAD_USER_INPUT naming the field at fault. */
function credentialsOf(serverUrl: string | null, username: string, password: string): CalDavCredentials {
  const checked = { serverUrl: requireHttpUrl('input.serverUrl', serverUrl), username: requireText('input.username', username, 320), password };
  if (password === '') throw badInput('input.password', 'input.password must not be empty');
  return checked;
}

function requireHttpUrl(field: string, value: string | null): string {
  if (!value) throw badInput(field, `${field} is required for a CalDAV server`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput(field, `${field} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(field, `${field} must be an http(s) URL`);
  return url.toString();
}
