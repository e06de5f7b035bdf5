import { Migration } from '@mikro-orm/migrations';

export class Migration20261122163028_schedule_exceptions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "resource" add column "date_overrides" jsonb not null default '[]', add column "valid_from" date null, add column "valid_until" date null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "resource" drop column "date_overrides", drop column "valid_from", drop column "valid_until";`);
  }

}
