import { Migration } from '@mikro-orm/migrations';

export class Migration20261122181000_appointments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "appointment_status" as enum ('CONFIRMED', 'TENTATIVE', 'CANCELLED');`);
    this.addSql(`create type "export_status" as enum ('PENDING', 'EXPORTED', 'FAILED', 'SKIPPED', 'REMOVED');`);
    this.addSql(`create table "appointment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "resource_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "title" text not null, "description" text null, "location" text null, "attendees" jsonb not null, "status" "appointment_status" not null, "allow_overlap" boolean not null default false, "idempotency_key" text null, "request_hash" text null, "version" int not null default 0, "cancelled_at" timestamptz null, "cancellation_reason" text null, "export_status" "export_status" not null default 'PENDING', "export_error" text null, "export_target_id" uuid null, "export_calendar_id" uuid null, "provider_event_id" text null, "export_etag" text null, "exported_version" int null, "export_generation" int not null default 0, "exported_at" timestamptz null, "export_worker" text null, "export_heartbeat_at" timestamptz null, constraint "appointment_pkey" primary key ("id"));`);
    this.addSql(`alter table "appointment" add constraint "appointment_no_overlap" exclude using gist ("resource_id" with =, tstzrange("starts_at", "ends_at", '[)') with &&) where ("status" <> 'CANCELLED' and not "allow_overlap");`);
    this.addSql(`create index "appointment_overlap" on "appointment" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)')) where "status" <> 'CANCELLED';`);
    this.addSql(`alter table "appointment" add constraint "appointment_idempotency_key" unique ("tenant_id", "idempotency_key");`);

    this.addSql(`alter table "appointment" add constraint "appointment_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "appointment" add constraint "appointment_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "appointment" add constraint "appointment_export_target_id_foreign" foreign key ("export_target_id") references "provider_calendar" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "appointment" add constraint "appointment_export_calendar_id_foreign" foreign key ("export_calendar_id") references "provider_calendar" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "external_event" add column "appointment_id" uuid null;`);
    // An event Calsync exported for an appointment of the same resource does not block: the appointment does.
    // The SyncConfig trigger now lets the row trigger recompute, so that the rule lives in one place.
    this.addSql(`create or replace function external_event_set_blocking() returns trigger language plpgsql as $$
      begin
        new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at,
            coalesce((select c.tentative_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true),
            coalesce((select c.all_day_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true))
          and not exists (select 1 from appointment a where a.id = new.appointment_id and a.resource_id = new.resource_id);
        return new;
      end $$;`);
    this.addSql(`create or replace function sync_config_set_blocking() returns trigger language plpgsql as $$
      begin
        update external_event set blocking = blocking where external_calendar_id = new.external_calendar_id;
        return null;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function external_event_set_blocking() returns trigger language plpgsql as $$
      begin
        new.blocking := event_blocks(new.active, new.status, new.transparency, new.all_day, new.starts_at, new.ends_at,
          coalesce((select c.tentative_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true),
          coalesce((select c.all_day_is_busy from sync_config c where c.external_calendar_id = new.external_calendar_id), true));
        return new;
      end $$;`);
    this.addSql(`drop table if exists "appointment" cascade;`);

    this.addSql(`alter table "external_event" drop column "appointment_id";`);

    this.addSql(`drop type "appointment_status";`);
    this.addSql(`drop type "export_status";`);
  }

}
