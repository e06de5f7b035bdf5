import type { Logger } from '../common/logger';
import type { PubSub } from '../common/pubsub';
import { appointmentExportPublisher, type AppointmentExportPublisher, type AppointmentTopics } from './appointments/appointment.topics';
import { connectionStatusPublisher, type ConnectionTopics, type ConnectionStatusPublisher } from './connections/connection.topics';
import { syncRunPublisher, type SyncRunPublisher, type SyncTopics } from './sync/sync.topics';

/** Every module's topics: the map of the process's one pub/sub (and of the GraphQL subscriptions). */
export type ModuleTopics = SyncTopics & ConnectionTopics & AppointmentTopics;

/** The process's pub/sub over every module's topics. */
export type ModulePubSub = PubSub<ModuleTopics>;

/**
 * Tells live subscribers about committed changes: each module's publish functions over one bus.
 * Call them after the transaction that made the change has committed, so that a subscriber who
 * reads the row back sees what it was told. They never reject: a lost notification must not fail
 * a change that is already stored (subscribers can read the row again).
 */
export type ModulePublishers = SyncRunPublisher & ConnectionStatusPublisher & AppointmentExportPublisher;

/** {@link ModulePublishers} over the process's pub/sub (in memory, or Redis with REDIS_URL). */
export function modulePublishers(pubSub: ModulePubSub, logger: Logger): ModulePublishers {
  return { ...syncRunPublisher(pubSub, logger), ...connectionStatusPublisher(pubSub, logger), ...appointmentExportPublisher(pubSub, logger) };
}
