import type { Logger } from '../common/logger';
import type { PubSub } from '../common/pubsub';
import { appointmentExportEvents, type AppointmentExportEvents, type AppointmentTopics } from './appointments/appointment.topics';
import { connectionStatusEvents, type CalendarTopics, type ConnectionStatusEvents } from './calendars/calendar.topics';
import { syncRunEvents, type SyncRunEvents, type SyncTopics } from './sync/sync.topics';

/** Every module's topics: the map of the process's one pub/sub (and of the GraphQL subscriptions). */
export type ModuleTopics = SyncTopics & CalendarTopics & AppointmentTopics;

/** The process's pub/sub over every module's topics. */
export type ModulePubSub = PubSub<ModuleTopics>;

/**
 * Tells live subscribers about committed changes: each module's publish functions over one bus.
 * Call them after the transaction that made the change has committed, so that a subscriber who
 * reads the row back sees what it was told. They never reject: a lost notification must not fail
 * a change that is already stored (subscribers can read the row again).
 */
export type ModuleEvents = SyncRunEvents & ConnectionStatusEvents & AppointmentExportEvents;

/** {@link ModuleEvents} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function moduleEvents(pubSub: ModulePubSub, logger: Logger): ModuleEvents {
  return { ...syncRunEvents(pubSub, logger), ...connectionStatusEvents(pubSub, logger), ...appointmentExportEvents(pubSub, logger) };
}
