import { Migration } from '@mikro-orm/migrations';

/**
 * A delivery's retry window starts at `window_started_at` (its recording, or its last
 * redeliverWebhook) instead of moving `created_at`, which keeps saying when the event was
 * recorded (and the order of webhookDeliveries).
 */
export class Migration20261206220000_webhook_retry_window extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" add column "window_started_at" timestamptz not null default now();`);
    this.addSql(`update "webhook_delivery" set "window_started_at" = "created_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop column "window_started_at";`);
  }
}
