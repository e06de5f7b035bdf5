import { Migration } from '@mikro-orm/migrations';

/**
 * Scoped API keys (src/modules/tenancy/api-key.entity.ts): a key may be limited to one resource
 * (`resource_id`, deleted with it) and be read-only; `last_used_at` is shown when keys are listed.
 * Existing keys stay tenant keys with full access.
 */
export class Migration20261122201000_api_key_scopes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_key" add column "resource_id" uuid null, add column "read_only" boolean not null default false, add column "last_used_at" timestamptz null;`);
    this.addSql(`alter table "api_key" add constraint "api_key_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "api_key_tenant_id_index" on "api_key" ("tenant_id");`);
    this.addSql(`create index "api_key_resource_id_index" on "api_key" ("resource_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "api_key_resource_id_index";`);
    this.addSql(`drop index "api_key_tenant_id_index";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_resource_id_foreign";`);
    this.addSql(`alter table "api_key" drop column "resource_id", drop column "read_only", drop column "last_used_at";`);
  }
}
