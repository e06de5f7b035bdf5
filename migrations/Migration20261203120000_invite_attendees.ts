import { Migration } from '@mikro-orm/migrations';

/**
 * SyncConfig.inviteAttendees: off for every connection, so that Microsoft Graph exports no longer
 * mail the attendees unless a tenant asks for it.
 * @see https://learn.microsoft.com/graph/api/calendar-post-events
 */
export class Migration20261203120000_invite_attendees extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sync_config" add column "invite_attendees" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_config" drop column "invite_attendees";`);
  }
}
