import { publishQuietly, type PubSub } from '../../common/pubsub';
import type { Logger } from '../../common/logger';
import type { Appointment, AppointmentStatus, ExportStatus } from './appointment.entity';

/** The pub/sub topics of appointments; also the Redis channel names after `calsync:`. */
export enum AppointmentTopic {
  APPOINTMENT_EXPORT_CHANGED = 'APPOINTMENT_EXPORT_CHANGED',
}

/** An appointment whose export status changed, or that changed and waits for its export. */
export interface AppointmentExportChangedPayload {
  tenantId: string;
  appointmentId: string;
  resourceId: string;
  status: AppointmentStatus;
  exportStatus: ExportStatus;
  exportError: string | null;
  providerEventId: string | null;
  version: number;
  occurredAt: string;
}

/** The typed topic map of appointments; every payload survives JSON. */
export type AppointmentTopics = {
  [AppointmentTopic.APPOINTMENT_EXPORT_CHANGED]: [AppointmentExportChangedPayload];
};

/** What appointments publish (GraphQL `appointmentExportChanged`); call it after the change has committed. Never rejects. */
export interface AppointmentExportPublisher {
  /** After a change of an appointment or of its export status. */
  appointmentExportChanged(appointment: Appointment): Promise<void>;
}

/** {@link AppointmentExportPublisher} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function appointmentExportPublisher(pubSub: PubSub<AppointmentTopics>, logger: Logger): AppointmentExportPublisher {
  return {
    appointmentExportChanged: (appointment) =>
      publishQuietly(logger, () =>
        pubSub.publish(AppointmentTopic.APPOINTMENT_EXPORT_CHANGED, {
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
      ),
  };
}
