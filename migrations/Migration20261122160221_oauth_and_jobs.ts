import { Migration } from '@mikro-orm/migrations';

export class Migration20261122160221_oauth_and_jobs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "oauth_state" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "external_calendar_id" uuid not null, "code_verifier" text not null, "redirect_url" text null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "oauth_state_pkey" primary key ("id"));`);
    this.addSql(`create index "oauth_state_external_calendar_id_index" on "oauth_state" ("external_calendar_id");`);

    this.addSql(`alter table "oauth_state" add constraint "oauth_state_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "oauth_state" add constraint "oauth_state_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "external_calendar" add column "next_sync_at" timestamptz null, add column "last_full_sync_at" timestamptz null, add column "failure_count" int not null default 0;`);
    this.addSql(`create index "external_calendar_next_sync_at_index" on "external_calendar" ("next_sync_at");`);

    this.addSql(`alter table "sync_run" add column "pages" int not null default 0, add column "error_code" text null, add column "heartbeat_at" timestamptz null, add column "worker_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "oauth_state" cascade;`);

    this.addSql(`drop index "external_calendar_next_sync_at_index";`);
    this.addSql(`alter table "external_calendar" drop column "next_sync_at", drop column "last_full_sync_at", drop column "failure_count";`);

    this.addSql(`alter table "sync_run" drop column "pages", drop column "error_code", drop column "heartbeat_at", drop column "worker_id";`);
  }

}
