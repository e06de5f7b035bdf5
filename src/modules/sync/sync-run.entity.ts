import { Entity, Enum, Index, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { SyncRunCalendar } from './sync-run-calendar';

export enum SyncRunKind {
  FULL = 'FULL',
  INCREMENTAL = 'INCREMENTAL',
  RANGE = 'RANGE',
}
export enum SyncRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(SyncRunKind, {
  name: 'SyncRunKind',
  description: 'FULL (whole sync window), INCREMENTAL (changes since the cursor), RANGE (a window asked for).',
});
registerEnumType(SyncRunStatus, { name: 'SyncRunStatus', description: 'QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED.' });

/** Why one event was skipped during a sync. */
@ObjectType({ description: 'An event a sync skipped, and why.' })
export class SkipReason {
  @Field(() => ID, { description: 'The provider calendar the event came from.' })
  providerCalendarId!: string;

  @Field(() => String, { nullable: true, description: 'The UID of the skipped component, when it had one.' })
  uid!: string | null;

  @Field(() => String)
  reason!: string;
}

/** At most this many skip reasons are kept per run; `skipped` still counts them all. */
export const MAX_SKIP_REASONS = 200;

/** One sync of the connections of a resource, or of one connection, over a window. */
@ObjectType({ description: 'One sync of a connection (or of all connections of a resource) over a window.' })
@Entity()
// `syncRuns` lists a tenant's runs newest first; `lastSyncRun` finds a connection's newest.
@Index({ properties: ['tenant', 'createdAt'] })
@Index({ properties: ['externalCalendar', 'createdAt'] })
export class SyncRun extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @Index()
  @ManyToOne({ entity: () => Resource, deleteRule: 'cascade' })
  resource!: Resource;

  /** Null when the run covers every connection of the resource. */
  @ManyToOne({ entity: () => ExternalCalendar, nullable: true, deleteRule: 'cascade' })
  externalCalendar: ExternalCalendar | null = null;

  @Field(() => SyncRunKind)
  @Enum({ items: () => SyncRunKind, nativeEnumName: 'sync_run_kind' })
  kind!: SyncRunKind;

  @Field(() => SyncRunStatus)
  @Enum({ items: () => SyncRunStatus, nativeEnumName: 'sync_run_status' })
  status: Opt<SyncRunStatus> = SyncRunStatus.QUEUED;

  @Field(() => Date, { description: 'Start of the synced window (UTC, inclusive).' })
  @Property({ type: 'timestamptz' })
  windowFrom!: Date;

  @Field(() => Date, { description: 'End of the synced window (UTC, exclusive).' })
  @Property({ type: 'timestamptz' })
  windowTo!: Date;

  @Field(() => Int, { description: 'Calendars fetched and committed so far.' })
  @Property({ type: 'integer' })
  pages: Opt<number> = 0;

  @Field(() => Int, { description: 'Occurrences read from the providers.' })
  @Property({ type: 'integer' })
  fetched: Opt<number> = 0;

  @Field(() => Int, { description: 'Occurrences stored that were new or changed.' })
  @Property({ type: 'integer' })
  upserted: Opt<number> = 0;

  @Field(() => Int, { description: 'Stored occurrences removed because the provider no longer has them.' })
  @Property({ type: 'integer' })
  deleted: Opt<number> = 0;

  @Field(() => Int, { description: 'Events that could not be read; see skipReasons.' })
  @Property({ type: 'integer' })
  skipped: Opt<number> = 0;

  @Field(() => [SkipReason], { description: `Why events were skipped (the first ${MAX_SKIP_REASONS}).` })
  @Property({ type: 'jsonb' })
  skipReasons: Opt<SkipReason[]> = [];

  @Field(() => [SyncRunCalendar], {
    description:
      'The calendars of the run in the order it takes them, each with its status and counters; filled as the run reaches each connection (empty while QUEUED).',
  })
  @Property({ type: 'jsonb' })
  calendars: Opt<SyncRunCalendar[]> = [];

  @Field(() => String, { nullable: true, description: 'Why the run failed, for people.' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the run failed, for programs: PROVIDER_UNAVAILABLE (throttled or down after retries), PROVIDER_AUTH_REQUIRED (grant revoked), NOT_FOUND (calendar gone).',
  })
  @Property({ type: 'text', nullable: true })
  errorCode: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  /** Last sign of life of the worker running it; a RUNNING run whose heartbeat stops is taken over. */
  @Property({ type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null = null;

  /**
   * Provider calendars (Calsync ids) this run has finished: their last chunk, cursor and counters
   * committed together, or they were left out with a skip reason. A run taken over by another
   * worker goes past them, so that it neither fetches nor counts them twice.
   */
  @Property({ type: 'jsonb' })
  completedCalendars: Opt<string[]> = [];

  /** How many times the run lost its worker while RUNNING (taken over by the reaper); the second time quarantines it. */
  @Property({ type: 'integer' })
  takeovers: Opt<number> = 0;

  /** The graphile-worker worker id that holds the run's job, to unlock it when that worker died. */
  @Property({ type: 'text', nullable: true })
  workerId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Date, { description: 'When the run was requested.' })
  declare createdAt: Opt<Date>;
}
