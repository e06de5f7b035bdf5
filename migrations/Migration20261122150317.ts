import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150317 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "resource_kind" as enum ('STAFF', 'ROOM', 'EQUIPMENT', 'OTHER');`);
    this.addSql(`create type "provider_kind" as enum ('GOOGLE', 'MICROSOFT', 'APPLE', 'CALDAV', 'ICS');`);
    this.addSql(`create type "external_calendar_status" as enum ('PENDING', 'CONNECTED', 'ERROR', 'REAUTH_REQUIRED', 'DISCONNECTED');`);
    this.addSql(`create type "sync_run_kind" as enum ('FULL', 'INCREMENTAL', 'RANGE');`);
    this.addSql(`create type "sync_run_status" as enum ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');`);
    this.addSql(`create type "external_event_status" as enum ('CONFIRMED', 'TENTATIVE', 'CANCELLED');`);
    this.addSql(`create type "transparency" as enum ('OPAQUE', 'TRANSPARENT');`);
    this.addSql(`create type "external_event_source" as enum ('PROVIDER_SYNC', 'PARTNER_PUSH');`);
    this.addSql(`create table "tenant" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" text not null, "features" jsonb not null, constraint "tenant_pkey" primary key ("id"));`);

    this.addSql(`create table "resource" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "name" text not null, "kind" "resource_kind" not null default 'STAFF', "time_zone" text not null, "working_hours" jsonb not null, "buffer_before_minutes" int not null default 0, "buffer_after_minutes" int not null default 0, constraint "resource_pkey" primary key ("id"));`);
    this.addSql(`create index "resource_tenant_id_created_at_id_index" on "resource" ("tenant_id", "created_at", "id");`);

    this.addSql(`create table "external_calendar" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "resource_id" uuid not null, "provider" "provider_kind" not null, "account_email" text null, "server_url" text null, "status" "external_calendar_status" not null default 'PENDING', "credentials" text null, "last_synced_at" timestamptz null, "last_error" text null, constraint "external_calendar_pkey" primary key ("id"));`);
    this.addSql(`create index "external_calendar_resource_id_index" on "external_calendar" ("resource_id");`);

    this.addSql(`create table "sync_run" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "resource_id" uuid not null, "external_calendar_id" uuid null, "kind" "sync_run_kind" not null, "status" "sync_run_status" not null default 'QUEUED', "window_from" timestamptz not null, "window_to" timestamptz not null, "fetched" int not null default 0, "upserted" int not null default 0, "deleted" int not null default 0, "skipped" int not null default 0, "skip_reasons" jsonb not null, "error" text null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "sync_run_pkey" primary key ("id"));`);
    this.addSql(`create index "sync_run_resource_id_index" on "sync_run" ("resource_id");`);

    this.addSql(`create table "sync_config" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "external_calendar_id" uuid not null, "import_enabled" boolean not null default true, "export_enabled" boolean not null default true, "private_import" boolean not null default false, "private_export" boolean not null default false, "sync_window_days_back" int not null default 30, "sync_window_days_ahead" int not null default 365, "tentative_is_busy" boolean not null default true, "all_day_is_busy" boolean not null default true, constraint "sync_config_pkey" primary key ("id"));`);
    this.addSql(`alter table "sync_config" add constraint "sync_config_external_calendar_id_unique" unique ("external_calendar_id");`);

    this.addSql(`create table "provider_calendar" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "external_calendar_id" uuid not null, "resource_id" uuid not null, "provider_calendar_id" text not null, "name" text not null, "color" text null, "time_zone" text null, "primary" boolean not null default false, "can_write" boolean not null default true, "read" boolean not null default false, "write" boolean not null default false, "sync_cursor" text null, "last_synced_at" timestamptz null, constraint "provider_calendar_pkey" primary key ("id"));`);
    this.addSql(`create index "provider_calendar_resource_id_index" on "provider_calendar" ("resource_id");`);
    this.addSql(`alter table "provider_calendar" add constraint "provider_calendar_external_calendar_id_provider_c_1714d_unique" unique ("external_calendar_id", "provider_calendar_id");`);

    this.addSql(`create table "external_event" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "external_calendar_id" uuid not null, "provider_calendar_id" uuid not null, "resource_id" uuid not null, "external_id" text not null, "series_id" text null, "recurrence_id" text null, "title" text null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "all_day" boolean not null default false, "start_date" date null, "end_date" date null, "time_zone" text null, "status" "external_event_status" not null default 'CONFIRMED', "transparency" "transparency" not null default 'OPAQUE', "active" boolean not null default true, "source" "external_event_source" not null default 'PROVIDER_SYNC', constraint "external_event_pkey" primary key ("id"));`);
    this.addSql(`create index "external_event_external_calendar_id_index" on "external_event" ("external_calendar_id");`);
    this.addSql(`alter table "external_event" add constraint "external_event_provider_calendar_id_external_id_unique" unique ("provider_calendar_id", "external_id");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "hash" text not null, "prefix" text not null, "name" text not null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(`alter table "resource" add constraint "resource_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "external_calendar" add constraint "external_calendar_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "external_calendar" add constraint "external_calendar_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_run" add constraint "sync_run_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_run" add constraint "sync_run_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_run" add constraint "sync_run_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_config" add constraint "sync_config_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_config" add constraint "sync_config_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "provider_calendar" add constraint "provider_calendar_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provider_calendar" add constraint "provider_calendar_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "provider_calendar" add constraint "provider_calendar_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "external_event" add constraint "external_event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "external_event" add constraint "external_event_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "external_event" add constraint "external_event_provider_calendar_id_foreign" foreign key ("provider_calendar_id") references "provider_calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "external_event" add constraint "external_event_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_key" add constraint "api_key_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);

    // Overlap queries on [starts_at, ends_at) per resource; btree_gist lets the uuid join the range in one GiST index.
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`create index "external_event_overlap" on "external_event" using gist ("resource_id", tstzrange("starts_at", "ends_at", '[)'));`);
    this.addSql(`alter table "external_event" add constraint "external_event_ends_after_start" check ("ends_at" >= "starts_at");`);
    // At most one write calendar per resource, across all of its connections.
    this.addSql(`create unique index "provider_calendar_one_write_per_resource" on "provider_calendar" ("resource_id") where "write";`);
  }

}
