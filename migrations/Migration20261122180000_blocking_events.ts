import { Migration } from '@mikro-orm/migrations';

/**
 * `external_event.blocking`, kept by triggers, and a partial GiST index of the blocking events:
 * busy time reads them without joining sync_config or filtering rows (bench/availability).
 */
export class Migration20261122180000_blocking_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "external_event" add column "blocking" boolean not null default false;`);
    // The one definition of "this event blocks time" (RFC 5545 STATUS and TRANSP, SyncConfig's switches).
    this.addSql(`create function event_blocks(active boolean, status external_event_status, transparency transparency, all_day boolean,
        starts_at timestamptz, ends_at timestamptz, tentative_is_busy boolean, all_day_is_busy boolean) returns boolean
      language sql immutable as $$
        select active and status <> 'CANCELLED' and transparency = 'OPAQUE' and ends_at > starts_at
           and (status <> 'TENTATIVE' or tentative_is_busy) and (not all_day or all_day_is_busy)
      $$;`);
    // An event without a SyncConfig (pushed by a partner) follows the defaults: tentative and all-day block.
    this.addSql(`create function external_event_set_blocking() returns trigger language plpgsql as $$
      begin
        new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at,
          coalesce((select c.tentative_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true),
          coalesce((select c.all_day_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true));
        return new;
      end $$;`);
    this.addSql(`create trigger external_event_blocking before insert or update on "external_event"
      for each row execute function external_event_set_blocking();`);
    this.addSql(`create function sync_config_set_blocking() returns trigger language plpgsql as $$
      begin
        update external_event e
           set blocking = event_blocks(e.active, e.status, e.transparency, e.all_day, e.starts_at, e.ends_at, new.tentative_is_busy, new.all_day_is_busy)
         where e.external_calendar_id = new.external_calendar_id;
        return null;
      end $$;`);
    this.addSql(`create trigger sync_config_blocking after update of tentative_is_busy, all_day_is_busy on "sync_config"
      for each row when (old.tentative_is_busy is distinct from new.tentative_is_busy or old.all_day_is_busy is distinct from new.all_day_is_busy)
      execute function sync_config_set_blocking();`);
    // Existing rows: the trigger computes the flag on this no-op update.
    this.addSql(`update "external_event" set "blocking" = "blocking";`);
    this.addSql(`create index "external_event_blocking" on "external_event" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)')) where "blocking";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger sync_config_blocking on "sync_config";`);
    this.addSql(`drop function sync_config_set_blocking();`);
    this.addSql(`drop trigger external_event_blocking on "external_event";`);
    this.addSql(`drop function external_event_set_blocking();`);
    this.addSql(`drop function event_blocks(boolean, external_event_status, transparency, boolean, timestamptz, timestamptz, boolean, boolean);`);
    this.addSql(`drop index "external_event_blocking";`);
    this.addSql(`alter table "external_event" drop column "blocking";`);
  }
}
