import { publishQuietly, type PubSub } from '../../common/pubsub';
import type { Logger } from '../../common/logger';
import type { ProviderKind } from '../../providers/provider';
import type { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';

/** The pub/sub topics of connections; also the Redis channel names after `calsync:`. */
export enum CalendarTopic {
  EXTERNAL_CALENDAR_STATUS_CHANGED = 'EXTERNAL_CALENDAR_STATUS_CHANGED',
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

/** The typed topic map of connections; every payload survives JSON. */
export type CalendarTopics = {
  [CalendarTopic.EXTERNAL_CALENDAR_STATUS_CHANGED]: [ExternalCalendarStatusChangedPayload];
};

/** What connections publish (GraphQL `externalCalendarStatusChanged`), through ConnectionLifecycle only. Never rejects. */
export interface ConnectionStatusEvents {
  /** After `connection.status` changed, once the change has committed. */
  externalCalendarStatusChanged(connection: ExternalCalendar): Promise<void>;
}

/** {@link ConnectionStatusEvents} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function connectionStatusEvents(pubSub: PubSub<CalendarTopics>, logger: Logger): ConnectionStatusEvents {
  return {
    externalCalendarStatusChanged: (connection) =>
      publishQuietly(logger, () =>
        pubSub.publish(CalendarTopic.EXTERNAL_CALENDAR_STATUS_CHANGED, {
          tenantId: connection.tenant.id,
          externalCalendarId: connection.id,
          resourceId: connection.resource.id,
          provider: connection.provider,
          status: connection.status,
          lastError: connection.lastError,
          occurredAt: new Date().toISOString(),
        }),
      ),
  };
}
