import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetAppointmentDocument,
  SyncCalendarDocument,
  AppointmentExportChangedDocument,
  type AppointmentExportChangedSubscription,
} from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { startMetricsServer } from '../../src/server/observability';
import { freePort } from '../helpers/free-port';
import { connectGoogle } from '../helpers/google-connection';
import { LiveSubscription } from '../helpers/live';
import { capturedLogLines, loggedLines } from '../helpers/log-capture';
import { sampleSum, scrape } from '../helpers/metrics';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

jest.mock('pino', () => jest.requireActual('../helpers/log-capture').capturingPino());

const DAY = 86_400_000;
const OWNER = 'owner@example.com';
const TITLE = 'Board meeting: secret acquisition';
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

describe('observability: /metrics, info log lines and request ids', () => {
  let google: GoogleFake;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;

  /** A GraphQL request with the tenant's key and extra headers, answering the response itself. */
  const post = <TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}`, ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
  const metricsText = async () => {
    const { status, text } = await scrape(server.url, METRICS_TOKEN);
    expect(status).toBe(200);
    return text;
  };

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({ env: { ...googleEnv(google), LOG_LEVEL: 'info', METRICS_TOKEN } });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
    const start = new Date(Date.now() + DAY);
    google.addEvent(OWNER, {
      id: 'ev1',
      summary: TITLE,
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 3_600_000).toISOString() },
    });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Metrics', timeZone: 'Europe/Berlin' } })).createResource.id;
    connectionId = await connectGoogle(server, resourceId, { write: true });
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  it('echoes a sane x-request-id, and replaces a missing or odd one with a UUID', async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-1.2_3' } });
    expect(given.headers.get('x-request-id')).toBe('req-1.2_3');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect((await fetch(`${server.url}/healthz`)).headers.get('x-request-id')).toMatch(uuid);
    for (const odd of ['x'.repeat(129), 'has space', 'semi;colon', 'a/b', '']) {
      const answer = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': odd } });
      expect(answer.headers.get('x-request-id')).toMatch(uuid);
    }
    // A GraphQL answer carries it too, refused or not.
    const refused = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'no-key-1' },
      body: '{"query":"{ providers { id } }"}',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('no-key-1');
  });

  it('logs the start and end of a sync run, with the id of the request that asked for it', async () => {
    const before = await metricsText();
    const answer = await post(SyncCalendarDocument, { externalCalendarId: connectionId, full: true }, { 'x-request-id': 'sync-request-42' });
    expect(answer.headers.get('x-request-id')).toBe('sync-request-42');
    const runId = ((await answer.json()) as { data: { syncExternalCalendar: { id: string } } }).data.syncExternalCalendar.id;
    expect((await server.finished(runId)).status).toBe('SUCCEEDED');

    const ids = { syncRunId: runId, tenantId: server.tenantId, resourceId, externalCalendarId: connectionId, provider: 'GOOGLE', kind: 'FULL' };
    const [started] = loggedLines('sync run started', ids);
    expect(started).toMatchObject({ level: 30, status: 'RUNNING', requestId: 'sync-request-42' });
    const finished = await until('the run-end log line', async () => loggedLines('sync run finished', ids)[0]);
    expect(finished).toMatchObject({
      level: 30,
      status: 'SUCCEEDED',
      requestId: 'sync-request-42',
      errorCode: null,
      counters: { fetched: 1, upserted: 1, deleted: 0, skipped: 0 },
    });
    expect(finished.durationMs).toEqual(expect.any(Number));

    const after = await metricsText();
    const delta = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const run = { kind: 'FULL', status: 'SUCCEEDED', provider: 'GOOGLE' };
    expect(delta('calsync_sync_runs_total', run)).toBe(1);
    expect(delta('calsync_sync_run_duration_seconds_count', run)).toBe(1);
    expect(delta('calsync_sync_events_fetched_total', { provider: 'GOOGLE' })).toBe(1);
    expect(delta('calsync_sync_events_stored_total', { provider: 'GOOGLE' })).toBe(1);
    expect(delta('calsync_graphql_operations_total', { operation_name: 'SyncCalendar', operation_type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(delta('calsync_graphql_operation_duration_seconds_count', { operation_name: 'SyncCalendar', operation_type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(delta('calsync_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(1);
  });

  it('logs and counts an appointment export', async () => {
    const start = Math.ceil((Date.now() + 2 * DAY) / DAY) * DAY + 9 * 3_600_000;
    const before = await metricsText();
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString(), title: 'Consultation' },
    });
    await until('the export', async () => (await server.ok(GetAppointmentDocument, { id: createAppointment.id })).appointment?.exportStatus === 'EXPORTED');
    const line = await until('the export log line', async () => loggedLines('appointment export settled', { appointmentId: createAppointment.id })[0]);
    expect(line).toMatchObject({
      level: 30,
      tenantId: server.tenantId,
      resourceId,
      externalCalendarId: connectionId,
      provider: 'GOOGLE',
      outcome: 'EXPORTED',
      errorCode: null,
    });
    const after = await metricsText();
    const labels = { provider: 'GOOGLE', outcome: 'EXPORTED' };
    expect(sampleSum(after, 'calsync_appointment_exports_total', labels) - sampleSum(before, 'calsync_appointment_exports_total', labels)).toBe(1);
  });

  it('logs a revoked grant: the failed run with its code, and the connection going REAUTH_REQUIRED', async () => {
    google.revokeGrant();
    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id;
    expect((await server.finished(runId)).status).toBe('FAILED');
    const finished = await until('the run-end log line', async () => loggedLines('sync run finished', { syncRunId: runId })[0]);
    expect(finished).toMatchObject({
      status: 'FAILED',
      errorCode: 'PROVIDER_AUTH_REQUIRED',
      kind: 'INCREMENTAL',
      provider: 'GOOGLE',
      externalCalendarId: connectionId,
    });
    const [changed] = loggedLines('connection status changed', { externalCalendarId: connectionId, to: 'REAUTH_REQUIRED' });
    expect(changed).toMatchObject({ level: 30, from: 'CONNECTED', reason: 'AUTH_REVOKED', tenantId: server.tenantId, resourceId, provider: 'GOOGLE' });
    // Only its own fields: no line's fields leak into the next one's through the log scope.
    expect(changed).not.toHaveProperty('syncRunId');
    expect(changed).not.toHaveProperty('counters');
    // The OAuth consent that connected it was logged too, as was its creation.
    expect(
      loggedLines('connection status changed', { externalCalendarId: connectionId, from: 'PENDING', to: 'CONNECTED', reason: 'OAUTH_CONSENT' }),
    ).toHaveLength(1);
    expect(loggedLines('connection status changed', { externalCalendarId: connectionId, from: null, to: 'PENDING', reason: 'CREATED' })).toHaveLength(1);

    const text = await metricsText();
    expect(sampleSum(text, 'calsync_sync_runs_total', { kind: 'INCREMENTAL', status: 'FAILED', provider: 'GOOGLE' })).toBe(1);
    expect(sampleSum(text, 'calsync_provider_errors_total', { provider: 'GOOGLE', code: 'AUTH_REVOKED' })).toBe(1);
    expect(
      sampleSum(text, 'calsync_connection_status_changes_total', { provider: 'GOOGLE', from: 'CONNECTED', to: 'REAUTH_REQUIRED', reason: 'AUTH_REVOKED' }),
    ).toBe(1);
    expect(sampleSum(text, 'calsync_connections', { provider: 'GOOGLE', status: 'REAUTH_REQUIRED' })).toBeGreaterThanOrEqual(1);
  });

  it('reads the job queue, the websockets and the process on every scrape', async () => {
    const sql = server.orm.em.getConnection();
    // A job of a task no worker knows waits for ever: one waiting job, due 30 s ago.
    await sql.execute(
      `select graphile_worker.add_job('observability_probe', '{}'::json, run_at := now() - interval '30 seconds', job_key := 'observability-probe')`,
    );
    const live = new LiveSubscription<AppointmentExportChangedSubscription>(server.wsUrl, server.apiKey, AppointmentExportChangedDocument, { resourceId });
    const marker = {
      id: 'marker',
      tenant: { id: server.tenantId },
      resource: { id: resourceId },
      status: 'CONFIRMED',
      exportStatus: 'SKIPPED',
      exportError: null,
      providerEventId: null,
      version: 0,
    };
    try {
      await live.sync(
        () => server.deps.publish.appointmentExportChanged(marker as never),
        (event) => event.appointmentExportChanged.appointmentId === 'marker',
      );
      const text = await metricsText();
      expect(sampleSum(text, 'calsync_job_queue_depth', { task: 'observability_probe', state: 'waiting' })).toBe(1);
      expect(sampleSum(text, 'calsync_job_queue_oldest_job_age_seconds', { task: 'observability_probe' })).toBeGreaterThanOrEqual(29);
      expect(sampleSum(text, 'calsync_websocket_connections')).toBeGreaterThanOrEqual(1);
      expect(sampleSum(text, 'calsync_websocket_subscriptions')).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    } finally {
      await live.close();
      await sql.execute(`select graphile_worker.remove_job('observability-probe')`);
    }
    await until('the subscription to end', async () => sampleSum(await metricsText(), 'calsync_websocket_subscriptions') === 0);
    const after = await metricsText();
    expect(sampleSum(after, 'calsync_job_queue_depth', { task: 'observability_probe' })).toBe(0);
    // A known task without jobs is there, at zero, so that an alert can tell "empty" from "unknown".
    expect(after).toMatch(/^calsync_job_queue_depth\{task="appointment_export",state="waiting"\} 0$/m);
  });

  it('keeps operation names bounded: anonymous, cut at 64 characters, then "other" after 200 names', async () => {
    const query = (name: string) => (name ? `query ${name} { providers { id } }` : '{ providers { id } }');
    const send = (name: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify({ query: query(name) }),
      });
    expect((await send('')).status).toBe(200);
    expect((await send(`Long${'x'.repeat(100)}`)).status).toBe(200);
    for (let i = 0; i < 210; i++) await send(`Many${i}`);
    const text = await metricsText();
    expect(sampleSum(text, 'calsync_graphql_operations_total', { operation_name: 'anonymous', operation_type: 'query', outcome: 'ok' })).toBe(1);
    expect(sampleSum(text, 'calsync_graphql_operations_total', { operation_name: `Long${'x'.repeat(60)}` })).toBe(1);
    expect(sampleSum(text, 'calsync_graphql_operations_total', { operation_name: 'other' })).toBeGreaterThanOrEqual(10);
    const names = new Set([...text.matchAll(/^calsync_graphql_operations_total\{operation_name="([^"]*)"/gm)].map(([, name]) => name));
    // 200 names, `anonymous` and `other`.
    expect(names.size).toBeLessThanOrEqual(202);
    // A refused operation is counted with its error code.
    await send('Broken { nope }');
    expect(sampleSum(await metricsText(), 'calsync_graphql_operations_total', { operation_type: 'unknown', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  });

  it('asks for METRICS_TOKEN, and holds no tenant data', async () => {
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    const { status, contentType, text } = await scrape(server.url, METRICS_TOKEN);
    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const secret of [server.tenantId, resourceId, connectionId, TITLE, OWNER, server.apiKey, METRICS_TOKEN]) expect(text).not.toContain(secret);
    expect(capturedLogLines.join('')).not.toContain(TITLE);
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics alone on its own port, for a worker process', async () => {
    const server = await startTestServer({ worker: false });
    const port = await freePort();
    const metricsServer = await startMetricsServer({ ...server.deps, config: { ...server.deps.config, METRICS_PORT: port } });
    try {
      const { status, text } = await scrape(`http://127.0.0.1:${port}`);
      expect(status).toBe(200);
      // The queue's gauges (their series are the tasks some worker has registered, maybe none yet).
      expect(text).toContain('# TYPE calsync_job_queue_depth gauge');
      expect(text).toContain('# TYPE calsync_sync_runs_total counter');
      expect(text).not.toContain('calsync_websocket_connections');
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
      expect(await startMetricsServer({ ...server.deps, config: { ...server.deps.config, METRICS_PORT: undefined } })).toBeNull();
    } finally {
      await new Promise((resolve) => metricsServer!.close(resolve));
      await server.close();
    }
  });
});

describe('METRICS_ENABLED=false', () => {
  it('serves no /metrics', async () => {
    const server = await startTestServer({ env: { METRICS_ENABLED: 'false' }, worker: false });
    try {
      expect((await scrape(server.url)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('a worker process (the `worker` command)', () => {
  let google: GoogleFake;
  let server: TestServer;
  let worker: GatewayProcess;
  let stdout = '';
  let stderr = '';
  let metricsPort: number;

  beforeAll(async () => {
    buildGateway();
    metricsPort = await freePort();
    google = await startGoogleFake();
    const env = gatewayEnv({ ...googleEnv(google), LOG_LEVEL: 'debug' });
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
    worker = startGatewayProcess(['worker'], { ...env, METRICS_PORT: String(metricsPort) });
    worker.child.stdout!.on('data', (chunk) => (stdout += chunk));
    worker.child.stderr!.on('data', (chunk) => (stderr += chunk));
  }, 120_000);
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it("writes only JSON lines, graphile-worker's own included, logs the runs it executes and counts them on its METRICS_PORT", async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Worker', timeZone: 'UTC' } })).createResource.id;
    const connectionId = await connectGoogle(server, resourceId);
    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId })).syncExternalCalendar.id;
    expect((await server.finished(runId)).status).toBe('SUCCEEDED');
    await until('the run-end line', async () => stdout.includes(`"syncRunId":"${runId}"`) && stdout.includes('"msg":"sync run finished"'));
    // The run was counted where it ran, and that process serves its own /metrics on METRICS_PORT.
    expect((await scrape(`http://127.0.0.1:${metricsPort}`)).text).toMatch(/^calsync_sync_runs_total\{[^}]*status="SUCCEEDED"[^}]*\} 1$/m);
    expect(await worker.stop('SIGTERM')).toBe(0);

    const lines = stdout.split('\n').filter((line) => line !== '');
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(stderr).toBe('');
    const messages = lines.map((line) => (JSON.parse(line) as { msg?: string }).msg);
    // graphile-worker's lines, through pino (src/worker.ts workerLogger).
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Worker connected and looking for jobs/),
        'sync run started',
        'sync run finished',
        'Graceful shutdown complete',
      ]),
    );
  }, 120_000);
});
