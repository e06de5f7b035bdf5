import { until } from '../helpers/processes';
import { maintainPushChannels } from '../../src/modules/push/push-maintenance';
import { PUSH_DEBOUNCE_MS } from '../../src/modules/push/push.jobs';
import { hashPushToken, newPushToken } from '../../src/modules/push/push-token';
import { ConnectOAuthDocument, CreateResourceDocument, GetExternalCalendarDocument, SelectCalendarsDocument, SyncCalendarDocument } from '../graphql/generated';
import { microsoftEnv, startGraphFake, type FakeSubscription, type GraphFake } from '../fakes/microsoft/graph-fake';
import { oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

interface RunRow {
  id: string;
  kind: string;
  status: string;
  upserted: number;
}

interface ChannelRow {
  channel_id: string;
  lifecycle_url: string | null;
  expires_at: Date;
}

/** RFC 3339 instant `hours` after now, on the hour. */
function inHours(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  date.setUTCMinutes(0, 0, 0);
  return date.toISOString();
}

/** {@link until} with the probe first, as these tests read best. */
function eventually<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return until(what, async () => probe(), timeoutMs);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Microsoft Graph lifecycle notifications and delivery realism (batched, duplicated)', () => {
  let graph: GraphFake;
  let server: TestServer;
  let resourceId: string;
  let connection: string;
  let webhook: string;
  let secondCalendar: string;

  beforeAll(async () => {
    graph = await startGraphFake();
    server = await startTestServer({ env: microsoftEnv(graph) });
    webhook = `${server.url}/webhooks/microsoft`;
    secondCalendar = graph.addCalendar({ name: 'Second' });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Lifecycle', timeZone: 'Europe/Paris' } })).createResource.id;
  });
  afterAll(async () => {
    await server?.close();
    await graph?.close();
  });

  const sql = <T>(query: string, params: unknown[] = []) => server.orm.em.getConnection().execute<T[]>(query, params);
  const runsOf = (connectionId: string) =>
    sql<RunRow>('select id, kind, status, upserted from sync_run where external_calendar_id = ? order by created_at', [connectionId]);
  const channelOf = async (connectionId: string) =>
    (await sql<ChannelRow>('select channel_id, lifecycle_url, expires_at from push_channel where external_calendar_id = ?', [connectionId]))[0];
  const subscription = (id: string) => graph.subscriptions.find((candidate) => candidate.id === id)!;
  const postToWebhook = (body: unknown) => fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Waits for exactly one run after `before` to finish, then for the debounce to pass, and returns it. */
  async function theOneRunAfter(connectionId: string, before: number): Promise<RunRow> {
    const run = await eventually(async () => (await runsOf(connectionId))[before], 'the push sync run');
    await server.finished(run.id);
    await sleep(PUSH_DEBOUNCE_MS + 1_000);
    const runs = await runsOf(connectionId);
    expect(runs).toHaveLength(before + 1);
    return runs[before];
  }

  /** Connects the account again, reads only the calendar named, syncs once, and waits for its subscription. */
  async function connect(calendarName: string): Promise<string> {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider: 'MICROSOFT' } });
    expect((await oauthDance(connectExternalCalendar.authUrl)).callbackStatus).toBe(200);
    const id = connectExternalCalendar.externalCalendar.id;
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id });
    const calendar = externalCalendar!.providerCalendars.find((candidate) => candidate.name === calendarName)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: id, readCalendarIds: [calendar.id] } });
    await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: id })).syncExternalCalendar.id);
    await eventually(() => channelOf(id), 'the Graph subscription');
    return id;
  }

  it('creates every subscription with the webhook as lifecycleNotificationUrl too, and stores it with the channel', async () => {
    connection = await connect('Calendar');
    const row = await channelOf(connection);
    expect(subscription(row.channel_id)).toMatchObject({ notificationUrl: webhook, lifecycleNotificationUrl: webhook, deleted: false });
    expect(row.lifecycle_url).toBe(webhook);
  });

  it('answers reauthorizationRequired with POST /subscriptions/{id}/reauthorize in a job, keeping the subscription and its expiry', async () => {
    const row = await channelOf(connection);
    const before = (await runsOf(connection)).length;
    const expiry = subscription(row.channel_id).expirationDateTime;
    expect(await graph.sendLifecycle(row.channel_id, 'reauthorizationRequired')).toBe(202);
    await eventually(() => subscription(row.channel_id).reauthorizations === 1, 'the reauthorize request');
    expect(graph.requests.filter((request) => request.path === `/v1.0/subscriptions/${row.channel_id}/reauthorize`)).toEqual([
      expect.objectContaining({ method: 'POST', status: 204 }),
    ]);
    expect(subscription(row.channel_id)).toMatchObject({ deleted: false, expirationDateTime: expiry });
    expect((await channelOf(connection)).channel_id).toBe(row.channel_id);
    await sleep(PUSH_DEBOUNCE_MS + 500);
    expect(await runsOf(connection)).toHaveLength(before);
  });

  it('answers missed with one incremental sync that picks up the change whose notification was lost', async () => {
    const row = await channelOf(connection);
    const before = (await runsOf(connection)).length;
    graph.addEvent(graph.defaultCalendarId, { subject: 'Missed', start: inHours(30), end: inHours(31) });
    expect(await graph.sendLifecycle(row.channel_id, 'missed')).toBe(202);
    expect(await theOneRunAfter(connection, before)).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
  });

  it('answers subscriptionRemoved with a new subscription (both URLs) and then a sync', async () => {
    const old = await channelOf(connection);
    const before = (await runsOf(connection)).length;
    graph.addEvent(graph.defaultCalendarId, { subject: 'While removed', start: inHours(32), end: inHours(33) });
    expect(await graph.sendLifecycle(old.channel_id, 'subscriptionRemoved')).toBe(202);
    const renewed = await eventually(async () => {
      const row = await channelOf(connection);
      return row && row.channel_id !== old.channel_id && row;
    }, 'the new subscription');
    expect(subscription(renewed.channel_id)).toMatchObject<Partial<FakeSubscription>>({
      calendarId: graph.defaultCalendarId,
      notificationUrl: webhook,
      lifecycleNotificationUrl: webhook,
      deleted: false,
    });
    expect(graph.subscriptions.filter((candidate) => !candidate.deleted).map((candidate) => candidate.id)).toEqual([renewed.channel_id]);
    expect(await theOneRunAfter(connection, before)).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
  });

  it('does nothing for lifecycle notifications with a wrong or missing clientState', async () => {
    const row = await channelOf(connection);
    const before = (await runsOf(connection)).length;
    const requestsBefore = graph.requests.length;
    const item = { subscriptionId: row.channel_id, subscriptionExpirationDateTime: inHours(48), tenantId: 't' };
    for (const lifecycleEvent of ['reauthorizationRequired', 'missed', 'subscriptionRemoved']) {
      expect((await postToWebhook({ value: [{ ...item, lifecycleEvent, clientState: 'forged' }] })).status).toBe(202);
      expect((await postToWebhook({ value: [{ ...item, lifecycleEvent }] })).status).toBe(202);
    }
    await sleep(PUSH_DEBOUNCE_MS + 1_000);
    expect(graph.requests.slice(requestsBefore)).toEqual([]);
    expect(subscription(row.channel_id)).toMatchObject({ deleted: false, reauthorizations: 0 });
    expect((await channelOf(connection)).channel_id).toBe(row.channel_id);
    expect(await runsOf(connection)).toHaveLength(before);
  });

  it('syncs both connections of one batched POST carrying the notifications of two subscriptions', async () => {
    const second = await connect('Second');
    const before = [(await runsOf(connection)).length, (await runsOf(second)).length];
    graph.addEvent(graph.defaultCalendarId, { subject: 'Batched one', start: inHours(34), end: inHours(35) });
    graph.addEvent(secondCalendar, { subject: 'Batched two', start: inHours(36), end: inHours(37) });
    expect(await graph.notifyBatch([graph.defaultCalendarId, secondCalendar], 'created')).toEqual([202]);
    const batch = graph.deliveries.at(-1)!.body.value!;
    expect(new Set(batch.map((item) => item.subscriptionId))).toEqual(
      new Set([(await channelOf(connection)).channel_id, (await channelOf(second)).channel_id]),
    );
    expect(await theOneRunAfter(connection, before[0]!)).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
    expect(await theOneRunAfter(second, before[1]!)).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
  });

  it('makes one debounced sync of a notification delivered twice', async () => {
    const before = (await runsOf(connection)).length;
    graph.addEvent(graph.defaultCalendarId, { subject: 'Twice', start: inHours(38), end: inHours(39) });
    expect(await graph.notify(graph.defaultCalendarId, 'created')).toEqual([202]);
    expect(await graph.redeliverLast()).toBe(202);
    expect(graph.deliveries.at(-1)!.body).toEqual(graph.deliveries.at(-2)!.body);
    expect(await theOneRunAfter(connection, before)).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
  });

  it('replaces, in maintenance, a subscription created before Calsync asked for lifecycle notifications', async () => {
    // What a subscription from before this change looks like: no lifecycleNotificationUrl at Graph, none stored.
    const current = await channelOf(connection);
    const access = { authorization: `Bearer ${graph.issueAccessToken()}`, 'content-type': 'application/json' };
    expect((await fetch(`${graph.url}/v1.0/subscriptions/${current.channel_id}`, { method: 'DELETE', headers: access })).status).toBe(204);
    const clientState = newPushToken();
    const created = await fetch(`${graph.url}/v1.0/subscriptions`, {
      method: 'POST',
      headers: access,
      body: JSON.stringify({
        changeType: 'created,updated,deleted',
        notificationUrl: webhook,
        resource: `me/calendars/${encodeURIComponent(graph.defaultCalendarId)}/events`,
        expirationDateTime: inHours(48),
        clientState,
      }),
    });
    const legacy = ((await created.json()) as { id: string }).id;
    expect(subscription(legacy).lifecycleNotificationUrl).toBeNull();
    await sql('update push_channel set channel_id = ?, token_hash = ?, lifecycle_url = null where external_calendar_id = ?', [
      legacy,
      hashPushToken(clientState),
      connection,
    ]);

    const warnings: string[] = [];
    const maintain = () =>
      maintainPushChannels(
        server.orm,
        server.deps,
        { warn: (message) => warnings.push(message) },
        { externalCalendarId: connection, tenantId: server.tenantId },
      );
    await maintain();
    expect(warnings).toEqual([]);
    const replaced = await channelOf(connection);
    expect(replaced.channel_id).not.toBe(legacy);
    expect(replaced.lifecycle_url).toBe(webhook);
    expect(subscription(legacy).deleted).toBe(true);
    expect(subscription(replaced.channel_id)).toMatchObject({ lifecycleNotificationUrl: webhook, deleted: false });
    // Once: the replacement is left alone by the next pass.
    await maintain();
    expect((await channelOf(connection)).channel_id).toBe(replaced.channel_id);
  });
});
