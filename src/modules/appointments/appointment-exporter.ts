import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../../common/errors';
import { keepAlive } from '../../common/lease';
import { metrics } from '../../common/metrics';
import { ProviderError, type CalendarWriter, type ExportEvent, type ExportedEventRef } from '../../providers/provider';
import { ConnectionCredentials } from '../connections/connection-credentials';
import { ConnectionLifecycle } from '../connections/connection-lifecycle';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import type { ProviderCalendar } from '../connections/provider-calendar.entity';
import { toAppError } from '../connections/provider-error';
import { SyncConfig } from '../connections/sync-config.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { Appointment, AppointmentStatus, ExportStatus } from './appointment.entity';
import { NO_TARGET } from './appointment-targets';

/** A failure that retrying cannot mend: the export stays FAILED until something changes. */
class FinalExportFailure extends Error {}

/**
 * Brings the event of one appointment in line with the appointment (the worker side of the
 * outbox). Idempotent, so that a job retried after a crash lands on the same event:
 * 1. an event in a calendar that is no longer the appointment's target (moved, cancelled) is deleted there;
 * 2. an appointment with a target is created there (deterministic exportId, see ExportEvent) or,
 *    when its event exists but holds an older version, updated.
 * The event reference is committed right after each provider write. A revoked grant puts the
 * connection to REAUTH_REQUIRED and stops retrying; temporary failures are rethrown for
 * graphile-worker's backoff. The appointment's own fields are never written here, so a
 * reschedule committed meanwhile is not overwritten (its job runs next).
 */
export class AppointmentExporter {
  /** The connection the last provider call went to. */
  private connection: ExternalCalendar | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /** @param workerId graphile-worker's id of this worker, kept with a heartbeat so that a dead worker's export is taken over. */
  async run(appointmentId: string, workerId: string | null): Promise<void> {
    const appointment = await this.em.findOne(
      Appointment,
      { id: appointmentId },
      { populate: ['resource', 'exportTarget.externalCalendar', 'exportCalendar.externalCalendar'] },
    );
    if (!appointment) return;
    const version = appointment.version;
    await this.em.nativeUpdate(Appointment, { id: appointmentId }, { exportWorker: workerId, exportHeartbeatAt: new Date() });
    const stopHeartbeat = keepAlive(this.deps.heartbeatSeconds, () =>
      this.em.fork().nativeUpdate(Appointment, { id: appointmentId }, { exportHeartbeatAt: new Date() }),
    );
    try {
      const outcome = await this.reconcile(appointment);
      await this.settle(appointment, version, outcome.status, outcome.error);
      this.report(appointment, outcome.status, null);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'AUTH_REVOKED' && this.connection) await this.requireReauth(this.connection, error);
      const final =
        error instanceof FinalExportFailure ||
        (error instanceof ProviderError && error.code !== 'TEMPORARY' && error.code !== 'UNKNOWN') ||
        error instanceof AppError;
      await this.settle(appointment, version, ExportStatus.FAILED, error instanceof Error ? error.message : String(error));
      this.report(appointment, final ? ExportStatus.FAILED : 'RETRY', error);
      if (!final) throw error;
    } finally {
      stopHeartbeat();
      await this.em.nativeUpdate(Appointment, { id: appointmentId }, { exportWorker: null, exportHeartbeatAt: null });
    }
  }

  private async reconcile(appointment: Appointment): Promise<{ status: ExportStatus; error: string | null }> {
    const target = appointment.status === AppointmentStatus.CANCELLED ? null : appointment.exportTarget;
    let removed = false;
    if (appointment.exportCalendar && appointment.exportCalendar.id !== target?.id) {
      await this.remove(appointment, appointment.exportCalendar);
      removed = true;
    }
    if (target) {
      await this.write(appointment, target);
      return { status: ExportStatus.EXPORTED, error: null };
    }
    if (removed || appointment.status === AppointmentStatus.CANCELLED) return { status: ExportStatus.REMOVED, error: null };
    return { status: ExportStatus.SKIPPED, error: NO_TARGET };
  }

  private async write(appointment: Appointment, calendar: ProviderCalendar): Promise<void> {
    const exported = appointment.exportCalendar?.id === calendar.id && appointment.providerEventId !== null;
    if (exported && appointment.exportedVersion === appointment.version) return;
    const { writer, credentials } = await this.writerFor(calendar);
    const config = await this.em.findOneOrFail(SyncConfig, { externalCalendar: calendar.externalCalendar });
    let ref: ExportedEventRef | null = null;
    if (exported) {
      const current: ExportedEventRef = { providerEventId: appointment.providerEventId!, etag: appointment.exportEtag };
      ref = await writer.updateEvent(credentials, calendar.providerCalendarId, current, exportEvent(appointment, config)).catch((error: unknown) => {
        if (error instanceof ProviderError && error.code === 'NOT_FOUND') return null; // deleted by someone: export afresh
        throw error;
      });
      if (!ref) await this.forget(appointment);
    }
    ref ??= await writer.createEvent(credentials, calendar.providerCalendarId, exportEvent(appointment, config)).catch(async (error: unknown) => {
      if (!(error instanceof ProviderError && error.code === 'CONFLICT')) throw error;
      // The user deleted the event and the provider keeps its id: the next generation gets a new one.
      await this.forget(appointment);
      return writer.createEvent(credentials, calendar.providerCalendarId, exportEvent(appointment, config));
    });
    Object.assign(appointment, {
      exportCalendar: calendar,
      providerEventId: ref.providerEventId,
      exportEtag: ref.etag,
      exportedVersion: appointment.version,
      exportedAt: new Date(),
    });
    await this.em.nativeUpdate(
      Appointment,
      { id: appointment.id },
      {
        exportCalendar: calendar.id,
        providerEventId: ref.providerEventId,
        exportEtag: ref.etag,
        exportedVersion: appointment.version,
        exportedAt: appointment.exportedAt,
      },
    );
  }

  private async remove(appointment: Appointment, calendar: ProviderCalendar): Promise<void> {
    if (appointment.providerEventId) {
      const { writer, credentials } = await this.writerFor(calendar);
      await writer.deleteEvent(credentials, calendar.providerCalendarId, { providerEventId: appointment.providerEventId, etag: appointment.exportEtag });
    }
    await this.forget(appointment);
  }

  /** The event is gone: the next export is a new one (a new generation, so a new exportId). */
  private async forget(appointment: Appointment): Promise<void> {
    Object.assign(appointment, {
      exportCalendar: null,
      providerEventId: null,
      exportEtag: null,
      exportedVersion: null,
      exportGeneration: appointment.exportGeneration + 1,
    });
    await this.em.nativeUpdate(
      Appointment,
      { id: appointment.id },
      { exportCalendar: null, providerEventId: null, exportEtag: null, exportedVersion: null, exportGeneration: appointment.exportGeneration },
    );
  }

  private async writerFor(calendar: ProviderCalendar) {
    const connection = calendar.externalCalendar;
    if (connection.status === ExternalCalendarStatus.DISCONNECTED)
      throw new FinalExportFailure(`The connection of calendar '${calendar.name}' was disconnected`);
    const provider = this.deps.providers.providerFor(connection.provider);
    if (!provider.createEvent || !provider.updateEvent || !provider.deleteEvent)
      throw new FinalExportFailure(`${connection.provider} calendars cannot take appointments`);
    this.connection = connection;
    const credentials = await new ConnectionCredentials(this.em, this.deps.secrets, this.deps.providers).forProvider(connection);
    return { writer: provider as CalendarWriter, credentials };
  }

  /** A refused grant: the connection needs its owner again (REAUTH_REQUIRED), and subscribers are told. */
  private async requireReauth(connection: ExternalCalendar, error: ProviderError): Promise<void> {
    const current = await this.em.fork().findOne(ExternalCalendar, { id: connection.id });
    if (!current || current.status === ExternalCalendarStatus.DISCONNECTED) return;
    const lifecycle = new ConnectionLifecycle(this.deps);
    lifecycle.reauthRequired(current, 'AUTH_REVOKED');
    current.lastError = error.message;
    await this.em.fork().nativeUpdate(ExternalCalendar, { id: current.id }, { status: current.status, lastError: current.lastError });
    await lifecycle.announce();
  }

  /**
   * Logs the settled export at info (`appointment export settled`: appointmentId, tenantId,
   * resourceId, externalCalendarId, provider, outcome, errorCode) and counts it in
   * `calsync_appointment_exports_total` (and a provider failure in `calsync_provider_errors_total`).
   * `RETRY`: it failed for now, and graphile-worker runs it again.
   */
  private report(appointment: Appointment, outcome: ExportStatus | 'RETRY', error: unknown): void {
    const connection = this.connection ?? appointment.exportTarget?.externalCalendar ?? appointment.exportCalendar?.externalCalendar ?? null;
    const provider = connection?.provider ?? 'none';
    if (error instanceof ProviderError) metrics.providerErrors.inc({ provider, code: error.code });
    metrics.appointmentExports.inc({ provider, outcome });
    this.deps.logger.info(
      {
        appointmentId: appointment.id,
        tenantId: appointment.tenant.id,
        resourceId: appointment.resource.id,
        externalCalendarId: connection?.id ?? null,
        provider,
        outcome,
        errorCode: error === null ? null : exportErrorCode(error),
      },
      'appointment export settled',
    );
  }

  /** Commits the outcome; the status only when no newer change is waiting (its job will settle it). */
  private async settle(appointment: Appointment, version: number, status: ExportStatus, error: string | null): Promise<void> {
    await this.em.nativeUpdate(Appointment, { id: appointment.id, version }, { exportStatus: status, exportError: error });
    const fresh = await this.em.fork().findOne(Appointment, { id: appointment.id });
    if (fresh) await this.deps.publish.appointmentExportChanged(fresh);
  }
}

/** The client-facing code of an export's failure (as `extensions.code` would name it). */
function exportErrorCode(error: unknown): string {
  if (error instanceof ProviderError) return toAppError(error).code;
  if (error instanceof AppError) return error.code;
  return error instanceof FinalExportFailure ? ErrorCode.FAILED_PRECONDITION : ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * The event as the provider receives it; `privateExport` keeps only the time ("Busy"),
 * `inviteAttendees` lets a provider that cannot add attendees silently (Graph) invite them.
 */
export function exportEvent(appointment: Appointment, { privateExport, inviteAttendees }: Pick<SyncConfig, 'privateExport' | 'inviteAttendees'>): ExportEvent {
  return {
    appointmentId: appointment.id,
    exportId: `${appointment.id}-${appointment.exportGeneration}`,
    title: privateExport ? 'Busy' : appointment.title,
    description: privateExport ? null : appointment.description,
    location: privateExport ? null : appointment.location,
    attendees: privateExport ? [] : appointment.attendees.map((attendee) => ({ email: attendee.email, name: attendee.name })),
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    timeZone: appointment.resource.timeZone,
    status: appointment.status === AppointmentStatus.TENTATIVE ? 'TENTATIVE' : 'CONFIRMED',
    sequence: appointment.version,
    inviteAttendees,
  };
}
