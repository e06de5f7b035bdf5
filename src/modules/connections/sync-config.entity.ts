import { Entity, OneToOne, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { ExternalCalendar } from './external-calendar.entity';

/** Per-connection sync settings (Wix's syncConfig, vcita's should_import / is_private_import ...). */
@ObjectType({ description: 'Per-connection sync settings.' })
@Entity()
export class SyncConfig extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @OneToOne({ entity: () => ExternalCalendar, owner: true, deleteRule: 'cascade', unique: true })
  externalCalendar!: ExternalCalendar;

  @Field(() => Boolean, { description: "Read events from the selected read calendars (they block the resource's time)." })
  @Property({ type: 'boolean' })
  importEnabled: Opt<boolean> = true;

  @Field(() => Boolean, { description: 'Write appointments to the write calendar.' })
  @Property({ type: 'boolean' })
  exportEnabled: Opt<boolean> = true;

  @Field(() => Boolean, { description: 'Keep no titles of imported events (they are stored as busy time only).' })
  @Property({ type: 'boolean' })
  privateImport: Opt<boolean> = false;

  @Field(() => Boolean, { description: 'Export appointments titled "Busy", without details.' })
  @Property({ type: 'boolean' })
  privateExport: Opt<boolean> = false;

  @Field(() => Boolean, {
    description:
      "Let the provider invite the appointment's attendees. Only Microsoft Graph needs the switch: it sends invitations to every attendee of an event it creates and updates on every change, with no way to stay silent, so by default the attendees are listed in the event's body instead. Google (sendUpdates=none) and CalDAV (SCHEDULE-AGENT=NONE) never send mail, whatever it says.",
  })
  @Property({ type: 'boolean' })
  inviteAttendees: Opt<boolean> = false;

  @Field(() => Int, { description: 'Days before now that scheduled syncs cover.' })
  @Property({ type: 'integer' })
  syncWindowDaysBack: Opt<number> = 30;

  @Field(() => Int, { description: 'Days after now that scheduled syncs cover.' })
  @Property({ type: 'integer' })
  syncWindowDaysAhead: Opt<number> = 365;

  @Field(() => Boolean, { description: 'Whether TENTATIVE events block time.' })
  @Property({ type: 'boolean' })
  tentativeIsBusy: Opt<boolean> = true;

  @Field(() => Boolean, { description: "Whether all-day events block the resource's whole local day." })
  @Property({ type: 'boolean' })
  allDayIsBusy: Opt<boolean> = true;
}
