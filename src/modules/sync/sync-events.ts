import type { Logger } from '../../common/logger';
import type { Appointment } from '../appointments/appointment.entity';
import type { ExternalCalendar } from '../calendars/external-calendar.entity';
import type { SyncRun } from './sync-run.entity';
import { Topic, type SyncPubSub } from './sync-topics';

/**
 * Tells live subscribers (GraphQL `syncStatusChanged`, `externalCalendarStatusChanged`,
 * `appointmentExportChanged`) about
 * committed changes. Call it after the transaction that made the change has committed, so that
 * a subscriber who reads the row back sees what it was told. Never rejects: a lost notification
 * must not fail a change that is already stored (subscribers can read `syncRun` again).
 */
export interface SyncEvents {
  /** After every status transition of `run` and after every page whose counters were committed. */
  syncRunChanged(run: SyncRun): Promise<void>;
  /** After `connection.status` changed. */
  externalCalendarStatusChanged(connection: ExternalCalendar): Promise<void>;
  /** After a change of an appointment or of its export status (GraphQL `appointmentExportChanged`). */
  appointmentExportChanged(appointment: Appointment): Promise<void>;
}

/** {@link SyncEvents} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export class PubSubSyncEvents implements SyncEvents {
  constructor(
    private readonly pubSub: SyncPubSub,
    private readonly logger: Logger,
  ) {}

  async syncRunChanged(run: SyncRun): Promise<void> {
    await this.publish(() =>
      this.pubSub.publish(Topic.SYNC_RUN_CHANGED, {
        tenantId: run.tenant.id,
        syncRunId: run.id,
        resourceId: run.resource.id,
        externalCalendarId: run.externalCalendar?.id ?? null,
        kind: run.kind,
        status: run.status,
        pages: run.pages,
        fetched: run.fetched,
        upserted: run.upserted,
        deleted: run.deleted,
        skipped: run.skipped,
        error: run.error,
        errorCode: run.errorCode,
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        occurredAt: new Date().toISOString(),
      }),
    );
  }

  async externalCalendarStatusChanged(connection: ExternalCalendar): Promise<void> {
    await this.publish(() =>
      this.pubSub.publish(Topic.EXTERNAL_CALENDAR_STATUS_CHANGED, {
        tenantId: connection.tenant.id,
        externalCalendarId: connection.id,
        resourceId: connection.resource.id,
        provider: connection.provider,
        status: connection.status,
        lastError: connection.lastError,
        occurredAt: new Date().toISOString(),
      }),
    );
  }

  async appointmentExportChanged(appointment: Appointment): Promise<void> {
    await this.publish(() =>
      this.pubSub.publish(Topic.APPOINTMENT_EXPORT_CHANGED, {
        tenantId: appointment.tenant.id,
        appointmentId: appointment.id,
        resourceId: appointment.resource.id,
        status: appointment.status,
        exportStatus: appointment.exportStatus,
        exportError: appointment.exportError,
        providerEventId: appointment.providerEventId,
        version: appointment.version,
        occurredAt: new Date().toISOString(),
      }),
    );
  }

  private async publish(send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.logger.warn({ err: error }, 'a live status event was not published');
    }
  }
}
