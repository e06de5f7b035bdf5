import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { Resource } from '../resources/resource.entity';

/** RFC 5545 section 3.8.1.11 STATUS of a VEVENT. */
export enum ExternalEventStatus {
  CONFIRMED = 'CONFIRMED',
  TENTATIVE = 'TENTATIVE',
  CANCELLED = 'CANCELLED',
}
/** RFC 5545 section 3.8.2.7 TRANSP: only OPAQUE events consume time. */
export enum Transparency {
  OPAQUE = 'OPAQUE',
  TRANSPARENT = 'TRANSPARENT',
}
/** Where an event came from. */
export enum ExternalEventSource {
  PROVIDER_SYNC = 'PROVIDER_SYNC',
  PARTNER_PUSH = 'PARTNER_PUSH',
}
registerEnumType(ExternalEventStatus, { name: 'ExternalEventStatus', description: 'RFC 5545 STATUS of the event.' });
registerEnumType(Transparency, { name: 'Transparency', description: 'RFC 5545 TRANSP: TRANSPARENT events never block time.' });
registerEnumType(ExternalEventSource, { name: 'ExternalEventSource', description: 'Whether a sync or a partner wrote the event.' });

/**
 * One occurrence that can block time. A recurring series is stored as its occurrences inside
 * the synced window, each with the series' UID and its RECURRENCE-ID. Overlap queries use the
 * GiST index `external_event_overlap` on (resource, tstzrange(starts_at, ends_at, '[)')); busy
 * time reads the partial index `external_event_blocking`, which holds only the blocking ones.
 *
 * Two sources (migration Migration20261122200000_partner_events): a PROVIDER_SYNC event belongs
 * to a connection and one of its calendars and is unique per (calendar, externalId); a
 * PARTNER_PUSH event (`bulkUpsertExternalEvents`) has neither relation (both null, enforced by
 * the check `external_event_source_calendars`) and is unique per (resource, externalId) through
 * the partial unique index `external_event_partner_external_id`. Statements scoped to a
 * connection or calendar therefore never touch partner events.
 */
@ObjectType({ description: 'One occurrence of an external event that can block time.' })
@Entity()
@Unique({ properties: ['providerCalendar', 'externalId'] })
@Index({
  name: 'external_event_overlap',
  expression: `create index "external_event_overlap" on "external_event" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)'))`,
})
@Index({
  name: 'external_event_blocking',
  expression: `create index "external_event_blocking" on "external_event" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)')) where "blocking"`,
})
@Index({
  name: 'external_event_partner_external_id',
  expression: `create unique index "external_event_partner_external_id" on "external_event" ("resource_id", "external_id") where "source" = 'PARTNER_PUSH'`,
})
@Check({ name: 'external_event_ends_after_start', expression: 'ends_at >= starts_at' })
@Check({
  name: 'external_event_source_calendars',
  expression: `("source" = 'PROVIDER_SYNC' and "external_calendar_id" is not null and "provider_calendar_id" is not null) or ("source" = 'PARTNER_PUSH' and "external_calendar_id" is null and "provider_calendar_id" is null)`,
})
export class ExternalEvent extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  /** The connection the event was synced through; null for a PARTNER_PUSH event. */
  @Index()
  @ManyToOne({ entity: () => ExternalCalendar, deleteRule: 'cascade', nullable: true })
  externalCalendar: ExternalCalendar | null = null;

  /** The calendar the event is in; null for a PARTNER_PUSH event. */
  @ManyToOne({ entity: () => ProviderCalendar, deleteRule: 'cascade', nullable: true })
  providerCalendar: ProviderCalendar | null = null;

  @ManyToOne({ entity: () => Resource, deleteRule: 'cascade' })
  resource!: Resource;

  @Field(() => String, {
    description:
      'Unique within its calendar: the UID, or `UID#RECURRENCE-ID` for an occurrence of a series. For a PARTNER_PUSH event: the id the partner gave it, unique within its resource.',
  })
  @Property({ type: 'text' })
  externalId!: string;

  @Field(() => String, { nullable: true, description: "The series' UID when this is an occurrence of a recurring event." })
  @Property({ type: 'text', nullable: true })
  seriesId: string | null = null;

  @Field(() => String, { nullable: true, description: 'RFC 5545 RECURRENCE-ID of the occurrence: `YYYYMMDDTHHMMSSZ` (UTC) or `YYYYMMDD` (all-day).' })
  @Property({ type: 'text', nullable: true })
  recurrenceId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Title; null when the connection imports privately.' })
  @Property({ type: 'text', nullable: true })
  title: string | null = null;

  @Field(() => Date, { description: 'Start, UTC instant.' })
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End, UTC instant, exclusive.' })
  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Field(() => Boolean, { description: "All-day event: it spans the resource's whole local days from startDate to endDate." })
  @Property({ type: 'boolean' })
  allDay: Opt<boolean> = false;

  @Field(() => String, { nullable: true, description: 'First local date (`YYYY-MM-DD`) of an all-day event.' })
  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Field(() => String, { nullable: true, description: 'Local date after the last day (`YYYY-MM-DD`, exclusive) of an all-day event.' })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  @Field(() => String, { nullable: true, description: 'The time zone the event was written in, when it had one.' })
  @Property({ type: 'text', nullable: true })
  timeZone: string | null = null;

  @Field(() => ExternalEventStatus)
  @Enum({ items: () => ExternalEventStatus, nativeEnumName: 'external_event_status' })
  status: Opt<ExternalEventStatus> = ExternalEventStatus.CONFIRMED;

  @Field(() => Transparency)
  @Enum({ items: () => Transparency, nativeEnumName: 'transparency' })
  transparency: Opt<Transparency> = Transparency.OPAQUE;

  @Field(() => Boolean, { description: 'False once deactivated by a partner; inactive events never block.' })
  @Property({ type: 'boolean' })
  active: Opt<boolean> = true;

  /**
   * The Calsync appointment this event was exported from (NormalizedEvent.appointmentId), null
   * for anything else. Such an event does not block its own resource's time: the appointment does.
   */
  @Property({ type: 'uuid', nullable: true })
  appointmentId: Opt<string> | null = null;

  /**
   * Whether the event blocks its resource's time: active, not CANCELLED, OPAQUE, not empty,
   * TENTATIVE only when its connection's SyncConfig.tentativeIsBusy, all-day only when
   * allDayIsBusy, and not an export of an appointment of the same resource. Written by PostgreSQL triggers only (migration ..._blocking_events), on every
   * write of the event and every change of its SyncConfig, so it is never stale; whatever is
   * set here is overwritten.
   */
  @Property({ type: 'boolean', default: false, hidden: true })
  blocking: Opt<boolean> = false;

  @Field(() => ExternalEventSource)
  @Enum({ items: () => ExternalEventSource, nativeEnumName: 'external_event_source' })
  source: Opt<ExternalEventSource> = ExternalEventSource.PROVIDER_SYNC;

  @Field(() => Date)
  declare updatedAt: Opt<Date>;
}
