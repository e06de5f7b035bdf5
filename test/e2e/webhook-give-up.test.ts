import {
  BulkUpsertExternalEventsDocument,
  CreateResourceDocument,
  CreateWebhookEndpointDocument,
  ListWebhookDeliveriesDocument,
  ListWebhookEndpointsDocument,
  SendTestWebhookDocument,
} from '../graphql/generated';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/** WEBHOOK_RETRY_HOURS of this suite: 3.6 seconds. */
const RETRY_HOURS = 0.001;
/** WEBHOOK_DISABLE_AFTER_DAYS of this suite: 8.64 seconds. */
const DISABLE_AFTER_DAYS = 0.0001;
/** graphile-worker's default pollInterval: how late a job queued for a later time can be found. */
const WORKER_POLL_MS = 2_000;

/**
 * The end of retrying, on a clock shrunk by the configuration (24 h and 5 days by default): a
 * delivery is FAILED once its retry window has passed, and an endpoint whose deliveries all failed
 * for WEBHOOK_DISABLE_AFTER_DAYS is DISABLED and receives nothing more.
 */
describe('webhooks that never succeed: FAILED after the retry window, the endpoint DISABLED after the disable window', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        WEBHOOK_RETRY_BASE_SECONDS: '0.2',
        WEBHOOK_TIMEOUT_SECONDS: '1',
        WEBHOOK_RETRY_HOURS: String(RETRY_HOURS),
        WEBHOOK_DISABLE_AFTER_DAYS: String(DISABLE_AFTER_DAYS),
      },
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  const deliveries = async (endpointId: string) =>
    (await server.ok(ListWebhookDeliveriesDocument, { endpointId, first: 100 })).webhookDeliveries.edges.map((edge) => edge.node);
  const endpointOf = async (id: string) =>
    (await server.ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges.map((edge) => edge.node).find((node) => node.id === id)!;

  it('retries one delivery with the same id for the window, then FAILED; keeps failing until the endpoint is DISABLED', async () => {
    const { endpoint, secret } = (await server.ok(CreateWebhookEndpointDocument, { input: { url: receiver.url, eventTypes: ['EXTERNAL_EVENTS_PUSHED'] } }))
      .createWebhookEndpoint;
    receiver.secrets = [secret];
    // Every request is refused with 503 (retried) from now on.
    receiver.script(...Array<number>(1000).fill(503));

    const first = (await server.ok(SendTestWebhookDocument, { endpointId: endpoint.id })).sendTestWebhook;
    const failed = await until(
      'the first delivery to fail',
      async () => (await deliveries(endpoint.id)).find((delivery) => delivery.id === first.id && delivery.status === 'FAILED'),
      20_000,
    );
    expect(failed.error).toBe(`HTTP 503; retried for ${RETRY_HOURS} hours`);
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    const attempts = receiver.requests.filter((request) => request.id === first.id);
    expect(attempts).toHaveLength(failed.attempts);
    expect(attempts.every((request) => request.verifiedBy[0] === secret)).toBe(true);
    // The last attempt was due within the window, counted from the event's recording (windowStartedAt). It may run
    // later than due: graphile-worker finds a job queued for a later time by polling, every 2 s by
    // default, and a busy worker takes it later still; 3 s covers both.
    expect(attempts.at(-1)!.receivedAt - Date.parse(first.windowStartedAt)).toBeLessThanOrEqual(RETRY_HOURS * 3_600_000 + WORKER_POLL_MS + 1_000);
    const failing = await endpointOf(endpoint.id);
    expect(failing).toMatchObject({ status: 'ENABLED' });
    expect(failing.failingSince).not.toBeNull();

    // More failing deliveries, until the endpoint has failed for the disable window.
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Unheard room', timeZone: 'UTC' } })).createResource.id;
    let pushed = 0;
    const disabled = await until(
      'the endpoint to be disabled',
      async () => {
        const current = await endpointOf(endpoint.id);
        if (current.status === 'DISABLED') return current;
        await server.ok(BulkUpsertExternalEventsDocument, {
          input: { resourceId, items: [{ externalId: `x${pushed}`, title: 'x', startsAt: '2030-03-04T09:00:00Z', endsAt: '2030-03-04T10:00:00Z' }] },
        });
        pushed++;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return null;
      },
      40_000,
    );
    expect(Date.now() - Date.parse(failing.failingSince!)).toBeGreaterThanOrEqual(DISABLE_AFTER_DAYS * 86_400_000);
    expect(disabled.disabledReason).toMatch(/^every delivery failed since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // A disabled endpoint is sent nothing: no new delivery is recorded, waiting ones end FAILED, a test is refused.
    const recorded = (await deliveries(endpoint.id)).length;
    await server.ok(BulkUpsertExternalEventsDocument, {
      input: { resourceId, items: [{ externalId: 'after', title: 'after', startsAt: '2030-03-05T09:00:00Z', endsAt: '2030-03-05T10:00:00Z' }] },
    });
    const settled = await until(
      'the waiting deliveries to end',
      async () => {
        const all = await deliveries(endpoint.id);
        return all.every((delivery) => delivery.status !== 'PENDING') ? all : null;
      },
      20_000,
    );
    expect(settled).toHaveLength(recorded);
    expect(settled.every((delivery) => delivery.status === 'FAILED')).toBe(true);
    const refused = await server.gql(SendTestWebhookDocument, { endpointId: endpoint.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FAILED_PRECONDITION');
    const heard = receiver.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.requests).toHaveLength(heard);
  }, 90_000);
});
