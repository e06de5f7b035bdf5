import {
  BulkDeactivateExternalEventsDocument,
  BulkUpsertExternalEventsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  CreateWebhookEndpointDocument,
  ListWebhookDeliveriesDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  SyncCalendarDocument,
  type WebhookEventType,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { sampleSum, scrape } from '../helpers/metrics';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../helpers/webhook-receiver';

const DAY = 86_400_000;
const OWNER = 'owner@example.com';

/**
 * Webhooks end to end (issue 18): the gateway with its worker in this process, real PostgreSQL
 * (the outbox triggers), real HTTP to a loopback receiver that verifies every request with the
 * `standardwebhooks` package, as a partner's back end would; endpoints and deliveries through
 * the GraphQL API (createWebhookEndpoint, rotateWebhookSecret, sendTestWebhook, webhookDeliveries,
 * redeliverWebhook).
 */
describe('webhooks: signed deliveries, retries, rotation, coalesced availability, connection status', () => {
  let google: GoogleFake;
  let server: TestServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({
      env: { ...googleEnv(google), WEBHOOK_RETRY_BASE_SECONDS: '0.2', WEBHOOK_TIMEOUT_SECONDS: '3' },
    });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner', timeZone: 'UTC' });
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await server?.close();
    await google?.close();
  });

  const newResource = async (name: string) => (await server.ok(CreateResourceDocument, { input: { name, timeZone: 'UTC' } })).createResource.id;
  /** A receiver and an endpoint of the test tenant pointing at it, its secret known to the receiver. */
  const endpointFor = async (eventTypes: WebhookEventType[], resourceIds: string[] | null = null) => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const { endpoint, secret } = (await server.ok(CreateWebhookEndpointDocument, { input: { url: receiver.url, eventTypes, resourceIds } }))
      .createWebhookEndpoint;
    receiver.secrets = [secret];
    return { receiver, endpointId: endpoint.id, secret };
  };
  /** The delivery as webhookDeliveries shows it. */
  const delivery = async (endpointId: string, id: string) => {
    const { webhookDeliveries } = await server.ok(ListWebhookDeliveriesDocument, { endpointId, first: 100 });
    const found = webhookDeliveries.edges.find((edge) => edge.node.id === id);
    if (!found) throw new Error(`Delivery ${id} is not listed`);
    return found.node;
  };
  const onlyDelivery = async (endpointId: string) => {
    const { webhookDeliveries } = await server.ok(ListWebhookDeliveriesDocument, { endpointId, first: 100 });
    expect(webhookDeliveries.edges).toHaveLength(1);
    return webhookDeliveries.edges[0]!.node;
  };
  const sendTest = async (endpointId: string) => (await server.ok(SendTestWebhookDocument, { endpointId })).sendTestWebhook;
  const rotate = async (id: string, graceMinutes: number) =>
    (await server.ok(RotateWebhookSecretDocument, { input: { id, graceMinutes } })).rotateWebhookSecret;
  const settled = (endpointId: string, id: string) =>
    until(`delivery ${id} to settle`, async () => {
      const row = await delivery(endpointId, id);
      return row.status === 'PENDING' ? null : row;
    });
  const push = (resourceId: string, externalId: string, startsAt: string, endsAt: string) =>
    server.ok(BulkUpsertExternalEventsDocument, { input: { resourceId, items: [{ externalId, title: externalId, startsAt, endsAt }] } });
  const expectVerified = (requests: ReceivedWebhook[], secret: string) => {
    for (const request of requests) expect(request.verifiedBy).toEqual([secret]);
  };

  it('a receiver answering 500 three times then 200 gets the same webhook-id four times, each verifying; the delivery ends SUCCEEDED after 4 attempts', async () => {
    const resourceId = await newResource('Retried room');
    const { receiver, endpointId, secret } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    receiver.script(500, 500, 500, 200);
    const counted = async () => {
      const { text } = await scrape(server.url);
      const attempts = (outcome: string) => sampleSum(text, 'calsync_webhook_attempts_total', { event_type: 'external_events.pushed', outcome });
      return {
        retrying: attempts('retrying'),
        succeeded: attempts('succeeded'),
        timed: sampleSum(text, 'calsync_webhook_attempt_duration_seconds_count'),
        lagged: sampleSum(text, 'calsync_webhook_delivery_lag_seconds_count', { event_type: 'external_events.pushed' }),
      };
    };
    const before = await counted();

    await push(resourceId, 'p1', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z');
    const requests = await receiver.waitFor(4);
    expect(requests.map((request) => request.answer)).toEqual([500, 500, 500, 200]);
    expect(new Set(requests.map((request) => request.id)).size).toBe(1);
    expectVerified(requests, secret);
    // The body is the same bytes each time (the stored payload), re-signed per attempt.
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    expect(requests[0]!.payload).toMatchObject({
      type: 'external_events.pushed',
      version: 1,
      data: { resourceId, operation: 'UPSERT', created: 1, updated: 0, deactivated: 0, externalIds: ['p1'] },
    });
    // Each retry waits (base 0.2 s, doubling, ±20 %): the attempts are spread, not sent back to back.
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.receivedAt - requests[i - 1]!.receivedAt).toBeGreaterThanOrEqual(150);

    const row = await settled(endpointId, requests[0]!.id);
    expect(row).toMatchObject({ status: 'SUCCEEDED', attempts: 4, responseStatus: 200, error: null, eventType: 'EXTERNAL_EVENTS_PUSHED' });
    // The body the deliveries query shows is the one that was signed and sent.
    expect(row.body).toBe(requests[0]!.body);
    expect(await onlyDelivery(endpointId)).toMatchObject({ id: requests[0]!.id });
    // The worker (in this process) counted the four attempts and timed the delivery.
    // (counted right after the commit that the deliveries query has just shown)
    const after = await until('the success to be counted', async () => {
      const now = await counted();
      return now.succeeded > before.succeeded ? now : null;
    });
    expect({
      retrying: after.retrying - before.retrying,
      succeeded: after.succeeded - before.succeeded,
      timed: after.timed - before.timed,
      lagged: after.lagged - before.lagged,
    }).toEqual({ retrying: 3, succeeded: 1, timed: 4, lagged: 1 });
    // Nothing more comes once it succeeded.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(receiver.requests).toHaveLength(4);
  });

  it('an answer that is not retried (410) fails the delivery at once; redeliverWebhook sends the same webhook-id and body again', async () => {
    const { receiver, endpointId, secret } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    receiver.script(410);
    const test = await sendTest(endpointId);
    const failed = await settled(endpointId, test.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, responseStatus: 410, error: 'HTTP 410' });
    expect(receiver.requests).toHaveLength(1);

    const again = (await server.ok(RedeliverWebhookDocument, { id: test.id })).redeliverWebhook;
    expect(again).toMatchObject({ id: test.id, status: 'PENDING' });
    const requests = await receiver.waitFor(2);
    expect(requests[1]!.id).toBe(requests[0]!.id);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expectVerified(requests, secret);
    expect(await settled(endpointId, test.id)).toMatchObject({ status: 'SUCCEEDED', responseStatus: 200, error: null });
  });

  it('a receiver that does not answer within WEBHOOK_TIMEOUT_SECONDS (3 s) is retried with the same id; a redirect is not followed and fails', async () => {
    const { receiver, endpointId, secret } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    receiver.script('hold', { status: 302, headers: { location: 'https://elsewhere.example/hooks' } });
    const test = await sendTest(endpointId);
    const [held] = await receiver.waitFor(1);
    const timedOut = await until('the attempt to time out', async () => {
      const row = await delivery(endpointId, test.id);
      return row.attempts === 1 ? row : null;
    });
    expect(timedOut).toMatchObject({ status: 'PENDING', responseStatus: null, error: 'no answer within 3 s' });
    expect(timedOut.latencyMs).toBeGreaterThanOrEqual(2_900);
    expect(receiver.held()).toBe(0);

    const requests = await receiver.waitFor(2);
    expect(requests[1]!.id).toBe(held!.id);
    expectVerified(requests, secret);
    const failed = await settled(endpointId, test.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 2, responseStatus: 302 });
    expect(failed.error).toMatch(/^HTTP 302: redirects are not followed/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.requests).toHaveLength(2);
  });

  it('an attempt whose outcome cannot be recorded (a database error after the POST) is attempted again soon, not left held for the reaper', async () => {
    const { receiver, endpointId, secret } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    const sql = server.orm.em.getConnection();
    // The first recording of an attempt of this endpoint fails, as a dropped connection would make it.
    const suffix = endpointId.replace(/-/g, '');
    await sql.execute(`create sequence fail_once_${suffix}`);
    await sql.execute(`create function fail_once_${suffix}() returns trigger language plpgsql as $$
      begin
        if new.attempts = 1 and nextval('fail_once_${suffix}') = 1 then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await sql.execute(`create trigger fail_once_${suffix} before update on webhook_delivery for each row
      when (new.endpoint_id = '${endpointId}' and old.attempts = 0) execute function fail_once_${suffix}()`);
    try {
      const test = await sendTest(endpointId);
      const [first] = await receiver.waitFor(1);
      // graphile-worker retries the failed job within seconds; the lease must not stand in its way.
      const requests = await receiver.waitFor(2, undefined, 15_000);
      expect(requests[1]!.id).toBe(first!.id);
      expectVerified(requests, secret);
      expect(await settled(endpointId, test.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    } finally {
      await sql.execute(`drop trigger fail_once_${suffix} on webhook_delivery`);
      await sql.execute(`drop function fail_once_${suffix}()`);
      await sql.execute(`drop sequence fail_once_${suffix}`);
    }
  }, 30_000);

  it('429 with Retry-After: 1 is retried after at least a second, not after the 0.2 s backoff', async () => {
    const { receiver, endpointId, secret } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    receiver.script({ status: 429, headers: { 'retry-after': '1' } });
    const test = await sendTest(endpointId);

    const first = (await receiver.waitFor(1))[0]!;
    const waiting = await until('the retry to be scheduled', async () => {
      const row = await delivery(endpointId, test.id);
      return row.attempts === 1 ? row : null;
    });
    expect(waiting).toMatchObject({ status: 'PENDING', responseStatus: 429, error: 'HTTP 429' });
    const asked = Date.parse(waiting.nextAttemptAt!) - Date.parse(waiting.lastAttemptAt!);
    expect(asked).toBeGreaterThanOrEqual(950);
    // Not the 0.2 s backoff, nor anything near the next doubling: the wait asked for, plus the attempt's own time.
    expect(asked).toBeLessThan(3_000);

    const requests = await receiver.waitFor(2);
    expect(requests[1]!.id).toBe(first.id);
    expect(requests[1]!.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(1_000);
    expect(first.payload).toMatchObject({ type: 'webhook.test', data: { endpointId } });
    expectVerified(requests, secret);
    expect(await settled(endpointId, test.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('a receiver answering 503 with Retry-After: 0 is not retried in a loop: each wait is at least the backoff', async () => {
    const { receiver, endpointId } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    const busy = { status: 503, headers: { 'retry-after': '0' } };
    receiver.script(busy, busy, busy, busy);
    const test = await sendTest(endpointId);
    const requests = await receiver.waitFor(5);
    // Backoff from 0.2 s, doubling, -20 % at worst: 0.16 + 0.32 + 0.64 + 1.28 s.
    expect(requests.at(-1)!.receivedAt - requests[0]!.receivedAt).toBeGreaterThanOrEqual(2_400);
    expect(await settled(endpointId, test.id)).toMatchObject({ status: 'SUCCEEDED', attempts: 5 });
  });

  it('after a secret rotation, deliveries carry two v1 signatures and verify with the old secret and with the new one; without grace, only the new', async () => {
    const { receiver, endpointId, secret: old } = await endpointFor(['EXTERNAL_EVENTS_PUSHED']);
    await sendTest(endpointId);
    const before = (await receiver.waitFor(1))[0]!;
    expect(before.signatures).toHaveLength(1);
    expect(before.signatures[0]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    const rotated = await rotate(endpointId, 60);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(old);
    receiver.secrets = [old, rotated.secret];
    await sendTest(endpointId);
    const during = (await receiver.waitFor(2))[1]!;
    expect(during.signatures).toHaveLength(2);
    expect(during.signatures.every((signature) => signature.startsWith('v1,'))).toBe(true);
    expect(during.verifiedBy).toEqual([old, rotated.secret]);

    // A second rotation without grace: the first secret no longer signs, nor the second.
    const again = await rotate(endpointId, 0);
    receiver.secrets = [old, rotated.secret, again.secret];
    await sendTest(endpointId);
    const after = (await receiver.waitFor(3))[2]!;
    expect(after.signatures).toHaveLength(1);
    expect(after.verifiedBy).toEqual([again.secret]);
  });

  it('a sync that changes busy time gives ONE availability.changed for the resource, ~5 s after the change, its range covering the synced events', async () => {
    const resourceId = await newResource('Synced room');
    const connectionId = await connectGoogle(server, resourceId);
    const { receiver, secret } = await endpointFor(['AVAILABILITY_CHANGED'], [resourceId]);
    // Another resource's changes are not this endpoint's business.
    const other = await newResource('Other room');
    await push(other, 'elsewhere', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z');

    const EVENTS = 300;
    const first = new Date(Date.now() + DAY);
    first.setUTCHours(8, 0, 0, 0);
    for (let i = 0; i < EVENTS; i++) {
      const start = new Date(first.getTime() + i * 3_600_000);
      google.addEvent(OWNER, {
        id: `busy${i}`,
        summary: `Busy ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      });
    }
    const lastEnd = new Date(first.getTime() + (EVENTS - 1) * 3_600_000 + 1_800_000);
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar;
    const finished = await server.finished(run.id);
    expect(finished).toMatchObject({ status: 'SUCCEEDED', upserted: EVENTS });

    const [event] = await receiver.waitFor(1, undefined, 20_000);
    expectVerified([event!], secret);
    expect(event!.type).toBe('availability.changed');
    const data = event!.payload.data as { resourceId: string; ranges: { from: string; to: string }[]; busyVersion: number };
    expect(data.resourceId).toBe(resourceId);
    expect(data.ranges.length).toBeGreaterThanOrEqual(1);
    expect(Date.parse(data.ranges[0]!.from)).toBeLessThanOrEqual(first.getTime());
    expect(Date.parse(data.ranges.at(-1)!.to)).toBeGreaterThanOrEqual(lastEnd.getTime());
    // Every synced event lies in one of the ranges.
    for (let i = 0; i < EVENTS; i++) {
      const start = first.getTime() + i * 3_600_000;
      expect(data.ranges.some((range) => Date.parse(range.from) <= start && Date.parse(range.to) >= start + 1_800_000)).toBe(true);
    }
    const [resource] = await server.orm.em
      .getConnection()
      .execute<{ busy_version: string }[]>('select busy_version::text from resource where id = ?', [resourceId]);
    expect(data.busyVersion).toBe(Number(resource!.busy_version));
    // The coalescing window is 5 s from the first change, which came after the run started;
    // the job is picked up within the worker's 2 s poll.
    const startedAt = Date.parse(finished.startedAt as string);
    const finishedAt = Date.parse(finished.finishedAt as string);
    console.log(
      `availability.changed arrived ${event!.receivedAt - startedAt} ms after the run started, ${event!.receivedAt - finishedAt} ms after it finished`,
    );
    expect(event!.receivedAt - startedAt).toBeGreaterThanOrEqual(5_000);
    expect(event!.receivedAt - finishedAt).toBeLessThan(10_000);

    // Exactly one: nothing else arrives for this resource once the window has passed again.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(receiver.requests.map((request) => request.type)).toEqual(['availability.changed']);
  }, 60_000);

  it('partner pushes, a deactivation and an appointment within the window are ONE availability.changed covering each changed span', async () => {
    const resourceId = await newResource('Partner room');
    const { receiver, secret } = await endpointFor(['AVAILABILITY_CHANGED'], [resourceId]);
    await server.ok(BulkUpsertExternalEventsDocument, {
      input: {
        resourceId,
        items: [
          { externalId: 'a', title: 'a', startsAt: '2030-03-04T09:00:00Z', endsAt: '2030-03-04T10:00:00Z' },
          { externalId: 'b', title: 'b', startsAt: '2030-03-04T09:30:00Z', endsAt: '2030-03-04T11:00:00Z' },
          { externalId: 'c', title: 'c', startsAt: '2030-03-06T14:00:00Z', endsAt: '2030-03-06T15:00:00Z' },
        ],
      },
    });
    await server.ok(BulkDeactivateExternalEventsDocument, { input: { resourceId, externalIds: ['c'] } });
    await server.ok(CreateAppointmentDocument, { input: { resourceId, title: 'Visit', startsAt: '2030-03-08T08:00:00Z', endsAt: '2030-03-08T08:30:00Z' } });
    // An item that does not block (transparent) changes no busy time.
    await server.ok(BulkUpsertExternalEventsDocument, {
      input: {
        resourceId,
        items: [{ externalId: 'free', title: 'free', startsAt: '2030-03-10T08:00:00Z', endsAt: '2030-03-10T09:00:00Z', transparency: 'TRANSPARENT' }],
      },
    });

    const [event] = await receiver.waitFor(1, undefined, 15_000);
    expectVerified([event!], secret);
    const data = event!.payload.data as { resourceId: string; ranges: { from: string; to: string }[] };
    expect(data.resourceId).toBe(resourceId);
    const covered = (from: string, to: string) => data.ranges.some((range) => range.from <= from && range.to >= to);
    const touched = (from: string, to: string) => data.ranges.some((range) => range.from < to && range.to > from);
    // Each changed span is covered (one write statement's rows give the one span around them).
    expect(covered('2030-03-04T09:00:00.000Z', '2030-03-04T11:00:00.000Z')).toBe(true);
    expect(covered('2030-03-06T14:00:00.000Z', '2030-03-06T15:00:00.000Z')).toBe(true);
    expect(covered('2030-03-08T08:00:00.000Z', '2030-03-08T08:30:00.000Z')).toBe(true);
    // Time no statement changed is not: between the pushes and the appointment, and the transparent item.
    expect(touched('2030-03-07T00:00:00.000Z', '2030-03-08T00:00:00.000Z')).toBe(false);
    expect(touched('2030-03-10T08:00:00.000Z', '2030-03-10T09:00:00.000Z')).toBe(false);
    console.log(`availability.changed ranges of two pushes, a deactivation and an appointment: ${JSON.stringify(data.ranges)}`);
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(receiver.requests).toHaveLength(1);
  }, 30_000);

  it('a revoked Google grant gives connection.status_changed REAUTH_REQUIRED with its reason, and sync_run.finished FAILED', async () => {
    const resourceId = await newResource('Revoked room');
    const connectionId = await connectGoogle(server, resourceId);
    const { receiver, secret } = await endpointFor(['CONNECTION_STATUS_CHANGED', 'SYNC_RUN_FINISHED'], [resourceId]);

    google.revokeGrant();
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: false })).syncExternalCalendar;
    const failed = await server.finished(run.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_AUTH_REQUIRED' });

    const requests = await receiver.waitFor(2);
    expectVerified(requests, secret);
    const status = requests.find((request) => request.type === 'connection.status_changed')!;
    expect(status.payload.data).toEqual({
      externalCalendarId: connectionId,
      resourceId,
      provider: 'GOOGLE',
      previousStatus: 'CONNECTED',
      status: 'REAUTH_REQUIRED',
      reason: 'AUTH_REVOKED',
    });
    const finished = requests.find((request) => request.type === 'sync_run.finished')!;
    expect(finished.payload.data).toMatchObject({
      syncRunId: run.id,
      resourceId,
      externalCalendarId: connectionId,
      status: 'FAILED',
      errorCode: failed.errorCode,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.requests).toHaveLength(2);
  });
});
