import { Field, ID, InputType, Int } from 'type-graphql';
import { ProviderKind } from '../../providers/provider';

@InputType({ description: 'Connect a CalDAV account (any CalDAV server, or Apple iCloud with an app-specific password).' })
export class ConnectByCredentialsInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => ProviderKind, { description: 'CALDAV or APPLE.' })
  provider!: ProviderKind;

  @Field(() => String, { nullable: true, description: 'CalDAV server URL; required for CALDAV, defaults to https://caldav.icloud.com for APPLE.' })
  serverUrl?: string | null;

  @Field(() => String)
  username!: string;

  @Field(() => String, { description: 'Stored encrypted (AES-256-GCM) and never returned.' })
  password!: string;
}

@InputType({ description: 'Replaces the user name and password of a CalDAV or Apple iCloud connection, after a real login with them.' })
export class UpdateCredentialsInput {
  @Field(() => ID)
  externalCalendarId!: string;

  @Field(() => String, { nullable: true, description: 'The new user name; the current one when absent.' })
  username?: string | null;

  @Field(() => String, { description: 'The new password (Apple: a new app-specific password); stored encrypted (AES-256-GCM) and never returned.' })
  password!: string;
}

/** What `moveExisting` means wherever the write calendar or the export switch can change. */
const MOVE_EXISTING =
  "When the resource's write calendar changes (or export stops): true moves future appointments already exported to the new write calendar (or removes them when there is none); " +
  'false leaves them where they are, still following their reschedules and cancellations. Appointments not yet exported always go to the new target.';

@InputType({ description: 'Which calendars of a connection block time, and which one receives appointments.' })
export class SelectCalendarsInput {
  @Field(() => ID)
  externalCalendarId!: string;

  @Field(() => [ID], { description: 'ProviderCalendar ids (Calsync ids) whose events block time; the others stop blocking.' })
  readCalendarIds!: string[];

  @Field(() => ID, {
    nullable: true,
    description:
      "ProviderCalendar id of the resource's write calendar. It replaces the resource's previous write calendar, in any connection; null or omitted means this connection holds none.",
  })
  writeCalendarId?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: MOVE_EXISTING })
  moveExisting!: boolean;
}

@InputType({ description: 'Changes to the sync settings of a connection; omitted fields stay as they are.' })
export class SyncConfigInput {
  @Field(() => Boolean, { nullable: true })
  importEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  exportEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'When switched on, titles already stored are erased.' })
  privateImport?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  privateExport?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Microsoft only: Outlook then mails invitations and updates to the attendees.' })
  inviteAttendees?: boolean | null;

  @Field(() => Int, { nullable: true, description: '0..366 days.' })
  syncWindowDaysBack?: number | null;

  @Field(() => Int, { nullable: true, description: '1..366 days.' })
  syncWindowDaysAhead?: number | null;

  @Field(() => Boolean, { nullable: true })
  tentativeIsBusy?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  allDayIsBusy?: boolean | null;

  @Field(() => Boolean, { defaultValue: false, description: MOVE_EXISTING })
  moveExisting!: boolean;
}

@InputType({ description: 'Connect a Google or Microsoft account through OAuth.' })
export class ConnectExternalCalendarInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => ProviderKind, { description: 'GOOGLE or MICROSOFT.' })
  provider!: ProviderKind;

  @Field(() => String, {
    nullable: true,
    description:
      'Where the browser is sent after consent, with `externalCalendarId`, `status` and, on failure, `error` query parameters. Without it a small HTML page says how it went.',
  })
  redirectUrl?: string | null;
}
