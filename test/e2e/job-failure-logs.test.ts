import { CreateResourceDocument, SyncCalendarDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** A title that must never reach a log line or a stored error. */
const TITLE = 'Confidential: merger talk with Initech';
/** The title that makes the database refuse the insert (a trigger of this test's own). */
const POISON = 'poison-8b1f0c';
const DAY = 86_400_000;

/**
 * Failed jobs once logged graphile-worker's "Failed task" line with the error's message
 * and stack, and MikroORM's message quotes the failed SQL with its parameters: event titles in
 * the logs, and in the job's stored `last_error`. A sync whose INSERT the database refuses now
 * logs ids, attempts and the error's class and code only, at every log level.
 */
describe('a failing sync job', () => {
  let google: GoogleFake;
  let server: TestServer;
  let worker: GatewayProcess;

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    const env = gatewayEnv({ ...googleEnv(google), LOG_LEVEL: 'debug' });
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner' });
    const start = new Date(Date.now() + DAY);
    const end = new Date(start.getTime() + 3_600_000);
    google.addEvent('owner@example.com', { id: 'secret1', summary: TITLE, start: { dateTime: start.toISOString() }, end: { dateTime: end.toISOString() } });
    google.addEvent('owner@example.com', { id: 'poison1', summary: POISON, start: { dateTime: start.toISOString() }, end: { dateTime: end.toISOString() } });
    await server.orm.em.getConnection().execute(`create or replace function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.title = '${POISON}' then raise exception 'refused by the test' using errcode = 'P0001'; end if;
        return new;
      end $$`);
    await server.orm.em.getConnection().execute('create trigger refuse_poison before insert on external_event for each row execute function refuse_poison()');
    worker = startGatewayProcess(['worker'], env);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await server?.orm.em.getConnection().execute('drop trigger if exists refuse_poison on external_event');
    await server?.close();
    await google?.close();
  });

  it('logs ids and error codes, never the SQL or an event title', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Secret room', timeZone: 'UTC' } })).createResource.id;
    const connectionId = await connectGoogle(server, resourceId);
    const runId = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar.id;
    const sql = server.orm.em.getConnection();
    // The table behind graphile_worker.jobs, whose view leaves the payload out.
    const job = async () =>
      (
        (await sql.execute(`select attempts, last_error from graphile_worker._private_jobs where payload->>'runId' = ?`, [runId])) as {
          attempts: number;
          last_error: string | null;
        }[]
      )[0];
    // Two failed attempts: the first is retried after about e^1 s.
    await until('the job to fail twice', async () => ((await job())?.attempts ?? 0) >= 2 && (await job()).last_error !== null, 60_000);
    // The worker logs a failure as it records it; give the output a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const output = worker.output();
    expect(output).not.toContain(TITLE);
    expect(output).not.toContain(POISON);
    expect(output).not.toMatch(/insert into|jsonb_to_recordset|external_event \(/i);
    expect(output.match(new RegExp(`sync run ${runId} failed unexpectedly \\(DriverException P0001\\)`, 'g'))).toHaveLength(2);
    const { last_error: lastError } = await job();
    expect(lastError).toBe(`sync run ${runId} failed: DriverException P0001`);
    const [run] = (await sql.execute('select status, error from sync_run where id = ?', [runId])) as { status: string; error: string | null }[];
    expect(run.status).toBe('QUEUED');
  }, 120_000);
});
