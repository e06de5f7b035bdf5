import type { PubSub } from '../../common/pubsub';
import type { ProviderKind } from '../../providers/provider';
import type { AppointmentStatus, ExportStatus } from '../appointments/appointment.entity';
import type { ExternalCalendarStatus } from '../calendars/external-calendar.entity';
import type { SyncRunKind, SyncRunStatus } from './sync-run.entity';

/** The pub/sub topics of live sync status; also the Redis channel names after `calsync:`. */
export enum Topic {
  SYNC_RUN_CHANGED = 'SYNC_RUN_CHANGED',
  EXTERNAL_CALENDAR_STATUS_CHANGED = 'EXTERNAL_CALENDAR_STATUS_CHANGED',
  APPOINTMENT_EXPORT_CHANGED = 'APPOINTMENT_EXPORT_CHANGED',
}

/** A SyncRun as it is after a transition or a committed page. Instants are ISO 8601 UTC strings. */
export interface SyncRunChangedPayload {
  tenantId: string;
  syncRunId: string;
  resourceId: string;
  /** Null for a run over every connection of the resource. */
  externalCalendarId: string | null;
  kind: SyncRunKind;
  status: SyncRunStatus;
  pages: number;
  fetched: number;
  upserted: number;
  deleted: number;
  skipped: number;
  error: string | null;
  errorCode: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the change was published. */
  occurredAt: string;
}

/** A connection whose status changed (CONNECTED, ERROR, REAUTH_REQUIRED, DISCONNECTED, ...). */
export interface ExternalCalendarStatusChangedPayload {
  tenantId: string;
  externalCalendarId: string;
  resourceId: string;
  provider: ProviderKind;
  status: ExternalCalendarStatus;
  lastError: string | null;
  occurredAt: string;
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

/** The typed topic map (type-graphql `examples/redis-subscriptions`); every payload survives JSON. */
export type SyncTopics = {
  [Topic.SYNC_RUN_CHANGED]: [SyncRunChangedPayload];
  [Topic.EXTERNAL_CALENDAR_STATUS_CHANGED]: [ExternalCalendarStatusChangedPayload];
  [Topic.APPOINTMENT_EXPORT_CHANGED]: [AppointmentExportChangedPayload];
};

export type SyncPubSub = PubSub<SyncTopics>;
