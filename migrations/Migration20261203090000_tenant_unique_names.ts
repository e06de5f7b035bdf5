import { Migration } from '@mikro-orm/migrations';

/**
 * Tenant names become unique ignoring case. Duplicates already stored are renamed first: in each
 * group of names equal ignoring case, the oldest (by created_at, then id) keeps its name and the
 * others get `-2`, `-3`, ... in that order (`acme`, `Acme` -> `acme`, `Acme-2`); a suffix that
 * would meet another tenant's name moves on to the next free number.
 */
export class Migration20261203090000_tenant_unique_names extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
declare
  duplicate record;
  suffix integer;
begin
  for duplicate in
    select id, name, rank from (
      select id, name, row_number() over (partition by lower(name) order by created_at, id) as rank from tenant
    ) ranked where rank > 1 order by lower(name), rank
  loop
    suffix := duplicate.rank;
    while exists (select 1 from tenant where lower(name) = lower(duplicate.name || '-' || suffix)) loop
      suffix := suffix + 1;
    end loop;
    update tenant set name = duplicate.name || '-' || suffix where id = duplicate.id;
  end loop;
end $$;`);
    this.addSql(`create unique index "tenant_name_lower_unique" on "tenant" (lower("name"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "tenant_name_lower_unique";`);
  }
}
