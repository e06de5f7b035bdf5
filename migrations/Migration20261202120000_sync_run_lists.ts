import { Migration } from '@mikro-orm/migrations';

/** Indexes for `syncRuns` (a tenant's runs, newest first) and `ExternalCalendar.lastSyncRun`. */
export class Migration20261202120000_sync_run_lists extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "sync_run_tenant_id_created_at_index" on "sync_run" ("tenant_id", "created_at");`);
    this.addSql(`create index "sync_run_external_calendar_id_created_at_index" on "sync_run" ("external_calendar_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sync_run_external_calendar_id_created_at_index";`);
    this.addSql(`drop index "sync_run_tenant_id_created_at_index";`);
  }
}
