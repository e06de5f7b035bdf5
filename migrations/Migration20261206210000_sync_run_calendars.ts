import { Migration } from '@mikro-orm/migrations';

/** Each sync run's calendars with their status and counters (SyncRun.calendars), for a progress bar per calendar. */
export class Migration20261206210000_sync_run_calendars extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sync_run" add column "calendars" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_run" drop column "calendars";`);
  }
}
