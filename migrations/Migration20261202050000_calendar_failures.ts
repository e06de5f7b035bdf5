import { Migration } from '@mikro-orm/migrations';

/**
 * One failing calendar no longer fails its connection: each provider calendar keeps why its
 * last sync failed, how many failed in a row and until when incremental syncs leave it alone;
 * and a calendar the provider stops listing is kept, marked removed, instead of deleted.
 */
export class Migration20261202050000_calendar_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "provider_calendar" add column "last_error" text null, add column "failure_count" int not null default 0,
      add column "retry_at" timestamptz null, add column "removed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "provider_calendar" drop column "last_error", drop column "failure_count", drop column "retry_at", drop column "removed_at";`);
  }
}
