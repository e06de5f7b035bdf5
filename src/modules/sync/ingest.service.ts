import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../common/crypto';
import { AppError, badInput, ErrorCode } from '../../common/errors';
import { requireWindow } from '../../common/validate';
import { ProviderError, type TimeWindow } from '../../providers/provider';
import { providerFor } from '../../providers/registry';
import { CalendarService, requireActive } from '../calendars/calendar.service';
import { ExternalCalendar, ExternalCalendarStatus } from '../calendars/external-calendar.entity';
import { ProviderCalendar } from '../calendars/provider-calendar.entity';
import { SyncConfig } from '../calendars/sync-config.entity';
import { replaceWindow } from '../events/event-store';
import { ResourceService } from '../resources/resource.service';
import type { Tenant } from '../tenancy/tenant.entity';
import type { IngestExternalEventsInput } from './ingest.inputs';
import { MAX_SKIP_REASONS, SyncRun, SyncRunKind, SyncRunStatus } from './sync-run.entity';

/**
 * Ingests the events of connections over a window (OnSched's createUnavailabilityBulk): for
 * every read calendar, fetch the occurrences overlapping the window and make the stored ones
 * equal to them. Each calendar is committed in one transaction together with the run's
 * counters, so a crash loses or duplicates nothing and a re-run changes nothing.
 */
export class IngestService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Runs an ingest and returns its finished SyncRun (SUCCEEDED, or FAILED with `error` when a
   * provider failed; calendars that were fetched before the failure stay stored). A refused
   * credential moves the connection to REAUTH_REQUIRED, a missing calendar or an unexpected
   * answer to ERROR; a successful ingest makes it CONNECTED again.
   * @throws AppError BAD_USER_INPUT (ids, window), NOT_FOUND, FAILED_PRECONDITION (nothing to ingest).
   */
  async ingest(tenant: Tenant, input: IngestExternalEventsInput): Promise<SyncRun> {
    const window = requireWindow(input.from, input.to);
    const connections = await this.connectionsFor(input);
    const run = this.em.create(SyncRun, {
      tenant,
      resource: connections[0].resource,
      externalCalendar: input.externalCalendarId ? connections[0] : null,
      kind: SyncRunKind.RANGE,
      status: SyncRunStatus.RUNNING,
      windowFrom: window.from,
      windowTo: window.to,
      startedAt: new Date(),
    });
    await this.em.flush();

    const errors: string[] = [];
    for (const connection of connections) {
      const error = await this.ingestConnection(run, connection, window);
      if (error) errors.push(error);
    }
    run.status = errors.length > 0 ? SyncRunStatus.FAILED : SyncRunStatus.SUCCEEDED;
    run.error = errors.length > 0 ? errors.join('; ') : null;
    run.finishedAt = new Date();
    await this.em.flush();
    return run;
  }

  private async connectionsFor(input: IngestExternalEventsInput): Promise<ExternalCalendar[]> {
    if (Boolean(input.resourceId) === Boolean(input.externalCalendarId)) {
      throw badInput('input.resourceId', 'Give exactly one of resourceId and externalCalendarId');
    }
    if (input.externalCalendarId) {
      const connection = await new CalendarService(this.em, this.secrets).get(input.externalCalendarId, 'input.externalCalendarId');
      requireActive(connection);
      return [connection];
    }
    const resource = await new ResourceService(this.em).get(input.resourceId!, 'input.resourceId');
    const connections = await this.em.find(
      ExternalCalendar,
      { resource, status: { $in: [ExternalCalendarStatus.CONNECTED, ExternalCalendarStatus.ERROR] } },
      { orderBy: { createdAt: 'asc' } },
    );
    const configs = await this.em.find(SyncConfig, { externalCalendar: { $in: connections }, importEnabled: true });
    const importing = connections.filter((connection) => configs.some((config) => config.externalCalendar.id === connection.id));
    if (importing.length === 0) {
      throw new AppError(ErrorCode.FAILED_PRECONDITION, `Resource '${resource.id}' has no connected external calendar with import enabled`, 'input.resourceId');
    }
    return importing;
  }

  /** Ingests every read calendar of one connection; returns why it failed, or null. */
  private async ingestConnection(run: SyncRun, connection: ExternalCalendar, window: TimeWindow): Promise<string | null> {
    const config = await this.em.findOneOrFail(SyncConfig, { externalCalendar: connection });
    const resource = await new ResourceService(this.em).get(connection.resource.id);
    const calendars = await this.em.find(ProviderCalendar, { externalCalendar: connection, read: true });
    const provider = providerFor(connection.provider);
    try {
      const credentials = await new CalendarService(this.em, this.secrets).credentialsOf(connection);
      for (const calendar of calendars) {
        const fetched = await provider.fetchEvents(credentials, calendar.providerCalendarId, { window, timeZone: resource.timeZone });
        await this.em.transactional(async (em) => {
          const result = await replaceWindow(
            em,
            {
              tenantId: run.tenant.id,
              resourceId: resource.id,
              externalCalendarId: connection.id,
              providerCalendarId: calendar.id,
              privateImport: config.privateImport,
            },
            window,
            fetched.events,
          );
          run.fetched += fetched.events.length;
          run.upserted += result.upserted;
          run.deleted += result.deleted;
          run.skipped += fetched.skipped.length;
          const room = MAX_SKIP_REASONS - run.skipReasons.length;
          if (room > 0) {
            run.skipReasons = [
              ...run.skipReasons,
              ...fetched.skipped.slice(0, room).map((skip) => ({ providerCalendarId: calendar.id, uid: skip.uid, reason: skip.reason })),
            ];
          }
          const { fetched: f, upserted, deleted, skipped, skipReasons } = run;
          await em.nativeUpdate(SyncRun, { id: run.id }, { fetched: f, upserted, deleted, skipped, skipReasons });
          await em.nativeUpdate(ProviderCalendar, { id: calendar.id }, { lastSyncedAt: new Date() });
        });
      }
      connection.lastSyncedAt = new Date();
      connection.lastError = null;
      connection.status = ExternalCalendarStatus.CONNECTED;
      return null;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      connection.lastError = error.message;
      // A temporary failure leaves the connection CONNECTED; a refused password needs the owner.
      if (error.code === 'AUTH_REVOKED') connection.status = ExternalCalendarStatus.REAUTH_REQUIRED;
      else if (error.code !== 'TEMPORARY') connection.status = ExternalCalendarStatus.ERROR;
      return `${connection.provider} ${connection.accountEmail ?? connection.id}: ${error.message}`;
    }
  }
}
