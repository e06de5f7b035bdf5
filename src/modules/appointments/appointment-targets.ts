import type { EntityManager } from '@mikro-orm/postgresql';
import { type ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { SyncConfig } from '../connections/sync-config.entity';
import type { ExportTargets } from '../shared/module-deps';
import { Appointment, AppointmentStatus, ExportStatus } from './appointment.entity';
import { enqueueExport } from './appointment.jobs';

/**
 * The calendar a new export of this resource goes to: its write calendar, when the connection
 * has export on and can be written to (not DISCONNECTED or REAUTH_REQUIRED); null otherwise.
 */
export async function currentExportTarget(em: EntityManager, resourceId: string): Promise<ProviderCalendar | null> {
  const calendar = await em.findOne(ProviderCalendar, { resource: resourceId, write: true }, { populate: ['externalCalendar'] });
  if (!calendar) return null;
  const connection = calendar.externalCalendar;
  const config = await em.findOne(SyncConfig, { externalCalendar: connection });
  const writable = connection.status !== ExternalCalendarStatus.DISCONNECTED && connection.status !== ExternalCalendarStatus.REAUTH_REQUIRED;
  return config?.exportEnabled && writable ? calendar : null;
}

/** Why an appointment has nothing to be exported to. */
export const NO_TARGET = 'The resource has no write calendar with export on';

/**
 * After the resource's write calendar changed or export was switched on or off for its
 * connection (in the caller's transaction): future appointments not yet in any calendar go to
 * the new target (or are SKIPPED when there is none). Appointments already exported stay in
 * their calendar, still following reschedules and cancellations, unless `moveExisting`: then
 * they move to the new target, or are removed from their calendar when export stopped.
 * @returns the appointments changed, for the caller to announce after its commit.
 */
export async function retargetExports(em: EntityManager, resourceId: string, moveExisting: boolean): Promise<Appointment[]> {
  const target = await currentExportTarget(em, resourceId);
  const future = await em.find(Appointment, { resource: resourceId, status: { $ne: AppointmentStatus.CANCELLED }, endsAt: { $gt: new Date() } });
  const changed: Appointment[] = [];
  for (const appointment of future) {
    const exported = appointment.exportCalendar !== null;
    if ((exported && !moveExisting) || (appointment.exportTarget?.id ?? null) === (target?.id ?? null)) continue;
    appointment.exportTarget = target;
    if (exported || target) await enqueueExport(em, appointment);
    else Object.assign(appointment, { exportStatus: ExportStatus.SKIPPED, exportError: NO_TARGET });
    changed.push(appointment);
  }
  await em.flush();
  return changed;
}

/**
 * Before a connection is disconnected (in the caller's transaction): exports waiting for any of
 * its calendars are cancelled with a reason, and their jobs removed. Events already written stay
 * in the provider's calendar: Calsync can no longer reach it.
 * @returns the appointments changed, for the caller to announce after its commit.
 */
export async function cancelExportsOf(em: EntityManager, connection: ExternalCalendar): Promise<Appointment[]> {
  const affected = await em.find(Appointment, {
    $or: [{ exportTarget: { externalCalendar: connection } }, { exportCalendar: { externalCalendar: connection } }],
  });
  for (const appointment of affected) {
    const reason =
      appointment.exportStatus === ExportStatus.EXPORTED
        ? `Export stopped: the connection ${connection.id} was disconnected; the event already written stays in its calendar`
        : `Export cancelled: the connection ${connection.id} was disconnected`;
    Object.assign(appointment, { exportTarget: null, exportCalendar: null, providerEventId: null, exportEtag: null, exportedVersion: null });
    if (appointment.exportStatus !== ExportStatus.REMOVED) Object.assign(appointment, { exportStatus: ExportStatus.SKIPPED, exportError: reason });
    await em.execute('select graphile_worker.remove_job(?)', [`export:${appointment.id}`]);
  }
  await em.flush();
  return affected;
}

/**
 * After a connection got its owner's consent again (REAUTH_REQUIRED → CONNECTED, in the caller's
 * transaction): the exports that FAILED on it (a revoked grant stops retries) are queued again.
 * @returns the appointments queued, for the caller to announce after its commit.
 */
export async function retryFailedExports(em: EntityManager, connection: ExternalCalendar): Promise<Appointment[]> {
  const failed = await em.find(Appointment, {
    exportStatus: ExportStatus.FAILED,
    $or: [{ exportTarget: { externalCalendar: connection } }, { exportCalendar: { externalCalendar: connection } }],
  });
  for (const appointment of failed) await enqueueExport(em, appointment);
  return failed;
}

/** {@link ExportTargets} (ModuleDeps.exports): what connections ask of exports. */
export const exportTargets: ExportTargets = { retarget: retargetExports, cancelFor: cancelExportsOf, retryFailed: retryFailedExports };
