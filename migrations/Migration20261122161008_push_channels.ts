import { Migration } from '@mikro-orm/migrations';

export class Migration20261122161008_push_channels extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "push_channel" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "tenant_id" uuid not null, "external_calendar_id" uuid not null, "provider_calendar_id" uuid not null, "provider" "provider_kind" not null, "channel_id" text not null, "resource_id" text null, "token_hash" text not null, "expires_at" timestamptz not null, constraint "push_channel_pkey" primary key ("id"));`);
    this.addSql(`create index "push_channel_external_calendar_id_index" on "push_channel" ("external_calendar_id");`);
    this.addSql(`create index "push_channel_provider_calendar_id_index" on "push_channel" ("provider_calendar_id");`);
    this.addSql(`alter table "push_channel" add constraint "push_channel_provider_channel_id_unique" unique ("provider", "channel_id");`);

    this.addSql(`alter table "push_channel" add constraint "push_channel_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "push_channel" add constraint "push_channel_external_calendar_id_foreign" foreign key ("external_calendar_id") references "external_calendar" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "push_channel" add constraint "push_channel_provider_calendar_id_foreign" foreign key ("provider_calendar_id") references "provider_calendar" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "push_channel" cascade;`);
  }

}
