import { Migration } from '@mikro-orm/migrations';

/**
 * The lifecycleNotificationUrl each Graph subscription was created with. Graph takes it only at
 * creation, so the subscriptions made before (null here) are recreated by push maintenance.
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export class Migration20261203140000_push_lifecycle_url extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "push_channel" add column "lifecycle_url" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "push_channel" drop column "lifecycle_url";`);
  }
}
