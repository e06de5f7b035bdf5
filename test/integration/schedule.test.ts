import type { JobHelpers } from 'graphile-worker';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { SyncRun, SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { syncTasks } from '../../src/modules/sync/sync.tasks';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind } from '../../src/providers/provider';
import { startTestServer, type TestServer } from '../helpers/test-server';

const MINUTE = 60_000;

describe('the sync schedule', () => {
  let server: TestServer;
  let connectionId: string;

  const schedule = () => syncTasks(server.orm, server.deps).sync_schedule!({}, {} as JobHelpers);
  const runs = async () =>
    (await server.orm.em
      .getConnection()
      .execute('select id, kind, status, error_code from sync_run where external_calendar_id = ? order by created_at', [connectionId])) as {
      id: string;
      kind: string;
      status: string;
      error_code: string | null;
    }[];
  const connection = () => server.orm.em.fork().findOneOrFail(ExternalCalendar, { id: connectionId }, { filters: false });

  beforeAll(async () => {
    server = await startTestServer({ env: { SYNC_INTERVAL_MINUTES: '15' } });
    const em = server.orm.em.fork();
    const tenant = await em.findOneOrFail(Tenant, { id: server.tenantId });
    const resource = em.create(Resource, { tenant, name: 'Scheduled', timeZone: 'UTC' });
    // A CalDAV "server" that answers 404 everywhere (this gateway's own URL): each sync fails at once, not retried.
    const external = em.create(ExternalCalendar, {
      tenant,
      resource,
      provider: ProviderKind.CALDAV,
      status: ExternalCalendarStatus.CONNECTED,
      serverUrl: `${server.url}/dav/`,
    });
    external.credentials = server.secrets.sealJson({ serverUrl: `${server.url}/dav/`, username: 'u', password: 'p' });
    em.create(SyncConfig, { tenant, externalCalendar: external });
    em.create(ProviderCalendar, { tenant, externalCalendar: external, resource, providerCalendarId: `${server.url}/dav/cal/`, name: 'cal', read: true });
    await em.flush();
    connectionId = external.id;
  });
  afterAll(() => server.close());

  it('syncs a connection never synced in full at once, and backs off after a failure', async () => {
    await schedule();
    const [first] = await runs();
    expect(first.kind).toBe('FULL');
    await server.finished(first.id);
    expect((await runs())[0]).toMatchObject({ status: 'FAILED', error_code: 'NOT_FOUND' });

    const failed = await connection();
    expect(failed.failureCount).toBe(1);
    // 15 minutes doubled once.
    expect(failed.nextSyncAt!.getTime() - Date.now()).toBeGreaterThan(29 * MINUTE);
    expect(failed.nextSyncAt!.getTime() - Date.now()).toBeLessThanOrEqual(30 * MINUTE);

    // Not due yet: the next tick enqueues nothing.
    await schedule();
    expect(await runs()).toHaveLength(1);
  });

  it('syncs incrementally when the last full sync is less than a day old, and skips connections without import', async () => {
    await server.orm.em
      .getConnection()
      .execute("update external_calendar set next_sync_at = now() - interval '1 minute', last_full_sync_at = now() - interval '1 hour' where id = ?", [
        connectionId,
      ]);
    await schedule();
    const all = await runs();
    expect(all).toHaveLength(2);
    expect(all[1].kind).toBe('INCREMENTAL');
    await server.finished(all[1].id);
    expect((await connection()).failureCount).toBe(2);

    await server.orm.em.getConnection().execute('update sync_config set import_enabled = false where external_calendar_id = ?', [connectionId]);
    await server.orm.em.getConnection().execute("update external_calendar set next_sync_at = now() - interval '1 minute' where id = ?", [connectionId]);
    await schedule();
    expect(await runs()).toHaveLength(2);
  });

  it('leaves the connections of a tenant without the externalCalendars feature unsynced', async () => {
    await server.orm.em.getConnection().execute('update sync_config set import_enabled = true where external_calendar_id = ?', [connectionId]);
    await server.orm.em.getConnection().execute(`update tenant set features = '[]' where id = ?`, [server.tenantId]);
    await server.orm.em.getConnection().execute("update external_calendar set next_sync_at = now() - interval '1 minute' where id = ?", [connectionId]);
    await schedule();
    expect(await runs()).toHaveLength(2);
    await server.orm.em.getConnection().execute(`update tenant set features = '["externalCalendars"]' where id = ?`, [server.tenantId]);
    await schedule();
    expect(await runs()).toHaveLength(3);
  });

  it('leaves a connection whose run is still waiting or running for a later tick', async () => {
    const [latest] = (await runs()).slice(-1);
    await server.finished(latest.id);
    const em = server.orm.em.fork();
    const external = await em.findOneOrFail(ExternalCalendar, { id: connectionId }, { filters: false, populate: ['tenant', 'resource'] });
    // A run on the queue (its job is not needed: the schedule looks at the run's status).
    const waiting = em.create(SyncRun, {
      tenant: external.tenant,
      resource: external.resource,
      externalCalendar: external,
      kind: SyncRunKind.INCREMENTAL,
      status: SyncRunStatus.QUEUED,
      windowFrom: new Date(),
      windowTo: new Date(Date.now() + MINUTE),
    });
    await em.flush();
    const due = "update external_calendar set next_sync_at = now() - interval '1 minute' where id = ?";
    await server.orm.em.getConnection().execute(due, [connectionId]);
    await schedule();
    expect(await runs()).toHaveLength(4);
    // Still due: the tick that finds the run gone enqueues the next.
    await server.orm.em.getConnection().execute(`update sync_run set status = 'CANCELLED' where id = ?`, [waiting.id]);
    await schedule();
    expect(await runs()).toHaveLength(5);
  });
});
