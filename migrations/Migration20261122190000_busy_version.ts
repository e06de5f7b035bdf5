import { Migration } from '@mikro-orm/migrations';

/**
 * `resource.busy_version`, grown by statement triggers on every write of external events and
 * appointments, in the writing transaction: the key that lets the busy time of a resource be
 * cached without ever answering from a stale copy (src/modules/availability/busy-time-cache.ts).
 * Statement triggers see the changed rows through transition tables, so a batch of 500 upserted
 * events bumps each resource once, and an upsert that changed nothing bumps none.
 */
export class Migration20261122190000_busy_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "resource" add column "busy_version" bigint not null default 0;`);
    this.addSql(`create function bump_busy_version() returns trigger language plpgsql as $$
      begin
        update resource set busy_version = busy_version + 1 where id in (select distinct resource_id from changed);
        return null;
      end $$;`);
    for (const table of ['external_event', 'appointment']) {
      for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']]) {
        this.addSql(`create trigger ${table}_busy_version_${event} after ${event} on "${table}"
          referencing ${transition} table as changed for each statement execute function bump_busy_version();`);
      }
    }
  }

  override async down(): Promise<void> {
    for (const table of ['external_event', 'appointment']) {
      for (const event of ['insert', 'update', 'delete']) this.addSql(`drop trigger ${table}_busy_version_${event} on "${table}";`);
    }
    this.addSql(`drop function bump_busy_version();`);
    this.addSql(`alter table "resource" drop column "busy_version";`);
  }
}
