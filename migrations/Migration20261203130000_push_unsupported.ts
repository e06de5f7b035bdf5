import { Migration } from '@mikro-orm/migrations';

/**
 * A calendar the provider takes no push channel on (Google's holiday, birthday and week-number
 * calendars answer events.watch with 400 pushNotSupportedForRequestedResource) remembers when it
 * said so, and push maintenance stops asking; the calendar is polled on the normal schedule.
 */
export class Migration20261203130000_push_unsupported extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "provider_calendar" add column "push_unsupported_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "provider_calendar" drop column "push_unsupported_at";`);
  }
}
