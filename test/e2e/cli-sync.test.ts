import { randomUUID } from 'node:crypto';
import { CreateResourceDocument, ListEventsDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, runCliWith } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const DAY = 86_400_000;
const EVENTS = 3;
const UUID = '[0-9a-f-]{36}';

/**
 * `calsync sync` and `calsync ingest` against the Google fake: the CLI requests the run as the
 * mutations do, runs it with a worker of its own (the API here has none), prints one line per
 * change of the run on a pipe, a summary, and exits 0 when it SUCCEEDED, 1 when it FAILED.
 */
describe("the CLI's sync and ingest", () => {
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  let resourceId: string;
  let connectionId: string;

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    env = gatewayEnv(googleEnv(google));
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'Work', primary: true, accessRole: 'owner' });
    for (let i = 0; i < EVENTS; i++) {
      const start = new Date(Date.now() + DAY + i * 3_600_000);
      google.addEvent('owner@example.com', {
        id: `e${i}`,
        summary: `Event ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      });
    }
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'CLI room', timeZone: 'UTC' } })).createResource.id;
    connectionId = await connectGoogle(server, resourceId);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  it("sync: the run's lines, a summary, exit code 0, the events stored; another run's job is left to the workers", async () => {
    // Someone else's run waiting in the queue (the CLI's worker must not take it: its task could fail, or be slow).
    const otherRun = randomUUID();
    await server.deps.queue.enqueue({ runId: otherRun, tenantId: server.tenantId }, `cli-test:${otherRun}`);
    const { code, stdout, stderr } = await runCliWith(env, 'sync', connectionId, '--full');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const waiting = await server.orm.em
      .getConnection()
      .execute('select attempts from graphile_worker.jobs where queue_name = ?', [`sync:cli-test:${otherRun}`]);
    expect(waiting).toEqual([{ attempts: 0 }]);
    await server.orm.em
      .getConnection()
      .execute('delete from graphile_worker._private_jobs where id in (select id from graphile_worker.jobs where queue_name = ?)', [
        `sync:cli-test:${otherRun}`,
      ]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^run ${UUID}: FULL of external calendar ${connectionId}, window \\S+ to \\S+$`));
    expect(lines[1]).toBe('QUEUED calendars 0/1 fetched 0 stored 0 deleted 0 skipped 0');
    expect(lines).toContain('RUNNING calendars 0/1 fetched 0 stored 0 deleted 0 skipped 0');
    expect(lines).toContain(`SUCCEEDED calendars 1/1 fetched ${EVENTS} stored ${EVENTS} deleted 0 skipped 0`);
    // Each calendar with its own outcome, then the summary.
    expect(lines.at(-2)).toBe(`  Work: SUCCEEDED fetched ${EVENTS} stored ${EVENTS} deleted 0 skipped 0`);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^SUCCEEDED in \\d+\\.\\d s: calendars 1/1 fetched ${EVENTS} stored ${EVENTS} deleted 0 skipped 0 \\(0 reasons\\)$`),
    );
    // One line a change: no line twice in a row, and no log line among them.
    expect(lines.every((line, at) => line !== lines[at - 1] && !line.startsWith('{'))).toBe(true);
    const { externalEvents } = await server.ok(ListEventsDocument, {
      filter: { from: new Date().toISOString(), to: new Date(Date.now() + 3 * DAY).toISOString(), resourceIds: [resourceId] },
    });
    expect(externalEvents.edges).toHaveLength(EVENTS);
  }, 60_000);

  it('sync without --full: an incremental run, nothing new; logs asked for go to stderr', async () => {
    const { code, stdout, stderr } = await runCliWith({ ...env, LOG_LEVEL: 'info' }, 'sync', connectionId);
    expect(code).toBe(0);
    expect(stdout).toMatch(/: INCREMENTAL of external calendar /);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^SUCCEEDED in \d+\.\d s: calendars 1\/1 fetched 0 stored 0 deleted 0 skipped 0 \(0 reasons\)$/);
    expect(stdout).not.toContain('{');
    const logs = stderr.trim().split('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((line) => (JSON.parse(line) as { level: number }).level >= 30)).toBe(true);
  }, 60_000);

  it('ingest --from --to: a RANGE run of the resource over that window', async () => {
    const from = new Date(Date.now() - DAY).toISOString();
    const to = new Date(Date.now() + 7 * DAY).toISOString();
    const { code, stdout, stderr } = await runCliWith(env, 'ingest', resourceId, '--from', from, '--to', to);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toBe(`${stdout.split('\n')[0].split(':')[0]}: RANGE of resource ${resourceId}, window ${from} to ${to}`);
    expect(stdout).toContain(`SUCCEEDED calendars 1/1 fetched ${EVENTS} stored 0 deleted 0 skipped 0\n`);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^SUCCEEDED in \d+\.\d s: calendars 1\/1 fetched 3 stored 0 /);
  }, 60_000);

  it('bad arguments and unknown ids: a message naming what is wrong, exit code 1', async () => {
    expect(await runCliWith(env, 'sync', connectionId, '--fulll')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^calsync sync: Unknown option '--fulll'\nUsage:\n {2}sync <externalCalendarId>/),
    });
    expect(await runCliWith(env, 'sync')).toMatchObject({ code: 1, stderr: expect.stringContaining('Missing <externalCalendarId>') });
    expect(await runCliWith(env, 'sync', connectionId, 'extra')).toMatchObject({ code: 1, stderr: expect.stringContaining("Unexpected argument 'extra'") });
    expect(await runCliWith(env, 'ingest', resourceId, '--from', '2026-12-01')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--from must be an ISO 8601 instant with an offset, e.g. 2026-12-01T00:00:00Z (got '2026-12-01')"),
    });
    expect(await runCliWith(env, 'ingest', resourceId, '--from', '2026-12-01T00:00:00Z')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Missing --to <instant>'),
    });
    expect(await runCliWith(env, 'ingest', resourceId, '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-01T00:00:00Z')).toMatchObject({
      code: 1,
      stderr: 'to must be after from\n',
    });
    expect(await runCliWith(env, 'sync', '00000000-0000-4000-8000-000000000000')).toMatchObject({
      code: 1,
      stderr: "ExternalCalendar '00000000-0000-4000-8000-000000000000' not found\n",
    });
    expect(await runCliWith(env, 'ingest', 'nope', '--from', '2026-12-01T00:00:00Z', '--to', '2026-12-02T00:00:00Z')).toMatchObject({
      code: 1,
      stderr: "Resource 'nope' not found\n",
    });
  }, 60_000);

  // Last: it revokes the fake's grants.
  it('a failing run: its summary, the error code and message on stderr, exit code 1', async () => {
    google.revokeGrant();
    const { code, stdout, stderr } = await runCliWith(env, 'sync', connectionId);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^FAILED in \d+\.\d s: calendars 0\/1 fetched 0 stored 0 deleted 0 skipped 0 \(0 reasons\)$/);
    // The calendar the refusal stopped, with the reason.
    expect(stdout.trim().split('\n').at(-2)).toMatch(/^ {2}Work: FAILED fetched 0 stored 0 deleted 0 skipped 0 — Google refused the grant: /);
    // Warnings of the worker may stand before it, as JSON lines.
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('{')),
    ).toEqual([expect.stringMatching(/^FAILED PROVIDER_AUTH_REQUIRED: GOOGLE owner@example.com: .+$/)]);
  }, 60_000);
});
