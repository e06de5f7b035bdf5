import { publishQuietly, type PubSub } from '../../common/pubsub';
import type { Logger } from '../../common/logger';
import type { ProviderKind } from '../../providers/provider';
import type { ExternalCalendar, ExternalCalendarStatus } from './external-calendar.entity';

/** The pub/sub topics of connections; also the Redis channel names after `calsync:`. */
export enum ConnectionTopic {
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
export type ConnectionTopics = {
  [ConnectionTopic.EXTERNAL_CALENDAR_STATUS_CHANGED]: [ExternalCalendarStatusChangedPayload];
};

/** What connections publish (GraphQL `externalCalendarStatusChanged`), through ConnectionLifecycle only. Never rejects. */
export interface ConnectionStatusPublisher {
  /** After `connection.status` changed, once the change has committed. */
  externalCalendarStatusChanged(connection: ExternalCalendar): Promise<void>;
}

/** {@link ConnectionStatusPublisher} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function connectionStatusPublisher(pubSub: PubSub<ConnectionTopics>, logger: Logger): ConnectionStatusPublisher {
  return {
    externalCalendarStatusChanged: (connection) =>
      publishQuietly(logger, () =>
        pubSub.publish(ConnectionTopic.EXTERNAL_CALENDAR_STATUS_CHANGED, {
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
