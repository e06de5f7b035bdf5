import { Migration } from '@mikro-orm/migrations';

/**
 * Partner-pushed events (vcita `external_calendar_items`, `bulkUpsertExternalEvents`): busy items
 * a partner pushes for a resource, from no provider calendar.
 *
 * Design: such a row is an ordinary `external_event` with `source = 'PARTNER_PUSH'` and NO
 * connection or calendar (`external_calendar_id` and `provider_calendar_id` NULL), rather than a
 * row under a synthetic "partner" connection and calendar. A synthetic connection would be
 * listed by `externalCalendars`, counted by the scheduler, disconnected, exported to, and would
 * need a SyncConfig: every reader of connections would have to learn to skip it. NULL relations
 * keep every connection-scoped statement (sync deletions, `selectCalendars`, `disconnect`,
 * `privateImport`, the SyncConfig trigger) away from partner rows by construction, since
 * `x = NULL` is never true; only the GraphQL fields `calendar` / `externalCalendar` become
 * nullable.
 *
 * - A check ties the relations to the source: PROVIDER_SYNC rows have both, PARTNER_PUSH rows
 *   neither.
 * - The existing unique (provider_calendar_id, external_id) keeps synced rows unique per calendar
 *   (NULLs are distinct, so partner rows never meet it); a partial unique index makes partner
 *   rows unique per (resource_id, external_id): the key of their idempotent upsert
 *   (`on conflict (resource_id, external_id) where source = 'PARTNER_PUSH'`).
 * - The triggers need no change: without a SyncConfig the row trigger uses the defaults
 *   (tentative and all-day block), and the statement triggers grow `resource.busy_version`.
 */
export class Migration20261122200000_partner_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "external_event" alter column "external_calendar_id" drop not null;`);
    this.addSql(`alter table "external_event" alter column "provider_calendar_id" drop not null;`);
    this.addSql(`alter table "external_event" add constraint "external_event_source_calendars" check (
      ("source" = 'PROVIDER_SYNC' and "external_calendar_id" is not null and "provider_calendar_id" is not null)
      or ("source" = 'PARTNER_PUSH' and "external_calendar_id" is null and "provider_calendar_id" is null));`);
    this.addSql(`create unique index "external_event_partner_external_id" on "external_event" ("resource_id", "external_id") where "source" = 'PARTNER_PUSH';`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "external_event" where "source" = 'PARTNER_PUSH';`);
    this.addSql(`drop index "external_event_partner_external_id";`);
    this.addSql(`alter table "external_event" drop constraint "external_event_source_calendars";`);
    this.addSql(`alter table "external_event" alter column "provider_calendar_id" set not null;`);
    this.addSql(`alter table "external_event" alter column "external_calendar_id" set not null;`);
  }
}
