import { Migration } from '@mikro-orm/migrations';

/**
 * The row trigger that keeps `external_event.blocking` looks things up only when they can change
 * the answer (bench/measures/ingest.ts: the old body ran three queries per row, ~60 µs, most of a
 * first ingest): SyncConfig only for a tentative or all-day event that would block by the
 * defaults, the appointment only for a row that names one. Same rule (event_blocks), same result.
 */
export class Migration20261203163000_cheap_blocking_trigger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function external_event_set_blocking() returns trigger language plpgsql as $$
      declare
        tentative_is_busy boolean;
        all_day_is_busy boolean;
      begin
        new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at, true, true);
        if new.blocking and (new.status = 'TENTATIVE' or new.all_day) then
          -- No SyncConfig (a partner push) or no row: the defaults, tentative and all-day block.
          select c.tentative_is_busy, c.all_day_is_busy into tentative_is_busy, all_day_is_busy
            from sync_config c where c.external_calendar_id = new.external_calendar_id;
          new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at,
            coalesce(tentative_is_busy, true), coalesce(all_day_is_busy, true));
        end if;
        if new.blocking and new.appointment_id is not null then
          new.blocking := not exists (select 1 from appointment a where a.id = new.appointment_id and a.resource_id = new.resource_id);
        end if;
        return new;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function external_event_set_blocking() returns trigger language plpgsql as $$
      begin
        new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at,
            coalesce((select c.tentative_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true),
            coalesce((select c.all_day_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true))
          and not exists (select 1 from appointment a where a.id = new.appointment_id and a.resource_id = new.resource_id);
        return new;
      end $$;`);
  }
}
