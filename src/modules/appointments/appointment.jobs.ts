import type { EntityManager } from '@mikro-orm/postgresql';
import { tenantFlag } from '../../common/job-slots';
import { type Appointment, ExportStatus } from './appointment.entity';

/** The worker job that brings one appointment's event in line with the appointment. */
export const APPOINTMENT_EXPORT_TASK = 'appointment_export';

/** Payload of an {@link APPOINTMENT_EXPORT_TASK} job. */
export interface AppointmentExportJob {
  appointmentId: string;
  tenantId: string;
}

/** Attempts before an export stays FAILED; graphile-worker waits exp(attempt) seconds between them (about 6 hours in all). */
export const EXPORT_MAX_ATTEMPTS = 10;

/**
 * The outbox: marks the appointment PENDING and adds its export job IN THE CALLER'S
 * TRANSACTION (graphile-worker's `add_job` is SQL), so that a committed change always has its
 * job and a rolled-back one never does. One job key per appointment: changes made while a job
 * waits join it; the job reads the appointment as it is when it runs.
 * @see https://worker.graphile.org/docs/sql-add-job
 */
export async function enqueueExport(em: EntityManager, appointment: Appointment): Promise<void> {
  appointment.exportStatus = ExportStatus.PENDING;
  appointment.exportError = null;
  await em.flush();
  const job: AppointmentExportJob = { appointmentId: appointment.id, tenantId: appointment.tenant.id };
  // The tenant's flag: its exports share the tenant's worker slots with its syncs (TenantSlots).
  await em.execute(`select graphile_worker.add_job(?, ?::json, queue_name => ?, max_attempts => ?, job_key => ?, flags => ?::text[])`, [
    APPOINTMENT_EXPORT_TASK,
    JSON.stringify(job),
    `export:${appointment.id}`,
    EXPORT_MAX_ATTEMPTS,
    `export:${appointment.id}`,
    `{${tenantFlag(appointment.tenant.id)}}`,
  ]);
}
