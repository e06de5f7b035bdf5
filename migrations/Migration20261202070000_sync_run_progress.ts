import { Migration } from '@mikro-orm/migrations';

/**
 * What a sync run has finished, so that a run taken over by another worker neither redoes nor
 * recounts it: the provider calendars whose last chunk (and cursor) committed, and how many times
 * the run lost its worker (a crash, a kill, a database it could not reach for six heartbeats),
 * after the second of which it is quarantined instead of resumed.
 */
export class Migration20261202070000_sync_run_progress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sync_run" add column "completed_calendars" jsonb not null default '[]', add column "takeovers" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_run" drop column "completed_calendars", drop column "takeovers";`);
  }
}
