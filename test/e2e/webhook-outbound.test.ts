import { randomBytes } from 'node:crypto';
import { CreateWebhookEndpointDocument, ListWebhookDeliveriesDocument, SendTestWebhookDocument } from '../graphql/generated';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/**
 * Webhook attempts go through the outbound policy at connect time, not only when the endpoint is
 * registered (DESIGN "Outbound requests"): an endpoint registered while private addresses were
 * allowed (or whose name resolves to a private address only later) is refused by a worker whose
 * policy does not allow them, and nothing reaches it.
 */
describe('webhooks under the outbound policy', () => {
  let registrar: TestServer;
  let strict: TestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // Both processes open the same sealed secrets.
    const key = randomBytes(32).toString('base64');
    registrar = await startTestServer({ env: { CALSYNC_ENCRYPTION_KEY: key }, worker: false });
    strict = await startTestServer({ env: { CALSYNC_ENCRYPTION_KEY: key, OUTBOUND_ALLOW_PRIVATE: 'false', WEBHOOK_RETRY_BASE_SECONDS: '0.2' } });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await strict?.close();
    await registrar?.close();
  });

  it('refuses a loopback URL at registration when private addresses are not allowed', async () => {
    const refused = await strict.gql(CreateWebhookEndpointDocument, { input: { url: receiver.url, eventTypes: ['EXTERNAL_EVENTS_PUSHED'] } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  });

  it('refuses, at connect time, a name that resolves to loopback: the attempt is retried with the reason and the receiver hears nothing', async () => {
    const url = receiver.url.replace('127.0.0.1', 'localhost');
    const { endpoint } = (await registrar.ok(CreateWebhookEndpointDocument, { input: { url, eventTypes: ['EXTERNAL_EVENTS_PUSHED'] } })).createWebhookEndpoint;
    const test = (await registrar.ok(SendTestWebhookDocument, { endpointId: endpoint.id })).sendTestWebhook;

    const refused = await until('the strict worker to attempt it', async () => {
      const { webhookDeliveries } = await registrar.ok(ListWebhookDeliveriesDocument, { endpointId: endpoint.id, first: 10 });
      const node = webhookDeliveries.edges.find((edge) => edge.node.id === test.id)?.node;
      return node && node.attempts >= 1 ? node : null;
    });
    expect(refused).toMatchObject({ status: 'PENDING', responseStatus: null, responseBody: null });
    expect(refused.error).toMatch(/^refused by the outbound policy: localhost resolves to .*127\.0\.0\.1/);
    expect(receiver.requests).toHaveLength(0);
  });
});
