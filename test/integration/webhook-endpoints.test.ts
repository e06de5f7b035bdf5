import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { WEBHOOK_DELIVER_TASK } from '../../src/modules/webhooks/webhook.jobs';
import {
  CreateApiKeyDocument,
  CreateResourceDocument,
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  DisableWebhookEndpointDocument,
  ListWebhookDeliveriesDocument,
  ListWebhookEndpointsDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  type CreateWebhookEndpointInput,
  type WebhookEndpointFieldsFragment,
} from '../graphql/generated';
import { freePort } from '../helpers/free-port';
import { startTestServer, type GraphQLResult, type TestServer } from '../helpers/test-server';

const errorOf = (result: GraphQLResult<unknown>) => ({ code: result.errors?.[0]?.extensions?.code, field: result.errors?.[0]?.extensions?.field });

describe('webhook endpoints over GraphQL (createWebhookEndpoint ... sendTestWebhook)', () => {
  let server: TestServer;
  /** An address where nothing listens: no test here needs a delivery to arrive (no worker runs). */
  let hookUrl: string;
  let resourceId: string;
  /** Every answer, in order, with the secret it issued (if it did): a secret may appear in that answer only. */
  const answers: { text: string; issued: string | null }[] = [];
  const issued: string[] = [];

  async function ask<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    key?: string,
  ): Promise<GraphQLResult<TResult>> {
    const result = await server.gql(document, variables, key);
    const text = JSON.stringify(result);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(text)?.[0] ?? null;
    answers.push({ text, issued: secret });
    return result;
  }

  async function ok<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const result = await ask(document, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function create(input: Partial<CreateWebhookEndpointInput> = {}): Promise<{ endpoint: WebhookEndpointFieldsFragment; secret: string }> {
    const { createWebhookEndpoint } = await ok(CreateWebhookEndpointDocument, { input: { url: hookUrl, eventTypes: ['AVAILABILITY_CHANGED'], ...input } });
    issued.push(createWebhookEndpoint.secret);
    return createWebhookEndpoint;
  }

  const storedRow = async (id: string) =>
    (
      await server.orm.em
        .getConnection()
        .execute<{ secret: string; previous_secret: string | null }[]>('select secret, previous_secret from webhook_endpoint where id = ?', [id])
    )[0]!;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    hookUrl = `http://127.0.0.1:${await freePort()}/hooks/calsync`;
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Webhook room', timeZone: 'UTC' } })).createResource.id;
  });
  afterAll(async () => {
    // No worker runs here: the deliveries left would be tried by the workers of later suites (with other keys).
    if (hookUrl) await server?.orm.em.getConnection().execute(`delete from webhook_endpoint where url like ?`, [`${hookUrl}%`]);
    await server?.close();
  });

  it('creates an endpoint with a whsec_ secret shown once, stored sealed', async () => {
    const { endpoint, secret } = await create({
      eventTypes: ['SYNC_RUN_FINISHED', 'AVAILABILITY_CHANGED', 'SYNC_RUN_FINISHED'],
      description: '  Booking back end ',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(endpoint).toMatchObject({
      url: hookUrl,
      description: 'Booking back end',
      eventTypes: ['SYNC_RUN_FINISHED', 'AVAILABILITY_CHANGED'],
      resourceIds: null,
      status: 'ENABLED',
      disabledReason: null,
      failingSince: null,
      previousSecretExpiresAt: null,
    });
    const row = await storedRow(endpoint.id);
    expect(row.secret).not.toContain(secret);
    expect(row.secret).not.toContain(secret.slice('whsec_'.length));
    expect(server.secrets.open(row.secret)).toBe(secret);
    expect(row.previous_secret).toBeNull();

    const listed = await ok(ListWebhookEndpointsDocument, {});
    expect(listed.webhookEndpoints.edges.map((edge) => edge.node)).toEqual([endpoint]);
  });

  it('keeps an endpoint to resources of the tenant: NOT_FOUND input.resourceIds for another tenant’s', async () => {
    const other = await server.createTenant('webhooks-other');
    const theirs = (await server.gql(CreateResourceDocument, { input: { name: 'Not yours', timeZone: 'UTC' } }, other.apiKey)).data!.createResource.id;
    const refused = await ask(CreateWebhookEndpointDocument, {
      input: { url: hookUrl, eventTypes: ['AVAILABILITY_CHANGED'], resourceIds: [resourceId, theirs] },
    });
    expect(errorOf(refused)).toEqual({ code: 'NOT_FOUND', field: 'input.resourceIds' });
    expect(refused.errors![0]!.message).toContain(theirs);
    const { endpoint } = await create({ resourceIds: [resourceId] });
    expect(endpoint.resourceIds).toEqual([resourceId]);
    // The other tenant sees none of them.
    expect((await server.gql(ListWebhookEndpointsDocument, {}, other.apiKey)).data!.webhookEndpoints.edges).toEqual([]);
  });

  it.each([
    ['an ftp URL', { url: 'ftp://hooks.example/calsync' }, 'input.url'],
    ['a URL with user and password', { url: 'https://user:pass@hooks.example/calsync' }, 'input.url'],
    ['a link-local address (cloud metadata), even where private addresses are allowed', { url: 'http://169.254.169.254/latest/meta-data/' }, 'input.url'],
    ['no URL at all', { url: '   ' }, 'input.url'],
    ['not a URL', { url: 'hooks.example/calsync' }, 'input.url'],
    ['no event types', { eventTypes: [] }, 'input.eventTypes'],
    ['WEBHOOK_TEST, which only sendTestWebhook sends', { eventTypes: ['WEBHOOK_TEST'] }, 'input.eventTypes'],
    ['a description over 500 characters', { description: 'x'.repeat(501) }, 'input.description'],
  ] as [string, Partial<CreateWebhookEndpointInput>, string][])('refuses %s with BAD_USER_INPUT naming the field', async (_label, change, field) => {
    const before = (await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges.length;
    const refused = await ask(CreateWebhookEndpointDocument, { input: { url: hookUrl, eventTypes: ['AVAILABILITY_CHANGED'], ...change } });
    expect(errorOf(refused)).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(refused.data ?? null).toBeNull();
    expect((await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges).toHaveLength(before);
  });

  it('pages the endpoints oldest first', async () => {
    const all = (await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges.map((edge) => edge.node.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = (await ok(ListWebhookEndpointsDocument, { first: 1 })).webhookEndpoints;
    expect(first.edges.map((edge) => edge.node.id)).toEqual(all.slice(0, 1));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await ok(ListWebhookEndpointsDocument, { first: 100, after: first.pageInfo.endCursor })).webhookEndpoints;
    expect(rest.edges.map((edge) => edge.node.id)).toEqual(all.slice(1));
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(errorOf(await ask(ListWebhookEndpointsDocument, { first: 101 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(errorOf(await ask(ListWebhookEndpointsDocument, { after: 'nope' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('updates an endpoint: absent fields stay, an empty resourceIds means every resource again', async () => {
    const { endpoint } = await create({ resourceIds: [resourceId], description: 'before' });
    const moved = (
      await ok(UpdateWebhookEndpointDocument, {
        input: { id: endpoint.id, url: `${hookUrl}/v2`, eventTypes: ['CONNECTION_STATUS_CHANGED', 'EXTERNAL_EVENTS_PUSHED'] },
      })
    ).updateWebhookEndpoint;
    expect(moved).toMatchObject({
      id: endpoint.id,
      url: `${hookUrl}/v2`,
      eventTypes: ['CONNECTION_STATUS_CHANGED', 'EXTERNAL_EVENTS_PUSHED'],
      resourceIds: [resourceId],
      description: 'before',
    });
    const widened = (await ok(UpdateWebhookEndpointDocument, { input: { id: endpoint.id, resourceIds: [], description: null } })).updateWebhookEndpoint;
    expect(widened).toMatchObject({ resourceIds: null, description: null, url: `${hookUrl}/v2` });
    expect(errorOf(await ask(UpdateWebhookEndpointDocument, { input: { id: endpoint.id, url: 'ftp://hooks.example/' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.url',
    });
    expect(errorOf(await ask(UpdateWebhookEndpointDocument, { input: { id: endpoint.id, eventTypes: ['WEBHOOK_TEST'] } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes',
    });
    expect(errorOf(await ask(UpdateWebhookEndpointDocument, { input: { id: '00000000-0000-4000-8000-000000000000', description: 'x' } }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.id',
    });
    // The refused changes left it as it was.
    const listed = (await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges.find((edge) => edge.node.id === endpoint.id)!.node;
    expect(listed).toMatchObject({ url: `${hookUrl}/v2`, eventTypes: ['CONNECTION_STATUS_CHANGED', 'EXTERNAL_EVENTS_PUSHED'] });
  });

  it('disables (idempotently) and enables an endpoint again; a DISABLED one is sent no test', async () => {
    const { endpoint } = await create();
    const disabled = (await ok(DisableWebhookEndpointDocument, { id: endpoint.id })).disableWebhookEndpoint;
    expect(disabled).toMatchObject({ status: 'DISABLED', disabledReason: expect.stringContaining('client') });
    expect((await ok(DisableWebhookEndpointDocument, { id: endpoint.id })).disableWebhookEndpoint.status).toBe('DISABLED');
    expect(errorOf(await ask(SendTestWebhookDocument, { endpointId: endpoint.id }))).toMatchObject({ code: 'FAILED_PRECONDITION' });
    const enabled = (await ok(UpdateWebhookEndpointDocument, { input: { id: endpoint.id, enabled: true } })).updateWebhookEndpoint;
    expect(enabled).toMatchObject({ status: 'ENABLED', disabledReason: null, failingSince: null });
    const again = (await ok(UpdateWebhookEndpointDocument, { input: { id: endpoint.id, enabled: false } })).updateWebhookEndpoint;
    expect(again.status).toBe('DISABLED');
    expect(errorOf(await ask(DisableWebhookEndpointDocument, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  it('rotates the secret: a new one, once; the previous one signs until previousSecretExpiresAt (graceMinutes ahead)', async () => {
    const { endpoint, secret } = await create();
    const asked = Date.now();
    const { rotateWebhookSecret } = await ok(RotateWebhookSecretDocument, { input: { id: endpoint.id, graceMinutes: 90 } });
    issued.push(rotateWebhookSecret.secret);
    expect(rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotateWebhookSecret.secret).not.toBe(secret);
    const expires = Date.parse(rotateWebhookSecret.endpoint.previousSecretExpiresAt!);
    expect(expires).toBeGreaterThanOrEqual(asked + 90 * 60_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 90 * 60_000 + 1000);
    const row = await storedRow(endpoint.id);
    expect(server.secrets.open(row.secret)).toBe(rotateWebhookSecret.secret);
    expect(server.secrets.open(row.previous_secret!)).toBe(secret);
    expect(row.secret).not.toContain(rotateWebhookSecret.secret.slice('whsec_'.length));

    // The default grace is a day; none at all leaves one secret.
    const byDefault = (await ok(RotateWebhookSecretDocument, { input: { id: endpoint.id } })).rotateWebhookSecret;
    issued.push(byDefault.secret);
    expect(Date.parse(byDefault.endpoint.previousSecretExpiresAt!) - Date.now()).toBeGreaterThan(1439 * 60_000);
    const none = (await ok(RotateWebhookSecretDocument, { input: { id: endpoint.id, graceMinutes: 0 } })).rotateWebhookSecret;
    issued.push(none.secret);
    expect(none.endpoint.previousSecretExpiresAt).toBeNull();
    expect((await storedRow(endpoint.id)).previous_secret).toBeNull();

    expect(errorOf(await ask(RotateWebhookSecretDocument, { input: { id: endpoint.id, graceMinutes: -1 } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.graceMinutes',
    });
    expect(errorOf(await ask(RotateWebhookSecretDocument, { input: { id: endpoint.id, graceMinutes: 10_081 } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.graceMinutes',
    });
    expect(errorOf(await ask(RotateWebhookSecretDocument, { input: { id: 'not-an-id' } }))).toEqual({ code: 'NOT_FOUND', field: 'input.id' });
    expect(server.secrets.open((await storedRow(endpoint.id)).secret)).toBe(none.secret);
  });

  it('sendTestWebhook records a PENDING webhook.test delivery, listed with the endpoint, and queues its webhook_deliver job', async () => {
    const { endpoint } = await create({ eventTypes: ['SYNC_RUN_FINISHED'] });
    const sent = (await ok(SendTestWebhookDocument, { endpointId: endpoint.id })).sendTestWebhook;
    expect(sent).toMatchObject({ endpointId: endpoint.id, eventType: 'WEBHOOK_TEST', status: 'PENDING', attempts: 0, responseStatus: null, error: null });
    expect(sent.nextAttemptAt).not.toBeNull();
    expect(JSON.parse(sent.body)).toEqual({ type: 'webhook.test', version: 1, timestamp: expect.any(String), data: { endpointId: endpoint.id } });

    const listed = (await ok(ListWebhookDeliveriesDocument, { endpointId: endpoint.id })).webhookDeliveries.edges.map((edge) => edge.node);
    expect(listed).toHaveLength(1);
    // No worker runs here; a worker of another suite on the same database may have tried (and failed: nothing listens), which retries.
    expect(listed[0]).toMatchObject({ id: sent.id, eventType: 'WEBHOOK_TEST', status: 'PENDING' });
    // The same JSON; as stored (jsonb) its keys may come in another order than in the answer of sendTestWebhook.
    expect(JSON.parse(listed[0]!.body)).toEqual(JSON.parse(sent.body));
    const jobs = await server.orm.em.getConnection().execute<{ task_identifier: string; payload: { endpointId: string; tenantId: string } }[]>(
      `select t.identifier as task_identifier, j.payload from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id where j.key = ?`,
      [`webhook-endpoint:${endpoint.id}`],
    );
    // The endpoint's one job, which sends whatever of its deliveries is due.
    expect(jobs).toEqual([{ task_identifier: WEBHOOK_DELIVER_TASK, payload: { endpointId: endpoint.id, tenantId: server.tenantId } }]);

    const filtered = async (filter: object) =>
      (await ok(ListWebhookDeliveriesDocument, { endpointId: endpoint.id, filter })).webhookDeliveries.edges.map((edge) => edge.node.id);
    expect(await filtered({ eventTypes: ['WEBHOOK_TEST'], statuses: ['PENDING'] })).toEqual([sent.id]);
    expect(await filtered({ eventTypes: ['SYNC_RUN_FINISHED'] })).toEqual([]);
    expect(await filtered({ statuses: ['SUCCEEDED', 'FAILED'] })).toEqual([]);

    const second = (await ok(SendTestWebhookDocument, { endpointId: endpoint.id })).sendTestWebhook;
    const page = (await ok(ListWebhookDeliveriesDocument, { endpointId: endpoint.id, first: 1 })).webhookDeliveries;
    expect(page.edges.map((edge) => edge.node.id)).toEqual([second.id]);
    const next = (await ok(ListWebhookDeliveriesDocument, { endpointId: endpoint.id, first: 1, after: page.pageInfo.endCursor })).webhookDeliveries;
    expect(next.edges.map((edge) => edge.node.id)).toEqual([sent.id]);

    const again = (await ok(RedeliverWebhookDocument, { id: sent.id })).redeliverWebhook;
    expect(again).toMatchObject({ id: sent.id, status: 'PENDING', body: listed[0]!.body });
    // A new retry window from now; still recorded when it was, and listed in its place.
    expect(again.createdAt).toBe(sent.createdAt);
    expect(Date.parse(again.windowStartedAt)).toBeGreaterThan(Date.parse(sent.windowStartedAt));
    expect(errorOf(await ask(RedeliverWebhookDocument, { id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(await ask(SendTestWebhookDocument, { endpointId: '00000000-0000-4000-8000-000000000000' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'endpointId',
    });
    expect(errorOf(await ask(ListWebhookDeliveriesDocument, { endpointId: '00000000-0000-4000-8000-000000000000' }))).toEqual({
      code: 'NOT_FOUND',
      field: 'endpointId',
    });
  });

  it('deletes an endpoint with its deliveries', async () => {
    const { endpoint } = await create();
    await ok(SendTestWebhookDocument, { endpointId: endpoint.id });
    expect((await ok(DeleteWebhookEndpointDocument, { id: endpoint.id })).deleteWebhookEndpoint).toEqual({ id: endpoint.id });
    const ids = (await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges.map((edge) => edge.node.id);
    expect(ids).not.toContain(endpoint.id);
    expect(errorOf(await ask(ListWebhookDeliveriesDocument, { endpointId: endpoint.id }))).toEqual({ code: 'NOT_FOUND', field: 'endpointId' });
    const [rows] = await server.orm.em
      .getConnection()
      .execute<{ count: string }[]>('select count(*) from webhook_delivery where endpoint_id = ?', [endpoint.id]);
    expect(Number(rows!.count)).toBe(0);
    expect(errorOf(await ask(DeleteWebhookEndpointDocument, { id: endpoint.id }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  describe('API keys', () => {
    let endpointId: string;
    let deliveryId: string;
    let staffKey: string;
    let readOnlyKey: string;

    beforeAll(async () => {
      endpointId = (await create()).endpoint.id;
      deliveryId = (await ok(SendTestWebhookDocument, { endpointId })).sendTestWebhook.id;
      staffKey = (await server.ok(CreateApiKeyDocument, { input: { name: 'staff', resourceId } })).createApiKey.secret;
      readOnlyKey = (await server.ok(CreateApiKeyDocument, { input: { name: 'dashboard', readOnly: true } })).createApiKey.secret;
    });

    const mutations = () =>
      [
        ['createWebhookEndpoint', CreateWebhookEndpointDocument, { input: { url: hookUrl, eventTypes: ['AVAILABILITY_CHANGED'], resourceIds: [resourceId] } }],
        ['updateWebhookEndpoint', UpdateWebhookEndpointDocument, { input: { id: endpointId, url: `${hookUrl}/taken` } }],
        ['rotateWebhookSecret', RotateWebhookSecretDocument, { input: { id: endpointId } }],
        ['disableWebhookEndpoint', DisableWebhookEndpointDocument, { id: endpointId }],
        ['deleteWebhookEndpoint', DeleteWebhookEndpointDocument, { id: endpointId }],
        ['redeliverWebhook', RedeliverWebhookDocument, { id: deliveryId }],
        ['sendTestWebhook', SendTestWebhookDocument, { endpointId }],
      ] as [string, TypedDocumentNode<unknown, unknown>, unknown][];

    it('refuses every webhook mutation to resource keys and read-only keys (FORBIDDEN), changing nothing', async () => {
      const state = async () => ({
        endpoints: (await ok(ListWebhookEndpointsDocument, { first: 100 })).webhookEndpoints.edges,
        deliveries: (await ok(ListWebhookDeliveriesDocument, { endpointId })).webhookDeliveries.edges,
        secret: (await storedRow(endpointId)).secret,
      });
      const before = await state();
      for (const [name, document, variables] of mutations()) {
        for (const key of [staffKey, readOnlyKey]) {
          const refused = await ask(document, variables, key);
          expect({ name, code: errorOf(refused).code, data: refused.data ?? null }).toEqual({ name, code: 'FORBIDDEN', data: null });
        }
      }
      expect(await state()).toEqual(before);
    });

    it('lets read-only tenant keys list endpoints and deliveries, and refuses resource keys (FORBIDDEN)', async () => {
      const endpoints = await ask(ListWebhookEndpointsDocument, { first: 100 }, readOnlyKey);
      expect(endpoints.errors).toBeUndefined();
      expect(endpoints.data!.webhookEndpoints.edges.map((edge) => edge.node.id)).toContain(endpointId);
      const deliveries = await ask(ListWebhookDeliveriesDocument, { endpointId }, readOnlyKey);
      expect(deliveries.data!.webhookDeliveries.edges.map((edge) => edge.node.id)).toEqual([deliveryId]);

      for (const refused of [await ask(ListWebhookEndpointsDocument, {}, staffKey), await ask(ListWebhookDeliveriesDocument, { endpointId }, staffKey)]) {
        expect(errorOf(refused).code).toBe('FORBIDDEN');
        expect(refused.data ?? null).toBeNull();
      }
    });
  });

  it('never returns a secret again: each appears only in the answer that issued it', () => {
    expect(issued.length).toBeGreaterThanOrEqual(8);
    for (const secret of issued) {
      const showing = answers.filter((answer) => answer.text.includes(secret));
      expect(showing).toHaveLength(1);
      expect(showing[0]!.issued).toBe(secret);
    }
    // Every secret in an answer is one this file asked for, in a create or rotate answer.
    expect(answers.filter((answer) => answer.issued !== null).map((answer) => answer.issued)).toEqual(issued);
  });
});
