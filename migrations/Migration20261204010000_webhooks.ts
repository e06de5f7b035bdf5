import { Migration } from '@mikro-orm/migrations';

/** The graphile-worker task that delivers one webhook (src/modules/webhooks/webhook.jobs.ts names it too). */
const DELIVER_TASK = 'webhook_deliver';
/** The graphile-worker task that turns a resource's recorded busy changes into one availability.changed. */
const AVAILABILITY_TASK = 'webhook_availability';

/**
 * Webhooks for partner back ends (DESIGN "Webhooks"): endpoints, deliveries, and the outbox.
 *
 * Every event is recorded by the database itself, in the transaction of the change that causes it,
 * whichever service wrote it: row triggers on `external_calendar.status`, `sync_run.status` and
 * `appointment.export_status` call `record_webhook_event`, which writes one PENDING delivery per
 * subscribed endpoint and queues that endpoint's delivery job (SQL `add_job`), so that a committed change
 * always has its deliveries and a rolled-back one never does. Busy time is coalesced: busy_version's
 * own statement triggers on `external_event` and `appointment` (no more trigger calls per
 * statement) record the changed span of each resource in `webhook_busy_change` and add one job per
 * resource, keyed, that runs 5 seconds after the first change (`preserve_run_at`), so that a sync
 * of 10,000 events in 20 transactions gives one `availability.changed`. Nothing is recorded for a
 * tenant without a subscribed endpoint.
 * @see https://worker.graphile.org/docs/sql-add-job
 */
export class Migration20261204010000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "webhook_endpoint_status" as enum ('ENABLED', 'DISABLED');`);
    this.addSql(`create type "webhook_delivery_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`create table "webhook_endpoint" (
      "id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "tenant_id" uuid not null, "url" text not null, "description" text null,
      "event_types" jsonb not null, "resource_ids" jsonb null,
      "secret" text not null, "previous_secret" text null, "previous_secret_expires_at" timestamptz null,
      "status" "webhook_endpoint_status" not null default 'ENABLED', "disabled_reason" text null,
      "failing_since" timestamptz null,
      constraint "webhook_endpoint_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoint_tenant_id_index" on "webhook_endpoint" ("tenant_id");`);
    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_tenant_id_foreign"
      foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "webhook_delivery" (
      "id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null,
      "tenant_id" uuid not null, "endpoint_id" uuid not null, "event_type" text not null, "payload" jsonb not null,
      "status" "webhook_delivery_status" not null default 'PENDING', "attempts" int not null default 0,
      "next_attempt_at" timestamptz null, "last_attempt_at" timestamptz null,
      "response_status" int null, "response_body" text null, "latency_ms" int null, "error" text null,
      "succeeded_at" timestamptz null, "attempt_worker" text null, "attempt_started_at" timestamptz null,
      constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_endpoint_created" on "webhook_delivery" ("endpoint_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "webhook_delivery_leased" on "webhook_delivery" ("attempt_started_at") where "attempt_worker" is not null;`);
    this.addSql(`create index "webhook_delivery_due" on "webhook_delivery" ("endpoint_id", "next_attempt_at") where "status" = 'PENDING';`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_tenant_id_foreign"
      foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign"
      foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "webhook_busy_change" (
      "id" bigserial primary key, "tenant_id" uuid not null, "resource_id" uuid not null,
      "starts_at" timestamptz not null, "ends_at" timestamptz not null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "webhook_busy_change_resource" on "webhook_busy_change" ("resource_id", "id");`);
    this.addSql(`alter table "webhook_busy_change" add constraint "webhook_busy_change_resource_id_foreign"
      foreign key ("resource_id") references "resource" ("id") on update cascade on delete cascade;`);

    // Why a connection's status last changed (ConnectionLifecycle writes it with the status).
    this.addSql(`alter table "external_calendar" add column "status_reason" text null;`);

    // Instants in payloads as JavaScript's toISOString writes them: UTC, milliseconds, `Z`.
    this.addSql(`create function webhook_instant(t timestamptz) returns text language sql immutable as $$
      select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;`);
    this.addSql(`create function record_webhook_event(p_tenant uuid, p_type text, p_resource uuid, p_data jsonb) returns integer
      language plpgsql as $$
      declare
        endpoint_id uuid;
        delivery uuid;
        recorded integer := 0;
      begin
        for endpoint_id in
          select e.id from webhook_endpoint e
           where e.tenant_id = p_tenant and e.status = 'ENABLED' and e.event_types @> to_jsonb(p_type)
             and (e.resource_ids is null or p_resource is null or e.resource_ids @> to_jsonb(p_resource::text))
        loop
          delivery := gen_random_uuid();
          insert into webhook_delivery (id, created_at, updated_at, tenant_id, endpoint_id, event_type, payload, status, next_attempt_at)
          values (delivery, now(), now(), p_tenant, endpoint_id, p_type,
            jsonb_build_object('type', p_type, 'version', 1,
              'timestamp', webhook_instant(clock_timestamp()), 'data', p_data),
            'PENDING', now());
          -- The endpoint's one job, in its own queue (webhook.jobs.ts enqueueDrain), moved to now.
          perform graphile_worker.add_job('${DELIVER_TASK}', json_build_object('endpointId', endpoint_id, 'tenantId', p_tenant),
            queue_name => 'webhook:' || endpoint_id::text, job_key => 'webhook-endpoint:' || endpoint_id::text, max_attempts => 10);
          recorded := recorded + 1;
        end loop;
        return recorded;
      end $$;`);

    this.addSql(`create function webhook_connection_status() returns trigger language plpgsql as $$
      begin
        perform record_webhook_event(new.tenant_id, 'connection.status_changed', new.resource_id, jsonb_build_object(
          'externalCalendarId', new.id, 'resourceId', new.resource_id, 'provider', new.provider,
          'previousStatus', case when tg_op = 'UPDATE' then old.status::text end, 'status', new.status, 'reason', new.status_reason));
        return null;
      end $$;`);
    this.addSql(`create trigger external_calendar_webhook_insert after insert on "external_calendar"
      for each row execute function webhook_connection_status();`);
    this.addSql(`create trigger external_calendar_webhook_status after update of status on "external_calendar"
      for each row when (old.status is distinct from new.status) execute function webhook_connection_status();`);

    this.addSql(`create function webhook_sync_run_finished() returns trigger language plpgsql as $$
      begin
        perform record_webhook_event(new.tenant_id, 'sync_run.finished', new.resource_id, jsonb_build_object(
          'syncRunId', new.id, 'resourceId', new.resource_id, 'externalCalendarId', new.external_calendar_id, 'kind', new.kind,
          'status', new.status, 'errorCode', new.error_code, 'fetched', new.fetched, 'upserted', new.upserted,
          'deleted', new.deleted, 'skipped', new.skipped, 'startedAt', webhook_instant(new.started_at), 'finishedAt', webhook_instant(new.finished_at)));
        return null;
      end $$;`);
    this.addSql(`create trigger sync_run_webhook_finished after update of status on "sync_run"
      for each row when (old.status is distinct from new.status and new.status in ('SUCCEEDED', 'FAILED', 'CANCELLED'))
      execute function webhook_sync_run_finished();`);

    this.addSql(`create function webhook_appointment_export() returns trigger language plpgsql as $$
      begin
        perform record_webhook_event(new.tenant_id, 'appointment.export_changed', new.resource_id, jsonb_build_object(
          'appointmentId', new.id, 'resourceId', new.resource_id, 'previousExportStatus', old.export_status,
          'exportStatus', new.export_status, 'version', new.version, 'exportedVersion', new.exported_version));
        return null;
      end $$;`);
    this.addSql(`create trigger appointment_webhook_export after update of export_status on "appointment"
      for each row when (old.export_status is distinct from new.export_status) execute function webhook_appointment_export();`);

    // busy_version's statement triggers record the busy changes too: no more trigger calls per statement.
    for (const table of ['external_event', 'appointment']) {
      this.addSql(`drop trigger ${table}_busy_version_update on "${table}";`);
      this.addSql(`create trigger ${table}_busy_version_update after update on "${table}"
        referencing old table as before_rows new table as changed for each statement execute function bump_busy_version();`);
    }
    this.addSql(bumpBusyVersion(true));
  }

  override async down(): Promise<void> {
    this.addSql(bumpBusyVersion(false));
    for (const table of ['external_event', 'appointment']) {
      this.addSql(`drop trigger ${table}_busy_version_update on "${table}";`);
      this.addSql(`create trigger ${table}_busy_version_update after update on "${table}"
        referencing new table as changed for each statement execute function bump_busy_version();`);
    }
    this.addSql(`drop trigger appointment_webhook_export on "appointment";`);
    this.addSql(`drop function webhook_appointment_export();`);
    this.addSql(`drop trigger sync_run_webhook_finished on "sync_run";`);
    this.addSql(`drop function webhook_sync_run_finished();`);
    this.addSql(`drop trigger external_calendar_webhook_status on "external_calendar";`);
    this.addSql(`drop trigger external_calendar_webhook_insert on "external_calendar";`);
    this.addSql(`drop function webhook_connection_status();`);
    this.addSql(`drop function record_webhook_event(uuid, text, uuid, jsonb);`);
    this.addSql(`drop function webhook_instant(timestamptz);`);
    this.addSql(`alter table "external_calendar" drop column "status_reason";`);
    this.addSql(`drop table "webhook_busy_change";`);
    this.addSql(`drop table "webhook_delivery";`);
    this.addSql(`drop table "webhook_endpoint";`);
    this.addSql(`drop type "webhook_delivery_status";`);
    this.addSql(`drop type "webhook_endpoint_status";`);
  }
}

/** What blocks time in each table whose changes move busy time (as busy-time.ts reads them). */
const BLOCKS: Record<'external_event' | 'appointment', (row: string) => string> = {
  external_event: (row) => `${row}.blocking`,
  appointment: (row) => `${row}.status <> 'CANCELLED'`,
};

/**
 * busy_version's statement trigger function (Migration20261122190000_busy_version), and with
 * `webhooks` the availability.changed outbox: for each resource whose tenant has an endpoint
 * listening, the span of the rows that block before or after the statement (an update that moves
 * nothing blocking records nothing) goes into webhook_busy_change, and its keyed
 * webhook_availability job is queued 5 seconds after the first change (`preserve_run_at`).
 */
function bumpBusyVersion(webhooks: boolean): string {
  const record = (ranges: string) => `
          for busy in
            insert into webhook_busy_change (tenant_id, resource_id, starts_at, ends_at)
            select r.tenant_id, r.resource_id, min(r.starts_at), max(r.ends_at) from (${ranges}) r
             where exists (select 1 from webhook_endpoint e where e.tenant_id = r.tenant_id and e.status = 'ENABLED'
                             and e.event_types @> '"availability.changed"'
                             and (e.resource_ids is null or e.resource_ids @> to_jsonb(r.resource_id::text)))
             group by r.tenant_id, r.resource_id
            returning tenant_id, resource_id
          loop
            perform graphile_worker.add_job('${AVAILABILITY_TASK}', json_build_object('resourceId', busy.resource_id, 'tenantId', busy.tenant_id),
              run_at => now() + interval '5 seconds', job_key => 'webhook-availability:' || busy.resource_id::text, job_key_mode => 'preserve_run_at');
          end loop;`;
  const branches = (['external_event', 'appointment'] as const).map((table) => {
    const blocks = BLOCKS[table];
    return `
        ${table === 'external_event' ? 'if' : 'elsif'} tg_table_name = '${table}' and tg_op = 'UPDATE' then${record(
          `select b.tenant_id, b.resource_id, least(b.starts_at, a.starts_at) as starts_at, greatest(b.ends_at, a.ends_at) as ends_at
             from before_rows b join changed a on a.id = b.id
            where (${blocks('b')} or ${blocks('a')})
              and (b.resource_id, b.starts_at, b.ends_at, ${blocks('b')}) is distinct from (a.resource_id, a.starts_at, a.ends_at, ${blocks('a')})`,
        )}
        elsif tg_table_name = '${table}' then${record(`select c.tenant_id, c.resource_id, c.starts_at, c.ends_at from changed c where ${blocks('c')}`)}`;
  });
  return `create or replace function bump_busy_version() returns trigger language plpgsql as $$
      ${webhooks ? 'declare busy record;' : ''}
      begin
        update resource set busy_version = busy_version + 1 where id in (select distinct resource_id from changed);
        ${
          webhooks
            ? `-- Cheap when nobody listens: one look at the (small) endpoint table.
        if not exists (select 1 from webhook_endpoint e where e.status = 'ENABLED' and e.event_types @> '"availability.changed"') then
          return null;
        end if;${branches.join('')}
        end if;`
            : ''
        }
        return null;
      end $$;`;
}
