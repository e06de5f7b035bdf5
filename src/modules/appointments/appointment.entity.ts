import { Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { listCost } from '../../common/query-cost';

/** Lifecycle of an appointment. CANCELLED ones stop blocking time and leave the write calendar. */
export enum AppointmentStatus {
  CONFIRMED = 'CONFIRMED',
  TENTATIVE = 'TENTATIVE',
  CANCELLED = 'CANCELLED',
}

/** Where the appointment's export to the write calendar stands. */
export enum ExportStatus {
  /** A change waits for the worker to write it. */
  PENDING = 'PENDING',
  /** The write calendar holds the current version (providerEventId). */
  EXPORTED = 'EXPORTED',
  /** The last attempt failed (exportError); temporary failures are retried with backoff. */
  FAILED = 'FAILED',
  /** Nothing to write: no write calendar with export on, or the connection was disconnected (exportError says which). */
  SKIPPED = 'SKIPPED',
  /** The event was removed from the calendar: the appointment was cancelled, or export stopped with moveExisting. */
  REMOVED = 'REMOVED',
}

registerEnumType(AppointmentStatus, { name: 'AppointmentStatus', description: 'CONFIRMED and TENTATIVE block time; CANCELLED does not.' });
registerEnumType(ExportStatus, {
  name: 'ExportStatus',
  description:
    'PENDING (waiting for the worker), EXPORTED (the calendar holds the current version), FAILED (see exportError; temporary failures are retried), SKIPPED (nothing to write to), REMOVED (taken out of the calendar).',
});

/** A person attending an appointment (stored as jsonb). */
@ObjectType('Attendee', { description: 'A person attending an appointment.' })
export class Attendee {
  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;
}

/**
 * A booking of a resource, from `startsAt` to `endsAt` (UTC instants, end exclusive). CONFIRMED
 * and TENTATIVE appointments block the resource's time, widened by its buffers. The exclusion
 * constraint `appointment_no_overlap` makes two overlapping appointments of one resource
 * impossible in the database (unless `allowOverlap`); the export to the write calendar is an
 * outbox: every change sets exportStatus PENDING and adds its worker job in the same transaction.
 */
@ObjectType({ description: 'A booking of a resource, exported to its write calendar.' })
@Entity()
@Unique({ name: 'appointment_idempotency_key', properties: ['tenant', 'idempotencyKey'] })
@Index({
  name: 'appointment_overlap',
  expression: `create index "appointment_overlap" on "appointment" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)')) where "status" <> 'CANCELLED'`,
})
@Index({
  name: 'appointment_no_overlap',
  expression: `alter table "appointment" add constraint "appointment_no_overlap" exclude using gist ("resource_id" with =, tstzrange("starts_at", "ends_at", '[)') with &&) where ("status" <> 'CANCELLED' and not "allow_overlap")`,
})
export class Appointment extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @ManyToOne({ entity: () => Resource, deleteRule: 'cascade' })
  resource!: Resource;

  @Field(() => Date, { description: 'Start (UTC).' })
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End (UTC, exclusive).' })
  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: Opt<string> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  location: Opt<string> | null = null;

  @Field(() => [Attendee], { complexity: listCost(5) })
  @Property({ type: 'json' })
  attendees: Opt<Attendee[]> = [];

  @Field(() => AppointmentStatus)
  @Enum({ items: () => AppointmentStatus, nativeEnumName: 'appointment_status' })
  status!: AppointmentStatus;

  @Field(() => Boolean, { description: 'Booked over busy time on purpose; such appointments still block others.' })
  @Property({ type: 'boolean' })
  allowOverlap: Opt<boolean> = false;

  /** The client's key: repeating a create with it returns this appointment. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  idempotencyKey: Opt<string> | null = null;

  /** SHA-256 of the create input, so that a key reused for another request is refused. */
  @Property({ type: 'text', nullable: true, hidden: true })
  requestHash: Opt<string> | null = null;

  @Field(() => Int, { description: 'Increases with every change (iCalendar SEQUENCE of the exported event).' })
  @Property({ type: 'integer' })
  version: Opt<number> = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Opt<Date> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancellationReason: Opt<string> | null = null;

  @Field(() => ExportStatus)
  @Enum({ items: () => ExportStatus, nativeEnumName: 'export_status' })
  exportStatus: Opt<ExportStatus> = ExportStatus.PENDING;

  @Field(() => String, { nullable: true, description: 'Why the export FAILED or was SKIPPED.' })
  @Property({ type: 'text', nullable: true })
  exportError: Opt<string> | null = null;

  /** The calendar the appointment should be in (null: none); exported appointments stay pinned to theirs unless moved. */
  @ManyToOne({ entity: () => ProviderCalendar, nullable: true, deleteRule: 'set null' })
  exportTarget: Opt<ProviderCalendar> | null = null;

  /** The calendar its event is in now (null: none). */
  @ManyToOne({ entity: () => ProviderCalendar, nullable: true, deleteRule: 'set null' })
  exportCalendar: Opt<ProviderCalendar> | null = null;

  @Field(() => String, { nullable: true, description: "The event's id at the provider (Google or Graph event id, CalDAV object URL)." })
  @Property({ type: 'text', nullable: true })
  providerEventId: Opt<string> | null = null;

  /** CalDAV ETag of the exported object. */
  @Property({ type: 'text', nullable: true, hidden: true })
  exportEtag: Opt<string> | null = null;

  /** `version` the provider holds; behind `version` means an update is due. */
  @Property({ type: 'integer', nullable: true })
  exportedVersion: Opt<number> | null = null;

  /** Counts fresh exports after removals: part of the exportId, so that a new export is a new event. */
  @Property({ type: 'integer' })
  exportGeneration: Opt<number> = 0;

  @Field(() => Date, { nullable: true, description: 'When the provider last accepted a write (UTC).' })
  @Property({ type: 'timestamptz', nullable: true })
  exportedAt: Opt<Date> | null = null;

  /** The graphile-worker id exporting it now and its last heartbeat: how a dead worker's export is taken over. */
  @Property({ type: 'text', nullable: true, hidden: true })
  exportWorker: Opt<string> | null = null;

  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  exportHeartbeatAt: Opt<Date> | null = null;

  @Field(() => Date)
  declare createdAt: Opt<Date>;

  @Field(() => Date)
  declare updatedAt: Opt<Date>;
}
