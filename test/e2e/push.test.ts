import { until } from '../helpers/processes';
import { maintainPushChannels } from '../../src/modules/push/push-maintenance';
import { PUSH_DEBOUNCE_MS } from '../../src/modules/push/push.jobs';
import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  DisconnectDocument,
  GetExternalCalendarDocument,
  ListEventsDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { oauthDance } from '../helpers/oauth-dance';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const GOOGLE_CALENDAR = 'owner@example.com';

interface RunRow {
  id: string;
  kind: string;
  status: string;
  upserted: number;
}

interface ChannelRow {
  channel_id: string;
  resource_id: string | null;
  token_hash: string;
  expires_at: Date;
}

/** RFC 3339 instant `hours` after now, on the hour. */
function inHours(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  date.setUTCMinutes(0, 0, 0);
  return date.toISOString();
}

/** {@link until} with the probe first, as these tests read best. */
function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  return until(what, async () => probe(), timeoutMs);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Push notifications: Google channels and Graph subscriptions, webhooks, debounced syncs', () => {
  let google: GoogleFake;
  let graph: GraphFake;
  let server: TestServer;
  let resourceId: string;
  let googleConnection: string;
  let graphConnection: string;
  /** Statements the gateway's ORM sent, for a test that counts them. */
  const statements: string[] = [];

  beforeAll(async () => {
    google = await startGoogleFake();
    graph = await startGraphFake();
    server = await startTestServer({
      onQuery: (statement) => statements.push(statement),
      env: {
        ...googleEnv(google),
        ...microsoftEnv(graph),
      },
    });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Push', timeZone: 'Europe/Paris' } })).createResource.id;
    google.addCalendar({ id: GOOGLE_CALENDAR, summary: 'Owner', primary: true, accessRole: 'owner', timeZone: 'Europe/Paris' });
    google.addEvent(GOOGLE_CALENDAR, { id: 'first', summary: 'First', start: { dateTime: inHours(24) }, end: { dateTime: inHours(25) } });
    graph.addEvent(graph.defaultCalendarId, { subject: 'First', start: inHours(26), end: inHours(27) });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
    await graph?.close();
  });

  const sql = <T>(query: string, params: unknown[] = []) => server.orm.em.getConnection().execute<T[]>(query, params);
  const runsOf = (connectionId: string) =>
    sql<RunRow>('select id, kind, status, upserted from sync_run where external_calendar_id = ? order by created_at', [connectionId]);
  const channelsOf = (connectionId: string) =>
    sql<ChannelRow>('select channel_id, resource_id, token_hash, expires_at from push_channel where external_calendar_id = ?', [connectionId]);
  const pushJobs = async (connectionId: string) =>
    Number((await sql<{ count: string }>('select count(*) from graphile_worker._private_jobs where key = ?', [`push:${connectionId}`]))[0].count);
  const eventTitles = async (connectionId: string) =>
    (
      await server.ok(ListEventsDocument, {
        filter: { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + 30 * DAY).toISOString(), externalCalendarIds: [connectionId] },
        first: 100,
      })
    ).externalEvents.edges.map((edge) => edge.node.title);

  /** Waits for exactly one run after `before` to finish, then for the debounce to pass, and returns it. */
  async function theOneRunAfter(connectionId: string, before: number): Promise<RunRow> {
    const run = await eventually(async () => (await runsOf(connectionId))[before], 'the push sync run');
    await server.finished(run.id);
    await sleep(PUSH_DEBOUNCE_MS + 1_000);
    const runs = await runsOf(connectionId);
    expect(runs).toHaveLength(before + 1);
    return runs[before];
  }

  async function connect(provider: 'GOOGLE' | 'MICROSOFT'): Promise<string> {
    const { connectExternalCalendar } = await server.ok(ConnectOAuthDocument, { input: { resourceId, provider } });
    expect((await oauthDance(connectExternalCalendar.authUrl)).callbackStatus).toBe(200);
    const id = connectExternalCalendar.externalCalendar.id;
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id });
    const primary = externalCalendar!.providerCalendars.find((calendar) => calendar.primary)!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: id, readCalendarIds: [primary.id] } });
    await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: id })).syncExternalCalendar.id);
    return id;
  }

  describe('Google', () => {
    it('opens an events.watch channel on the read calendar after connect and select, and acknowledges the sync handshake', async () => {
      googleConnection = await connect('GOOGLE');
      const [row] = await eventually(async () => (await channelsOf(googleConnection)).length === 1 && channelsOf(googleConnection), 'the Google channel');
      const channel = google.channels.find((candidate) => candidate.id === row.channel_id)!;
      expect(channel).toMatchObject({ calendarId: GOOGLE_CALENDAR, address: `${server.url}/webhooks/google`, stopped: false, resourceId: row.resource_id });
      // Only a hash of the channel token is stored.
      expect(channel.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.token_hash).not.toContain(channel.token!);
      expect(new Date(row.expires_at).getTime()).toBe(channel.expiration);
      await eventually(async () => google.deliveries.find((delivery) => delivery.channelId === channel.id), 'the sync handshake');
      expect(google.deliveries.filter((delivery) => delivery.channelId === channel.id)).toEqual([{ channelId: channel.id, state: 'sync', status: 200 }]);
      expect(await runsOf(googleConnection)).toHaveLength(1);
    });

    it('turns a change notification into exactly one incremental run that stores the change', async () => {
      const before = (await runsOf(googleConnection)).length;
      google.addEvent(GOOGLE_CALENDAR, { id: 'pushed', summary: 'Pushed', start: { dateTime: inHours(30) }, end: { dateTime: inHours(31) } });
      expect(await google.notify(GOOGLE_CALENDAR)).toEqual([200]);
      const run = await theOneRunAfter(googleConnection, before);
      expect(run).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
      expect((await eventTitles(googleConnection)).sort()).toEqual(['First', 'Pushed']);
    });

    it('makes one run of a burst of 50 notifications', async () => {
      const before = (await runsOf(googleConnection)).length;
      google.updateEvent(GOOGLE_CALENDAR, 'pushed', { summary: 'Pushed again' });
      const statuses = await Promise.all(Array.from({ length: 50 }, () => google.notify(GOOGLE_CALENDAR)));
      expect(statuses.flat()).toEqual(Array(50).fill(200));
      const run = await theOneRunAfter(googleConnection, before);
      expect(run).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
      expect(await eventTitles(googleConnection)).toContain('Pushed again');
    });

    it('refuses a wrong channel token, another resource id and an unknown channel alike (401), enqueuing nothing', async () => {
      const before = (await runsOf(googleConnection)).length;
      const [row] = await channelsOf(googleConnection);
      const post = (headers: Record<string, string>) =>
        fetch(`${server.url}/webhooks/google`, { method: 'POST', headers: { 'x-goog-resource-state': 'exists', 'x-goog-message-number': '9', ...headers } });
      const token = google.channels.find((channel) => channel.id === row.channel_id)!.token!;
      expect((await post({ 'x-goog-channel-id': row.channel_id, 'x-goog-resource-id': row.resource_id!, 'x-goog-channel-token': 'forged' })).status).toBe(401);
      expect((await post({ 'x-goog-channel-id': row.channel_id, 'x-goog-resource-id': row.resource_id! })).status).toBe(401);
      expect((await post({ 'x-goog-channel-id': row.channel_id, 'x-goog-resource-id': 'another', 'x-goog-channel-token': token })).status).toBe(401);
      // An unknown channel is answered as a forged one: the answer does not tell which channel ids exist.
      expect((await post({ 'x-goog-channel-id': 'no-such-channel', 'x-goog-resource-id': row.resource_id!, 'x-goog-channel-token': token })).status).toBe(401);
      expect((await post({})).status).toBe(400);
      expect(
        (
          await post({
            'x-goog-channel-id': row.channel_id,
            'x-goog-resource-id': row.resource_id!,
            'x-goog-channel-token': token,
            'x-goog-message-number': 'many',
          })
        ).status,
      ).toBe(400);
      expect(await pushJobs(googleConnection)).toBe(0);
      await sleep(PUSH_DEBOUNCE_MS + 500);
      expect(await runsOf(googleConnection)).toHaveLength(before);
    });

    it('acknowledges a replayed notification (its message number not above the last one taken) and enqueues nothing', async () => {
      const [row] = await channelsOf(googleConnection);
      const channel = google.channels.find((candidate) => candidate.id === row.channel_id)!;
      const before = (await runsOf(googleConnection)).length;
      google.updateEvent(GOOGLE_CALENDAR, 'pushed', { summary: 'Pushed a third time' });
      expect(await google.notify(GOOGLE_CALENDAR)).toEqual([200]);
      await theOneRunAfter(googleConnection, before);
      // The very message Google delivered, sent again by someone who captured it, and an older one.
      const replay = (messageNumber: number) =>
        fetch(`${server.url}/webhooks/google`, {
          method: 'POST',
          headers: {
            'x-goog-channel-id': channel.id,
            'x-goog-channel-token': channel.token!,
            'x-goog-resource-id': channel.resourceId,
            'x-goog-resource-state': 'exists',
            'x-goog-message-number': String(messageNumber),
          },
        });
      expect((await replay(channel.messageNumber)).status).toBe(200);
      expect((await replay(channel.messageNumber - 1)).status).toBe(200);
      expect(await pushJobs(googleConnection)).toBe(0);
      await sleep(PUSH_DEBOUNCE_MS + 500);
      expect(await runsOf(googleConnection)).toHaveLength(before + 1);
      // Google's next message is taken as usual.
      expect(await google.notify(GOOGLE_CALENDAR)).toEqual([200]);
      await theOneRunAfter(googleConnection, before + 1);
    });

    it('refuses a body (Google sends none) over 16 KiB with 413', async () => {
      const response = await fetch(`${server.url}/webhooks/google`, {
        method: 'POST',
        headers: { 'x-goog-channel-id': 'c', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' },
        body: 'x'.repeat(64 * 1024),
      });
      expect(response.status).toBe(413);
    });

    it('renews a channel about to expire: a new channel first, then the old one stopped', async () => {
      const [old] = await channelsOf(googleConnection);
      const oldToken = google.channels.find((channel) => channel.id === old.channel_id)!.token!;
      await sql(`update push_channel set expires_at = now() + interval '10 minutes' where external_calendar_id = ?`, [googleConnection]);
      const warnings: string[] = [];
      await maintainPushChannels(
        server.orm,
        server.deps,
        { warn: (message) => warnings.push(message) },
        { externalCalendarId: googleConnection, tenantId: server.tenantId },
      );
      expect(warnings).toEqual([]);
      const [renewed] = await channelsOf(googleConnection);
      expect(renewed.channel_id).not.toBe(old.channel_id);
      expect(new Date(renewed.expires_at).getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
      expect(google.channels.find((channel) => channel.id === old.channel_id)?.stopped).toBe(true);
      expect(google.channels.filter((channel) => channel.calendarId === GOOGLE_CALENDAR && !channel.stopped).map((channel) => channel.id)).toEqual([
        renewed.channel_id,
      ]);
      // The old channel's messages are no longer accepted.
      const stale = await fetch(`${server.url}/webhooks/google`, {
        method: 'POST',
        headers: {
          'x-goog-channel-id': old.channel_id,
          'x-goog-resource-id': old.resource_id!,
          'x-goog-channel-token': oldToken,
          'x-goog-resource-state': 'exists',
          'x-goog-message-number': '99',
        },
      });
      expect(stale.status).toBe(401);
    });
  });

  describe('Microsoft Graph', () => {
    it('subscribes to the read calendar after connect and select, answering the validation echo', async () => {
      graphConnection = await connect('MICROSOFT');
      const [row] = await eventually(async () => (await channelsOf(graphConnection)).length === 1 && channelsOf(graphConnection), 'the Graph subscription');
      const subscription = graph.subscriptions.find((candidate) => candidate.id === row.channel_id)!;
      expect(subscription).toMatchObject({
        calendarId: graph.defaultCalendarId,
        resource: `me/calendars/${encodeURIComponent(graph.defaultCalendarId)}/events`,
        changeType: 'created,updated,deleted',
        notificationUrl: `${server.url}/webhooks/microsoft`,
        deleted: false,
      });
      expect(row.resource_id).toBeNull();
      expect(row.token_hash).not.toContain(subscription.clientState!);
      expect(Date.parse(subscription.expirationDateTime)).toBe(new Date(row.expires_at).getTime());
      expect(Date.parse(subscription.expirationDateTime)).toBeGreaterThan(Date.now() + 2 * DAY);
    });

    it('echoes a validation token as text/plain', async () => {
      const response = await fetch(`${server.url}/webhooks/microsoft?validationToken=${encodeURIComponent('Validation: Testing <b>1</b>')}`, {
        method: 'POST',
      });
      expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([
        200,
        'text/plain; charset=utf-8',
        'Validation: Testing <b>1</b>',
      ]);
    });

    it('turns a change notification into exactly one incremental run that stores the change', async () => {
      const before = (await runsOf(graphConnection)).length;
      graph.addEvent(graph.defaultCalendarId, { subject: 'Pushed', start: inHours(32), end: inHours(33) });
      expect(await graph.notify(graph.defaultCalendarId, 'created')).toEqual([202]);
      const run = await theOneRunAfter(graphConnection, before);
      expect(run).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED', upserted: 1 });
      expect((await eventTitles(graphConnection)).sort()).toEqual(['First', 'Pushed']);
    });

    it('makes one run of a burst of 50 notifications', async () => {
      const before = (await runsOf(graphConnection)).length;
      const statuses = await Promise.all(Array.from({ length: 50 }, () => graph.notify(graph.defaultCalendarId)));
      expect(statuses.flat()).toEqual(Array(50).fill(202));
      expect((await theOneRunAfter(graphConnection, before)).status).toBe('SUCCEEDED');
    });

    it('ignores notifications with a wrong clientState or an unknown subscription, enqueuing nothing', async () => {
      const before = (await runsOf(graphConnection)).length;
      const [row] = await channelsOf(graphConnection);
      const post = (body: unknown) =>
        fetch(`${server.url}/webhooks/microsoft`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const item = {
        changeType: 'updated',
        resource: 'Users/x/Events/y',
        tenantId: 't',
        subscriptionExpirationDateTime: new Date(Date.now() + DAY).toISOString(),
      };
      expect((await post({ value: [{ ...item, subscriptionId: row.channel_id, clientState: 'forged' }] })).status).toBe(202);
      expect((await post({ value: [{ ...item, subscriptionId: row.channel_id }] })).status).toBe(202);
      expect((await post({ value: [{ ...item, subscriptionId: 'no-such-subscription', clientState: 'forged' }] })).status).toBe(202);
      expect((await post({ nothing: true })).status).toBe(400);
      expect(await pushJobs(graphConnection)).toBe(0);
      await sleep(PUSH_DEBOUNCE_MS + 500);
      expect(await runsOf(graphConnection)).toHaveLength(before);
    });

    it('checks a 1 MB body of 12,000 forged notifications with one lookup and one log line, and refuses larger or broken bodies', async () => {
      const before = (await runsOf(graphConnection)).length;
      const value = Array.from({ length: 12_000 }, (_, i) => ({ subscriptionId: `forged-${i}`, clientState: 'forged', changeType: 'updated' }));
      const body = JSON.stringify({ value });
      expect(body.length).toBeLessThan(1024 * 1024);
      const warn = jest.spyOn(server.deps.logger, 'warn');
      statements.length = 0;
      const started = Date.now();
      const response = await fetch(`${server.url}/webhooks/microsoft`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(202);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(statements.filter((statement) => statement.includes('push_channel'))).toHaveLength(1);
      expect(warn.mock.calls.filter(([, message]) => message === 'ignored Microsoft Graph notifications')).toEqual([
        [{ items: 12_000, accepted: 0, refused: 1_000, unreadable: 0, skipped: 11_000 }, 'ignored Microsoft Graph notifications'],
      ]);
      warn.mockRestore();
      const post = (payload: string) =>
        fetch(`${server.url}/webhooks/microsoft`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
      expect((await post(JSON.stringify({ value: [{ subscriptionId: 'x', pad: 'x'.repeat(2 * 1024 * 1024) }] }))).status).toBe(413);
      expect((await post('{"value": [')).status).toBe(400);
      expect(await runsOf(graphConnection)).toHaveLength(before);
    });

    it('renews a subscription about to expire with PATCH, keeping its id', async () => {
      const [old] = await channelsOf(graphConnection);
      await sql(`update push_channel set expires_at = now() + interval '10 minutes' where external_calendar_id = ?`, [graphConnection]);
      const warnings: string[] = [];
      await maintainPushChannels(
        server.orm,
        server.deps,
        { warn: (message) => warnings.push(message) },
        { externalCalendarId: graphConnection, tenantId: server.tenantId },
      );
      expect(warnings).toEqual([]);
      const [renewed] = await channelsOf(graphConnection);
      expect(renewed.channel_id).toBe(old.channel_id);
      expect(new Date(renewed.expires_at).getTime()).toBeGreaterThan(Date.now() + 2 * DAY);
      expect(graph.requests.filter((request) => request.method === 'PATCH' && request.path === `/v1.0/subscriptions/${old.channel_id}`)).toHaveLength(1);
      expect(graph.subscriptions.filter((subscription) => !subscription.deleted)).toHaveLength(1);
    });
  });

  it('stops a calendar’s channel when it is no longer read, and every channel on disconnect', async () => {
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: graphConnection, readCalendarIds: [] } });
    await eventually(async () => (await channelsOf(graphConnection)).length === 0, 'the unread calendar’s subscription to go');
    expect(graph.subscriptions.every((subscription) => subscription.deleted)).toBe(true);

    const [googleChannel] = await channelsOf(googleConnection);
    await server.ok(DisconnectDocument, { id: googleConnection });
    expect(await channelsOf(googleConnection)).toEqual([]);
    expect(google.channels.find((channel) => channel.id === googleChannel.channel_id)?.stopped).toBe(true);
    expect(google.channels.every((channel) => channel.stopped)).toBe(true);
    await server.ok(DisconnectDocument, { id: graphConnection });
  });
});
