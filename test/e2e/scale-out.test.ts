import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  ConnectOAuthDocument,
  CreateResourceDocument,
  GetExternalCalendarDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  SyncStatusChangedDocument,
  type SyncStatusChangedSubscription,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { freePort } from '../helpers/free-port';
import { LiveSubscription } from '../helpers/live';
import { oauthDance } from '../helpers/oauth-dance';
import { buildGateway, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';

const DAY = 86_400_000;
type RunEvent = SyncStatusChangedSubscription['syncStatusChanged'];

/**
 * Two API processes and one worker process on one PostgreSQL and one Redis, as `npm run cli --
 * serve --no-worker` and `npm run worker` run them: a subscriber on API A follows, live, a sync
 * requested on API B and run by the worker.
 */
describe('API and worker processes apart, sharing PostgreSQL and Redis', () => {
  let google: GoogleFake;
  const processes: GatewayProcess[] = [];
  let apiA: string;
  let apiB: string;
  let apiKey: string;

  async function gql<TResult, TVariables>(base: string, document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TResult; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  }

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    google.addCalendar({ id: 'team@example.com', summary: 'Team', accessRole: 'writer' });
    for (let i = 0; i < 40; i++) {
      const start = new Date(Date.now() + DAY + i * 3_600_000);
      const event = {
        summary: `Booking ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      };
      google.addEvent(i % 2 === 0 ? 'owner@example.com' : 'team@example.com', { id: `ev${i}`, ...event });
    }
    const [portA, portB] = [await freePort(), await freePort()];
    apiA = `http://127.0.0.1:${portA}`;
    apiB = `http://127.0.0.1:${portB}`;
    const env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      REDIS_URL: 'redis://127.0.0.1:6379',
      CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ...googleEnv(google),
      LOG_LEVEL: 'warn',
    };
    const tenant = startGatewayProcess(['tenant', 'create', 'scale-out'], env);
    expect(await tenant.exited).toBe(0);
    apiKey = /csk_[0-9A-Za-z]+/.exec(tenant.output())![0];

    processes.push(startGatewayProcess(['serve', '--no-worker'], { ...env, PORT: String(portA), PUBLIC_URL: apiA }));
    processes.push(startGatewayProcess(['serve', '--no-worker'], { ...env, PORT: String(portB), PUBLIC_URL: apiB }));
    processes.push(startGatewayProcess(['worker'], env));
    for (const base of [apiA, apiB]) await until(`${base} to serve`, async () => (await fetch(`${base}/readyz`)).ok);
  }, 120_000);
  afterAll(async () => {
    for (const process of processes) await process.stop('SIGKILL');
    await google?.close();
  });

  it('streams QUEUED, RUNNING with growing counters, SUCCEEDED to a subscriber on another API process', async () => {
    const resourceId = (await gql(apiB, CreateResourceDocument, { input: { name: 'Scale room', timeZone: 'UTC' } })).createResource.id;
    const { connectExternalCalendar } = await gql(apiB, ConnectOAuthDocument, { input: { resourceId, provider: 'GOOGLE' } });
    const connectionId = connectExternalCalendar.externalCalendar.id;
    await oauthDance(connectExternalCalendar.authUrl);
    const calendars = (await gql(apiB, GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
    await gql(apiB, SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: calendars.map((c) => c.id) } });

    const live = new LiveSubscription<SyncStatusChangedSubscription>(apiA.replace('http', 'ws') + '/graphql', apiKey, SyncStatusChangedDocument, {
      externalCalendarId: connectionId,
    });
    try {
      // graphql-ws does not acknowledge a subscription: request runs until one's QUEUED reaches A.
      let runId = '';
      await until(
        'the subscription on A to see a run queued on B',
        async () => {
          runId = (await gql(apiB, SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
          return live
            .waitFor((data) => data.syncStatusChanged.syncRunId === runId && data.syncStatusChanged.status === 'QUEUED', 500)
            .then(
              () => true,
              () => false,
            );
        },
        20_000,
      );
      await live.waitFor((data) => data.syncStatusChanged.syncRunId === runId && ['SUCCEEDED', 'FAILED'].includes(data.syncStatusChanged.status), 30_000);
      const stream: RunEvent[] = live.received.map((data) => data.syncStatusChanged).filter((event) => event.syncRunId === runId);
      // Each of the two calendars is heard of as it starts (its status RUNNING), then once committed.
      expect(stream.map((event) => [event.status, event.pages, event.calendars.map((calendar) => calendar.status).join()])).toEqual([
        ['QUEUED', 0, ''],
        ['RUNNING', 0, ''],
        ['RUNNING', 0, 'RUNNING,WAITING'],
        ['RUNNING', 1, 'SUCCEEDED,WAITING'],
        ['RUNNING', 1, 'SUCCEEDED,RUNNING'],
        ['RUNNING', 2, 'SUCCEEDED,SUCCEEDED'],
        ['SUCCEEDED', 2, 'SUCCEEDED,SUCCEEDED'],
      ]);
      expect(stream[3].fetched).toBe(20);
      expect(stream[5].fetched).toBe(40);
    } finally {
      await live.close();
    }

    // SIGTERM: every process drains and exits cleanly.
    for (const process of processes.splice(0)) expect(await process.stop('SIGTERM')).toBe(0);
  }, 90_000);
});
