import { Entity, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { Resource } from '../resources/resource.entity';
import { ExternalCalendar } from './external-calendar.entity';

/**
 * One calendar inside a connection: a Google calendarList entry, a Graph calendar, a CalDAV
 * collection. At most one calendar per resource has `write` set, enforced by the partial unique
 * index `provider_calendar_one_write_per_resource`.
 */
@ObjectType({ description: 'One calendar inside a connection (a CalDAV collection, a Google or Microsoft calendar).' })
@Entity()
@Unique({ properties: ['externalCalendar', 'providerCalendarId'] })
@Index({
  name: 'provider_calendar_one_write_per_resource',
  expression: 'create unique index "provider_calendar_one_write_per_resource" on "provider_calendar" ("resource_id") where "write"',
})
export class ProviderCalendar extends TenantOwnedEntity {
  @Field(() => ID, { description: "Calsync's id of the calendar; `selectCalendars` takes these." })
  declare id: string;

  @ManyToOne({ entity: () => ExternalCalendar, deleteRule: 'cascade' })
  externalCalendar!: ExternalCalendar;

  /** Denormalized from the connection so that the database can enforce one write calendar per resource. */
  @Index()
  @ManyToOne({ entity: () => Resource, deleteRule: 'cascade' })
  resource!: Resource;

  @Field(() => String, { description: "The provider's id: Google calendar id, Graph calendar id, CalDAV collection URL." })
  @Property({ type: 'text' })
  providerCalendarId!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'CSS colour, e.g. `#1e90ff`.' })
  @Property({ type: 'text', nullable: true })
  color: string | null = null;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the calendar, when the provider states one.' })
  @Property({ type: 'text', nullable: true })
  timeZone: string | null = null;

  @Field(() => Boolean, { description: "Whether this is the account's primary calendar." })
  @Property({ type: 'boolean' })
  primary: Opt<boolean> = false;

  @Field(() => Boolean, {
    description:
      "Whether the account may create events in this calendar (a CalDAV collection's current-user-privilege-set, RFC 3744 section 5.4; Google's accessRole; Graph's canEdit).",
  })
  @Property({ type: 'boolean' })
  canWrite: Opt<boolean> = true;

  @Field(() => Boolean, { description: "Whether this calendar's events block the resource's time." })
  @Property({ type: 'boolean' })
  read: Opt<boolean> = false;

  @Field(() => Boolean, { description: "Whether this is the resource's write calendar, which receives appointments." })
  @Property({ type: 'boolean' })
  write: Opt<boolean> = false;

  /** Opaque incremental-sync cursor (Google syncToken, Graph deltaLink, CalDAV sync-token). */
  @Property({ type: 'text', nullable: true })
  syncCursor: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When events of this calendar were last ingested (UTC).' })
  @Property({ type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null = null;

  @Field(() => String, {
    nullable: true,
    description: "Why the last sync of this calendar failed (the connection's other calendars sync on); null after a sync that succeeded.",
  })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** Syncs of this calendar that failed in a row; reset by a success. */
  @Property({ type: 'integer' })
  failureCount: Opt<number> = 0;

  @Field(() => Date, {
    nullable: true,
    description:
      'After failures: incremental syncs leave this calendar alone until then (UTC), backing off from the sync interval up to a day; full syncs and ranged ingests try it at once.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  retryAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the provider stopped listing this calendar (UTC): it no longer syncs, its events no longer block, and it cannot take appointments; null while it exists. It resumes, with its read choice, if the provider lists it again.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  removedAt: Date | null = null;

  /**
   * When the provider refused a push channel on this calendar for good (Google: 400
   * `pushNotSupportedForRequestedResource`, e.g. holidays, birthdays, week numbers); push
   * maintenance no longer asks, and the calendar is polled on the normal sync schedule.
   * @see https://developers.google.com/calendar/api/guides/push
   */
  @Property({ type: 'timestamptz', nullable: true })
  pushUnsupportedAt: Date | null = null;

  @Field(() => Date)
  declare createdAt: Opt<Date>;
}
