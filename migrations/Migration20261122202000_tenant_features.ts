import { Migration } from '@mikro-orm/migrations';

/**
 * The premium gate of Wix Bookings (src/modules/tenancy/features.ts) reads `tenant.features`, a
 * JSON array of feature names. Until now nothing read it, so every tenant gets `externalCalendars`
 * (self-hosted: on by default), the column gets the same default for rows inserted by SQL, and a
 * check keeps it an array.
 */
export class Migration20261122202000_tenant_features extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "tenant" set "features" = '[]'::jsonb where jsonb_typeof("features") <> 'array';`);
    this.addSql(`update "tenant" set "features" = "features" || '["externalCalendars"]'::jsonb where not "features" ? 'externalCalendars';`);
    this.addSql(`alter table "tenant" alter column "features" set default '["externalCalendars"]'::jsonb;`);
    this.addSql(`alter table "tenant" add constraint "tenant_features_array" check (jsonb_typeof("features") = 'array');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tenant" drop constraint "tenant_features_array";`);
    this.addSql(`alter table "tenant" alter column "features" drop default;`);
  }
}
