import { randomUUID } from 'node:crypto';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { SyncRun, SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { SyncRunCalendarStatus } from '../../src/modules/sync/sync-run-calendar';
import { ProviderKind } from '../../src/providers/provider';
import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  ExternalCalendarStatusChangedDocument,
  SyncStatusChangedDocument,
  type ExternalCalendarStatusChangedSubscription,
  type SyncStatusChangedSubscription,
} from '../graphql/generated';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { LiveSubscription } from '../helpers/live';
import { oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

type StatusEvent = ExternalCalendarStatusChangedSubscription['externalCalendarStatusChanged'];
type RunEvent = SyncStatusChangedSubscription['syncStatusChanged'];

/** A connection as the services hold it, never stored: what `deps.publish` is given. */
function connectionOf(server: TestServer, fields: { tenantId: string; resourceId?: string; id?: string; status?: ExternalCalendarStatus }): ExternalCalendar {
  return server.orm.em.fork().create(
    ExternalCalendar,
    {
      id: fields.id ?? randomUUID(),
      tenant: fields.tenantId,
      resource: fields.resourceId ?? randomUUID(),
      provider: ProviderKind.CALDAV,
      status: fields.status ?? ExternalCalendarStatus.ERROR,
      lastError: 'marker',
    },
    { persist: false },
  );
}

/** A sync run as the sync service holds it, never stored. */
function runOf(
  server: TestServer,
  fields: Partial<Pick<SyncRun, 'status' | 'fetched' | 'upserted' | 'startedAt' | 'finishedAt' | 'calendars'>> & {
    tenantId: string;
    resourceId: string;
    externalCalendarId?: string | null;
  },
): SyncRun {
  const { tenantId, resourceId, externalCalendarId = null, ...rest } = fields;
  return server.orm.em.fork().create(
    SyncRun,
    {
      id: randomUUID(),
      tenant: tenantId,
      resource: resourceId,
      externalCalendar: externalCalendarId,
      kind: SyncRunKind.INCREMENTAL,
      windowFrom: new Date('2030-01-01T00:00:00Z'),
      windowTo: new Date('2030-02-01T00:00:00Z'),
      ...rest,
    },
    { persist: false },
  );
}

/** Connects a Microsoft account to a new resource of the key's tenant through the real OAuth dance. */
async function connectMicrosoft(server: TestServer, apiKey: string): Promise<{ resourceId: string; connectionId: string }> {
  const created = await server.gql(CreateResourceDocument, { input: { name: 'Dr. Live', timeZone: 'Europe/Paris' } }, apiKey);
  expect(created.errors).toBeUndefined();
  const resourceId = created.data!.createResource.id;
  const connected = await server.gql(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT' } }, apiKey);
  expect(connected.errors).toBeUndefined();
  const { authUrl, externalCalendar } = connected.data!.connectExternalCalendar;
  expect((await oauthDance(authUrl)).callbackStatus).toBe(200);
  return { resourceId, connectionId: externalCalendar.id };
}

describe('GraphQL subscriptions over graphql-ws, in one process', () => {
  let graph: GraphFake;
  let server: TestServer;
  let other: { apiKey: string; tenantId: string };
  const live: LiveSubscription<unknown>[] = [];
  const subscribe = <T>(subscription: LiveSubscription<T>) => (live.push(subscription as LiveSubscription<unknown>), subscription);

  beforeAll(async () => {
    graph = await startGraphFake();
    server = await startTestServer({ env: microsoftEnv(graph) });
    other = await server.createTenant(`other-${randomUUID()}`);
  });
  afterEach(async () => {
    await Promise.all(live.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
  });

  it('refuses a connection without an API key, or with an unknown one, with close code 4401', async () => {
    for (const key of [null, `csk_${'x'.repeat(40)}`]) {
      const refused = subscribe(new LiveSubscription(server.wsUrl, key, ExternalCalendarStatusChangedDocument));
      expect(await refused.ended).toMatchObject({ code: 4401 });
      expect(refused.received).toEqual([]);
    }
  });

  it("streams the tenant's own connection status changes, CONNECTED then DISCONNECTED, and never another tenant's", async () => {
    const mine = subscribe(
      new LiveSubscription<{ externalCalendarStatusChanged: StatusEvent }>(server.wsUrl, server.apiKey, ExternalCalendarStatusChangedDocument),
    );
    // The other spelling of the key's field, as some clients send it.
    const theirs = subscribe(
      new LiveSubscription<{ externalCalendarStatusChanged: StatusEvent }>(
        server.wsUrl,
        other.apiKey,
        ExternalCalendarStatusChangedDocument,
        {},
        'Authorization',
      ),
    );
    const markers = new Set<string>();
    const syncWith = async (subscription: typeof mine, tenantId: string) => {
      const marker = connectionOf(server, { tenantId });
      markers.add(marker.id);
      await subscription.sync(
        () => server.deps.publish.externalCalendarStatusChanged(marker),
        (data) => data.externalCalendarStatusChanged.externalCalendarId === marker.id,
      );
    };
    await syncWith(mine, server.tenantId);
    await syncWith(theirs, other.tenantId);

    const { resourceId, connectionId } = await connectMicrosoft(server, server.apiKey);
    const connected = await mine.waitFor(({ externalCalendarStatusChanged: e }) => e.externalCalendarId === connectionId && e.status === 'CONNECTED');
    expect(connected.externalCalendarStatusChanged).toEqual({
      externalCalendarId: connectionId,
      resourceId,
      provider: 'MICROSOFT',
      status: 'CONNECTED',
      lastError: null,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    await server.ok(DisconnectDocument, { id: connectionId });
    await mine.waitFor(({ externalCalendarStatusChanged: e }) => e.externalCalendarId === connectionId && e.status === 'DISCONNECTED');
    const statuses = mine.received
      .map(({ externalCalendarStatusChanged: e }) => e)
      .filter((e) => e.externalCalendarId === connectionId)
      .map((e) => e.status);
    expect(statuses.indexOf('CONNECTED')).toBeLessThan(statuses.indexOf('DISCONNECTED'));

    // Everything published before this marker that the other tenant could see has arrived by now.
    await syncWith(theirs, other.tenantId);
    expect(theirs.received.filter(({ externalCalendarStatusChanged: e }) => !markers.has(e.externalCalendarId))).toEqual([]);
    expect(mine.received.every(({ externalCalendarStatusChanged: e }) => e.externalCalendarId === connectionId || markers.has(e.externalCalendarId))).toBe(
      true,
    );
  });

  it('streams sync runs with their counters and instants, narrowed to one connection or one resource', async () => {
    const tenantId = server.tenantId;
    const [resource1, resource2, calendarX, calendarY] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    type Live = LiveSubscription<{ syncStatusChanged: RunEvent }>;
    const all: Live = subscribe(new LiveSubscription(server.wsUrl, server.apiKey, SyncStatusChangedDocument));
    const ofCalendar: Live = subscribe(new LiveSubscription(server.wsUrl, server.apiKey, SyncStatusChangedDocument, { externalCalendarId: calendarX }));
    const ofResource: Live = subscribe(new LiveSubscription(server.wsUrl, server.apiKey, SyncStatusChangedDocument, { resourceId: resource2 }));
    const markers = new Set<string>();
    // A marker run matching each subscription's filter: X of resource 1, and a resource-wide run of resource 2.
    const syncAll = () =>
      Promise.all(
        (
          [
            [all, { tenantId, resourceId: resource1, externalCalendarId: calendarX }],
            [ofCalendar, { tenantId, resourceId: resource1, externalCalendarId: calendarX }],
            [ofResource, { tenantId, resourceId: resource2 }],
          ] as const
        ).map(([subscription, fields]) => {
          const marker = runOf(server, fields);
          markers.add(marker.id);
          return subscription.sync(
            () => server.deps.publish.syncRunChanged(marker),
            (data) => data.syncStatusChanged.syncRunId === marker.id,
          );
        }),
      );
    await syncAll();

    const runY = runOf(server, { tenantId, resourceId: resource1, externalCalendarId: calendarY, status: SyncRunStatus.RUNNING, startedAt: new Date() });
    const runOfResource2 = runOf(server, { tenantId, resourceId: resource2, status: SyncRunStatus.QUEUED });
    const foreign = runOf(server, { tenantId: other.tenantId, resourceId: resource2, externalCalendarId: calendarX });
    const runX = runOf(server, {
      tenantId,
      resourceId: resource1,
      externalCalendarId: calendarX,
      status: SyncRunStatus.SUCCEEDED,
      fetched: 31,
      upserted: 30,
      calendars: [
        {
          providerCalendarId: '5b0b6c1e-0000-4000-8000-000000000001',
          externalCalendarId: calendarX,
          name: 'Work',
          status: SyncRunCalendarStatus.SUCCEEDED,
          fetched: 31,
          upserted: 30,
          deleted: 0,
          skipped: 0,
          error: null,
        },
      ],
      startedAt: new Date('2030-01-01T08:00:00.000Z'),
      finishedAt: new Date('2030-01-01T08:00:02.500Z'),
    });
    for (const run of [runY, runOfResource2, foreign, runX]) await server.deps.publish.syncRunChanged(run);
    await syncAll();

    const seen = (subscription: Live) => subscription.received.map((data) => data.syncStatusChanged).filter((e) => !markers.has(e.syncRunId));
    expect(seen(all).map((e) => e.syncRunId)).toEqual([runY.id, runOfResource2.id, runX.id]);
    expect(seen(ofCalendar).map((e) => e.syncRunId)).toEqual([runX.id]);
    expect(seen(ofResource).map((e) => e.syncRunId)).toEqual([runOfResource2.id]);
    expect(seen(all)[1]).toMatchObject({ externalCalendarId: null, status: 'QUEUED', startedAt: null, finishedAt: null });
    expect(seen(ofCalendar)[0]).toEqual({
      syncRunId: runX.id,
      resourceId: resource1,
      externalCalendarId: calendarX,
      kind: 'INCREMENTAL',
      status: 'SUCCEEDED',
      pages: 0,
      fetched: 31,
      upserted: 30,
      deleted: 0,
      skipped: 0,
      calendars: [{ providerCalendarId: '5b0b6c1e-0000-4000-8000-000000000001', status: 'SUCCEEDED' }],
      error: null,
      errorCode: null,
      startedAt: '2030-01-01T08:00:00.000Z',
      finishedAt: '2030-01-01T08:00:02.500Z',
      occurredAt: expect.any(String),
    });
  });
});

describe('GraphQL subscriptions with REDIS_URL, across two app instances', () => {
  const redisEnv = { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  let graph: GraphFake;
  let api: TestServer;
  let worker: TestServer;
  let subscription: LiveSubscription<{ externalCalendarStatusChanged: StatusEvent }>;

  beforeAll(async () => {
    graph = await startGraphFake();
    [api, worker] = await Promise.all([
      startTestServer({ env: { ...redisEnv, ...microsoftEnv(graph) } }),
      startTestServer({ env: { ...redisEnv, ...microsoftEnv(graph) } }),
    ]);
  });
  afterAll(async () => {
    await subscription?.close();
    await api?.close();
    await worker?.close();
    await graph?.close();
  });

  it('delivers to a subscriber of one instance what another instance publishes', async () => {
    subscription = new LiveSubscription(api.wsUrl, api.apiKey, ExternalCalendarStatusChangedDocument);
    const marker = connectionOf(worker, { tenantId: api.tenantId });
    await subscription.sync(
      () => worker.deps.publish.externalCalendarStatusChanged(marker),
      (data) => data.externalCalendarStatusChanged.externalCalendarId === marker.id,
    );

    // The OAuth callback lands on the second instance (its PUBLIC_URL), which publishes CONNECTED.
    const { connectionId } = await connectMicrosoft(worker, api.apiKey);
    const connected = await subscription.waitFor(({ externalCalendarStatusChanged: e }) => e.externalCalendarId === connectionId);
    expect(connected.externalCalendarStatusChanged).toMatchObject({ status: 'CONNECTED', provider: 'MICROSOFT', lastError: null });
  });
});
