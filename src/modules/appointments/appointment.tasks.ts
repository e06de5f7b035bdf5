import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { TaskList } from 'graphile-worker';
import { releaseWorkers, staleBefore, workersOf } from '../../common/lease';
import { TENANT_FILTER } from '../../db/orm';
import type { ModuleDeps } from '../shared/module-deps';
import { Appointment } from './appointment.entity';
import { AppointmentExporter } from './appointment-exporter';
import { APPOINTMENT_EXPORT_TASK, type AppointmentExportJob } from './appointment.jobs';

/** The worker task `appointment_export`: one appointment's event brought in line (AppointmentExporter). */
export function appointmentTasks(orm: MikroORM, deps: ModuleDeps): TaskList {
  return {
    [APPOINTMENT_EXPORT_TASK]: async (payload, helpers) => {
      const { appointmentId, tenantId } = payload as AppointmentExportJob;
      const em: EntityManager = orm.em.fork();
      em.setFilterParams(TENANT_FILTER, { tenantId });
      await new AppointmentExporter(em, deps).run(appointmentId, helpers.job.locked_by);
    },
  };
}

/**
 * Releases the export jobs of workers that died mid-export (no heartbeat), so that another
 * worker retries them at once rather than after graphile-worker's 4-hour lock timeout; the
 * retry lands on the same event (ExportEvent.exportId).
 * @returns how many exports were taken over.
 */
export async function reapStaleExports(orm: MikroORM, deps: ModuleDeps): Promise<number> {
  const em = orm.em.fork();
  const stale = await em.find(
    Appointment,
    { exportWorker: { $ne: null }, exportHeartbeatAt: { $lt: staleBefore(deps.heartbeatSeconds) } },
    { filters: false, fields: ['id', 'exportWorker'] },
  );
  await releaseWorkers(deps.queue, workersOf(stale.map((appointment) => appointment.exportWorker)));
  await em.nativeUpdate(Appointment, { id: { $in: stale.map((a) => a.id) } }, { exportWorker: null, exportHeartbeatAt: null }, { filters: false });
  return stale.length;
}
