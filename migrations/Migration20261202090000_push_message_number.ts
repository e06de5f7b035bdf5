import { Migration } from '@mikro-orm/migrations';

/**
 * The highest X-Goog-Message-Number accepted on each Google push channel, so that a replayed
 * notification (a number not above it) is acknowledged and ignored.
 * @see https://developers.google.com/calendar/api/guides/push#receiving-notifications
 */
export class Migration20261202090000_push_message_number extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "push_channel" add column "last_message_number" bigint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "push_channel" drop column "last_message_number";`);
  }
}
