import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { initOrm } from '../../src/db/orm';
import { TenantService } from '../../src/modules/tenancy/tenant.service';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { CreateResourceDocument, GetExternalCalendarDocument, SelectCalendarsDocument, SyncCalendarDocument } from '../graphql/generated';
import { freePort } from '../helpers/free-port';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const ROOT = path.resolve(__dirname, '../..');

/** A gateway process in a process group of its own, as a terminal runs `npm start`. */
interface Service {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startService(args: string[], env: Record<string, string>): Service {
  let stdout = '';
  let stderr = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
    detached: true,
  });
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const DELIVERIES = ['SIGINT to the group', 'SIGTERM to the process'] as const;

/** Ctrl-C in a terminal: SIGINT to every process of the foreground group. SIGTERM: to the process alone, as a service manager does. */
function signal(service: Service, how: (typeof DELIVERIES)[number]): void {
  if (how === 'SIGINT to the group') process.kill(-service.child.pid!, 'SIGINT');
  else service.child.kill('SIGTERM');
}

/** The JSON log lines a process wrote to stdout (the dev tenant's key, printed alone, excepted). */
function logLines(service: Service): { level: number; msg: string }[] {
  return service
    .stdout()
    .split('\n')
    .filter((line) => line && !line.startsWith('csk_'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}

/** Exit 0, nothing on stderr, every stdout line JSON and none at error level (50) or above. */
async function expectCleanExit(service: Service): Promise<void> {
  const exit = await service.exited;
  const detail = `\n--- stdout ---\n${service.stdout()}\n--- stderr ---\n${service.stderr()}`;
  expect({ exit, detail }).toEqual({ exit: { code: 0, signal: null }, detail });
  expect(service.stderr()).toBe('');
  expect(logLines(service).filter((line) => line.level >= 50)).toEqual([]);
  expect(logLines(service).map((line) => line.msg)).toContain('stopped');
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(Boolean(socket.end())));
    socket.once('error', () => resolve(false));
  });
}

/** A CalDAV server that takes `delayMs` to refuse every login: a request in flight. */
async function slowServer(delayMs: number): Promise<{ url: string; seen: () => number; close(): Promise<void> }> {
  let seen = 0;
  const server: Server = createServer((request: IncomingMessage, response) => {
    seen++;
    request.resume();
    setTimeout(() => response.writeHead(401, { 'www-authenticate': 'Basic realm="slow"' }).end(), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/dav/`, seen: () => seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function graphql(
  port: number,
  apiKey: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; body: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Awaited<ReturnType<typeof graphql>>['body'] };
}

/** A graphql-ws subscription that has been acknowledged; resolves `closed` with the close code. */
async function openSubscription(port: number, apiKey: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type !== 'connection_ack') return reject(new Error(`unexpected ${String(data)}`));
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { externalCalendarStatusChanged { id status } }' } }));
      resolve();
    });
    socket.once('error', reject);
  });
  return { closed };
}

describe('a serving process stopped by a signal', () => {
  let slow: Awaited<ReturnType<typeof slowServer>>;
  let dataDir: string;
  let externalKey: string;

  beforeAll(async () => {
    buildGateway();
    slow = await slowServer(1_500);
    dataDir = mkdtempSync(path.join(tmpdir(), 'calsync-lifecycle-'));
    // Under root the database runs as the postgres user, who must reach its folder (mkdtemp makes it 0700).
    chmodSync(dataDir, 0o755);
    const orm = await initOrm(process.env.DATABASE_URL!);
    try {
      externalKey = (await new TenantService(orm.em.fork()).create(`lifecycle-${randomBytes(4).toString('hex')}`)).apiKey;
    } finally {
      await orm.close();
    }
  }, 120_000);
  afterAll(async () => {
    await slow?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const modes = [
    // The embedded database, and the API with its worker in one process (`npm start`).
    { mode: 'embedded', args: ['serve'] },
    // An external database, and the API alone (`serve --no-worker`).
    { mode: 'external', args: ['serve', '--no-worker'] },
  ] as const;

  describe.each(modes)('$mode database, calsync $args', ({ mode, args }) => {
    it.each(DELIVERIES)(
      '%s: the open request is answered, the websocket closed with 1001, the database stopped last, exit 0',
      async (delivery) => {
        const port = await freePort();
        const pgPort = await freePort();
        const env: Record<string, string> =
          mode === 'embedded'
            ? { CALSYNC_DATA_DIR: dataDir, CALSYNC_EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), LOG_LEVEL: 'info', OUTBOUND_ALLOW_PRIVATE: 'true' }
            : { ...gatewayEnv(), PORT: String(port), LOG_LEVEL: 'info' };
        const service = startService([...args], env);
        try {
          await until('the gateway to serve', async () => service.stdout().includes('Calsync is serving GraphQL'), 60_000);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${service.stdout()}\n${service.stderr()}`, { cause: error });
        }
        const apiKey = mode === 'embedded' ? readFileSync(path.join(dataDir, 'dev-api-key'), 'utf8').trim() : externalKey;
        const subscription = await openSubscription(port, apiKey);
        const resource = await graphql(port, apiKey, 'mutation($input: CreateResourceInput!) { createResource(input: $input) { id } }', {
          input: { name: 'Lifecycle room', timeZone: 'UTC' },
        });
        const resourceId = (resource.body.data!.createResource as { id: string }).id;

        const before = slow.seen();
        const inFlight = graphql(port, apiKey, 'mutation($input: ConnectByCredentialsInput!) { connectExternalCalendarByCredentials(input: $input) { id } }', {
          input: { resourceId, provider: 'CALDAV', serverUrl: slow.url, username: 'owner', password: 'secret' },
        });
        await until('the login to reach the CalDAV server', async () => slow.seen() > before);
        signal(service, delivery);

        // The login was refused after 1.5 s, and that answer still reached the client.
        const answer = await inFlight;
        expect(answer.status).toBe(200);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');
        expect(await subscription.closed).toBe(1001);
        await expectCleanExit(service);
        expect(await isListening(port)).toBe(false);
        if (mode === 'embedded') {
          expect(existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
          expect(await isListening(pgPort)).toBe(false);
        }
      },
      120_000,
    );
  });

  it('a port already in use: exit 1 with what to do, and the embedded database stopped, not left running', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const pgPort = await freePort();
    try {
      const service = startService(['serve'], { CALSYNC_DATA_DIR: dataDir, CALSYNC_EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), LOG_LEVEL: 'info' });
      const exit = await service.exited;
      expect(exit).toEqual({ code: 1, signal: null });
      expect(service.stderr()).toContain(`Port ${port} is already in use (another Calsync?): stop that process, or set PORT to a free port`);
      expect(service.stdout()).not.toContain('Calsync is serving GraphQL');
      expect(existsSync(path.join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
      expect(await isListening(pgPort)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);
});

describe('a worker process stopped by a signal in the middle of a sync', () => {
  const EVENTS = 200;
  const FIRST_EVENTS_PATH = `/calendar/v3/calendars/${encodeURIComponent('owner@example.com')}/events`;
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  const workers: Service[] = [];

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    env = { ...gatewayEnv(googleEnv(google)), LOG_LEVEL: 'info' };
    // The API without a worker: the runs of this test run in the worker processes.
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'A first', primary: true, accessRole: 'owner' });
    google.addCalendar({ id: 'team@example.com', summary: 'B second', accessRole: 'owner' });
    const tomorrow = Date.now() + 86_400_000;
    for (const calendarId of ['owner@example.com', 'team@example.com']) {
      for (let i = 0; i < EVENTS; i++) {
        const start = new Date(tomorrow + i * 3_600_000);
        google.addEvent(calendarId, {
          id: `${calendarId.split('@')[0]}${i}`,
          summary: `Booking ${i}`,
          start: { dateTime: start.toISOString() },
          end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
        });
      }
    }
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it.each(DELIVERIES)(
    '%s: the run stops before its next calendar, waits QUEUED with its job, and a new worker finishes it',
    async (delivery) => {
      const resourceId = (await server.ok(CreateResourceDocument, { input: { name: `Drain room ${delivery}`, timeZone: 'UTC' } })).createResource.id;
      const connectionId = await connectGoogle(server, resourceId);
      const calendars = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.providerCalendars;
      await server.ok(SelectCalendarsDocument, {
        input: { externalCalendarId: connectionId, readCalendarIds: calendars.map((calendar) => calendar.id), writeCalendarId: null },
      });
      const first = calendars.find((calendar) => calendar.name === 'A first')!;
      const sql = server.orm.em.getConnection();

      // The first calendar's first page is answered 503 with Retry-After: 2: the worker is inside it for 2 s.
      google.failNext(1, { status: 503, retryAfter: 2 });
      const pagesBefore = google.requestCount(FIRST_EVENTS_PATH);
      const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: false })).syncExternalCalendar.id;
      const status = async () =>
        (await sql.execute('select status, completed_calendars from sync_run where id = ?', [runId]))[0] as { status: string; completed_calendars: string[] };
      const worker = startService(['worker'], env);
      workers.push(worker);
      await until('the worker to be inside the first calendar', async () => google.requestCount(FIRST_EVENTS_PATH) > pagesBefore);
      signal(worker, delivery);
      await expectCleanExit(worker);

      // The calendar it was in was completed and committed; the next one was not begun.
      expect(await status()).toEqual({ status: 'QUEUED', completed_calendars: [first.id] });
      const stored = await sql.execute('select count(*)::int as n from external_event where external_calendar_id = ?', [connectionId]);
      expect(stored).toEqual([{ n: EVENTS }]);
      // Its job waits with every attempt left.
      const jobs = await sql.execute(
        `select attempts from graphile_worker.jobs where task_identifier = 'sync_run' and queue_name = ? and jsonb_exists(flags, ?)`,
        [`sync:${connectionId}`, `run:${runId}`],
      );
      expect(jobs).toEqual([{ attempts: 0 }]);
      expect(logLines(worker).map((line) => line.msg)).toContain('sync run paused by the shutdown; queued again');

      const next = startService(['worker'], env);
      workers.push(next);
      expect(await server.finished(runId)).toMatchObject({ status: 'SUCCEEDED', upserted: 2 * EVENTS });
      signal(next, delivery);
      await expectCleanExit(next);
    },
    120_000,
  );
});
