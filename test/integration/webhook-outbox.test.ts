import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { SecretBox } from '../../src/common/crypto';
import { OutboundPolicy } from '../../src/common/outbound';
import { initOrm, TENANT_FILTER } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { applyChangesInChunks } from '../../src/modules/events/chunked-changes';
import type { EventTarget } from '../../src/modules/events/event-store';
import { Appointment, AppointmentStatus, ExportStatus } from '../../src/modules/appointments/appointment.entity';
import type { BulkUpsertExternalEventsInput } from '../../src/modules/events/partner-event.inputs';
import { PartnerEventService } from '../../src/modules/events/partner-events';
import { Resource } from '../../src/modules/resources/resource.entity';
import { SyncRun, SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { SyncQueue } from '../../src/modules/sync/sync.jobs';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { WebhookEventType } from '../../src/modules/webhooks/webhook-event-type';
import { webhookSettings } from '../../src/modules/webhooks/webhook-settings';
import { WebhookService } from '../../src/modules/webhooks/webhook.service';
import { coalesceAvailability } from '../../src/modules/webhooks/webhook.tasks';
import { ProviderKind, type NormalizedEvent } from '../../src/providers/provider';
import { makeEvent } from '../helpers/builders';

const HOUR = 3_600_000;
const window = { from: new Date('2027-05-01T00:00:00Z'), to: new Date('2027-06-01T00:00:00Z') };

/** The outbox in the database: what each change records, in its own transaction, for whom. */
describe('webhook outbox', () => {
  let orm: MikroORM;
  let queue: SyncQueue;
  let tenant: Tenant;
  let other: Resource;
  let target: EventTarget;
  let connectionId: string;
  const deps = {
    secrets: new SecretBox(randomBytes(32)),
    webhooks: webhookSettings(
      { WEBHOOK_TIMEOUT_SECONDS: 5, WEBHOOK_RETRY_BASE_SECONDS: 1, WEBHOOK_RETRY_HOURS: 24, WEBHOOK_DISABLE_AFTER_DAYS: 5 },
      new OutboundPolicy({ allowPrivate: true, allowCidrs: [] }),
    ),
  };

  const scoped = (): EntityManager => {
    const em = orm.em.fork() as EntityManager;
    em.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
    return em;
  };
  const deliveries = (type: string) =>
    orm.em
      .fork()
      .getConnection()
      .execute<{ id: string; endpoint_id: string; payload: { type: string; version: number; data: Record<string, unknown> } }[]>(
        `select id, endpoint_id, payload from webhook_delivery where tenant_id = ? and event_type = ? order by created_at, id`,
        [tenant.id, type],
      );
  const jobKeys = async (prefix: string) =>
    (
      await orm.em
        .fork()
        .getConnection()
        .execute<{ key: string }[]>(`select key from graphile_worker._private_jobs where key like ? order by key`, [`${prefix}%`])
    ).map((row) => row.key);

  beforeAll(async () => {
    orm = await initOrm(process.env.DATABASE_URL!);
    // graphile-worker's schema: the triggers add their jobs with its add_job.
    queue = await SyncQueue.open(process.env.DATABASE_URL!);
    const em = orm.em.fork();
    tenant = em.create(Tenant, { name: `outbox-${randomBytes(4).toString('hex')}` });
    const resource = em.create(Resource, { tenant, name: 'r', timeZone: 'UTC' });
    other = em.create(Resource, { tenant, name: 'other', timeZone: 'UTC' });
    const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
    em.create(SyncConfig, { tenant, externalCalendar: connection });
    const calendar = em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: 'cal', name: 'cal', read: true });
    await em.flush();
    connectionId = connection.id;
    target = { tenantId: tenant.id, resourceId: resource.id, externalCalendarId: connection.id, providerCalendarId: calendar.id, privateImport: false };
    const service = new WebhookService(scoped(), deps);
    await service.create(tenant.id, {
      url: 'http://127.0.0.1:9/all',
      eventTypes: [
        WebhookEventType.AVAILABILITY_CHANGED,
        WebhookEventType.CONNECTION_STATUS_CHANGED,
        WebhookEventType.SYNC_RUN_FINISHED,
        WebhookEventType.APPOINTMENT_EXPORT_CHANGED,
        WebhookEventType.EXTERNAL_EVENTS_PUSHED,
      ],
    });
    // Another resource only: hears nothing of `resource`.
    await service.create(tenant.id, { url: 'http://127.0.0.1:9/other', eventTypes: [WebhookEventType.AVAILABILITY_CHANGED], resourceIds: [other.id] });
    // Disabled: hears nothing.
    const { endpoint } = await service.create(tenant.id, { url: 'http://127.0.0.1:9/off', eventTypes: [WebhookEventType.CONNECTION_STATUS_CHANGED] });
    await new WebhookService(scoped(), deps).disable(endpoint.id);
  });
  afterAll(async () => {
    // No worker runs here: the deliveries left would be tried by the workers of later suites (with other keys).
    await orm.em.getConnection().execute(`delete from webhook_endpoint where tenant_id = ?`, [tenant.id]);
    await queue.close();
    await orm.close();
  });

  it('a status change records one delivery per listening endpoint, with its job, in its transaction; a rolled-back one none', async () => {
    await expect(
      orm.em.fork().transactional(async (em) => {
        await em.nativeUpdate(ExternalCalendar, { id: connectionId }, { status: ExternalCalendarStatus.ERROR, statusReason: 'TEMPORARY' }, {
          filters: false,
        } as never);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await deliveries('connection.status_changed')).toEqual([]);

    await orm.em.fork().nativeUpdate(ExternalCalendar, { id: connectionId }, { status: ExternalCalendarStatus.REAUTH_REQUIRED, statusReason: 'AUTH_REVOKED' }, {
      filters: false,
    } as never);
    const recorded = await deliveries('connection.status_changed');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.payload).toMatchObject({
      type: 'connection.status_changed',
      version: 1,
      data: { externalCalendarId: connectionId, resourceId: target.resourceId, previousStatus: 'CONNECTED', status: 'REAUTH_REQUIRED', reason: 'AUTH_REVOKED' },
    });
    // The endpoint's one delivery job.
    const key = `webhook-endpoint:${recorded[0]!.endpoint_id}`;
    expect(await jobKeys(key)).toEqual([key]);
  });

  it('a sync in several transactions records its busy spans and one keyed job; the job sends one availability.changed', async () => {
    const events: NormalizedEvent[] = Array.from({ length: 1_200 }, (_, k) => {
      const startsAt = new Date(window.from.getTime() + k * HOUR);
      return makeEvent(`e${k}`, startsAt, new Date(startsAt.getTime() + HOUR / 2));
    });
    await applyChangesInChunks(
      (work) => orm.em.fork().transactional(work),
      target,
      window,
      { events, deletedIds: [], skipped: [], nextCursor: null, full: true },
      {
        inTransaction: async () => undefined,
      },
    );
    const spans = await orm.em
      .fork()
      .getConnection()
      .execute<{ resource_id: string }[]>(`select resource_id from webhook_busy_change where tenant_id = ?`, [tenant.id]);
    // One per statement that wrote (three chunks of 500, 500 and 200), none for `other`.
    expect(spans.length).toBe(3);
    expect(new Set(spans.map((span) => span.resource_id))).toEqual(new Set([target.resourceId]));
    expect(await jobKeys('webhook-availability:')).toEqual([`webhook-availability:${target.resourceId}`]);

    // A transparent event does not block: it changes no busy time.
    await applyChangesInChunks(
      (work) => orm.em.fork().transactional(work),
      target,
      window,
      {
        events: [makeEvent('free', window.from, new Date(window.from.getTime() + HOUR), { transparency: 'TRANSPARENT' })],
        deletedIds: [],
        skipped: [],
        nextCursor: null,
        full: false,
      },
      { inTransaction: async () => undefined },
    );
    expect((await orm.em.fork().getConnection().execute(`select 1 from webhook_busy_change where tenant_id = ?`, [tenant.id])).length).toBe(3);

    expect(await coalesceAvailability(orm.em.fork() as EntityManager, { resourceId: target.resourceId, tenantId: tenant.id })).toBe(1);
    const sent = await deliveries('availability.changed');
    expect(sent).toHaveLength(1);
    const [resource] = await orm.em
      .fork()
      .getConnection()
      .execute<{ busy_version: string }[]>(`select busy_version from resource where id = ?`, [target.resourceId]);
    expect(sent[0]!.payload.data).toEqual({
      resourceId: target.resourceId,
      // One span per chunk transaction; they do not touch (half an hour apart), so they stay three.
      ranges: [events.slice(0, 500), events.slice(500, 1000), events.slice(1000)].map((chunk) => ({
        from: chunk[0]!.startsAt.toISOString(),
        to: chunk.at(-1)!.endsAt.toISOString(),
      })),
      busyVersion: Number(resource!.busy_version),
    });
    // Taken: a second run sends nothing.
    expect(await coalesceAvailability(orm.em.fork() as EntityManager, { resourceId: target.resourceId, tenantId: tenant.id })).toBe(0);
  });

  it('a sync run reaching its final status, an export status change and a partner push each record one event', async () => {
    const em = orm.em.fork();
    const run = em.create(SyncRun, {
      tenant,
      resource: target.resourceId,
      externalCalendar: connectionId,
      kind: SyncRunKind.FULL,
      windowFrom: window.from,
      windowTo: window.to,
    });
    const appointment = em.create(Appointment, {
      tenant,
      resource: target.resourceId,
      startsAt: new Date('2027-05-03T10:00:00Z'),
      endsAt: new Date('2027-05-03T11:00:00Z'),
      title: 'Consultation',
      status: AppointmentStatus.CONFIRMED,
    });
    await em.flush();
    await em.nativeUpdate(SyncRun, { id: run.id }, { status: SyncRunStatus.RUNNING }, { filters: false } as never);
    expect(await deliveries('sync_run.finished')).toEqual([]);
    await em.nativeUpdate(SyncRun, { id: run.id }, { status: SyncRunStatus.SUCCEEDED, upserted: 7 }, { filters: false } as never);
    const finished = await deliveries('sync_run.finished');
    expect(finished.map((delivery) => delivery.payload.data)).toEqual([
      expect.objectContaining({ syncRunId: run.id, resourceId: target.resourceId, status: 'SUCCEEDED', kind: 'FULL', upserted: 7 }),
    ]);

    await em.nativeUpdate(Appointment, { id: appointment.id }, { exportStatus: ExportStatus.EXPORTED }, { filters: false } as never);
    expect((await deliveries('appointment.export_changed')).map((delivery) => delivery.payload.data)).toEqual([
      expect.objectContaining({ appointmentId: appointment.id, resourceId: target.resourceId, previousExportStatus: 'PENDING', exportStatus: 'EXPORTED' }),
    ]);

    const partner = new PartnerEventService(scoped());
    const push = {
      resourceId: target.resourceId,
      items: [
        {
          externalId: 'p1',
          title: 'Busy',
          startsAt: new Date('2027-05-04T10:00:00Z'),
          endsAt: new Date('2027-05-04T11:00:00Z'),
          allDay: false,
          status: 'CONFIRMED',
          transparency: 'OPAQUE',
        },
      ],
    } as unknown as BulkUpsertExternalEventsInput;
    await partner.bulkUpsert(tenant, push);
    // The same items again change nothing: no event.
    await partner.bulkUpsert(tenant, push);
    expect((await deliveries('external_events.pushed')).map((delivery) => delivery.payload.data)).toEqual([
      { resourceId: target.resourceId, operation: 'UPSERT', created: 1, updated: 0, deactivated: 0, externalIds: ['p1'] },
    ]);
  });
});
