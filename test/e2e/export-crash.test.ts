import { CreateAppointmentDocument, CreateResourceDocument, GetAppointmentDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { connectGoogle } from '../helpers/google-connection';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const OWNER = 'owner@example.com';
const tomorrow = (hour: number) => new Date(Math.ceil((Date.now() + 86_400_000) / 86_400_000) * 86_400_000 + hour * 3_600_000).toISOString();

describe('a worker killed after Google accepted an export and before Calsync committed it', () => {
  let google: GoogleFake;
  let server: TestServer;
  let env: Record<string, string>;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    buildGateway();
    google = await startGoogleFake();
    env = gatewayEnv(googleEnv(google));
    // The API alone: exports run in the worker processes.
    server = await startTestServer({ env, worker: false });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await google?.close();
  });

  it('retries on a restarted worker and finds the same event: exactly one in the calendar', async () => {
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Crash room', timeZone: 'UTC' } })).createResource.id;
    await connectGoogle(server, resourceId, { write: true });

    const first = startGatewayProcess(['worker'], env);
    workers.push(first);
    // Google stores the insert; before it answers, the worker dies. The hook's rejection drops the connection.
    let killed = false;
    google.onWrite = async (method) => {
      if (method !== 'POST' || killed) return;
      killed = true;
      await first.stop('SIGKILL');
      throw new Error('worker killed');
    };
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId, startsAt: tomorrow(9), endsAt: tomorrow(10), title: 'Survives a crash' },
    });
    await until('the first worker to be killed mid-export', async () => killed && first.child.exitCode === null && first.child.signalCode !== null);
    const marked = () =>
      google
        .storedEvents(OWNER)
        .filter((event) => event.status !== 'cancelled' && event.extendedProperties?.private?.calsyncAppointmentId === createAppointment.id);
    expect(marked()).toHaveLength(1);
    expect((await server.ok(GetAppointmentDocument, { id: createAppointment.id })).appointment).toMatchObject({
      exportStatus: 'PENDING',
      providerEventId: null,
    });

    // Six missed heartbeats (1 s each) later, a new worker takes the export over as it starts.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const second = startGatewayProcess(['worker'], env);
    workers.push(second);
    const exported = await until(
      'the export to finish',
      async () => {
        const { appointment } = await server.ok(GetAppointmentDocument, { id: createAppointment.id });
        return appointment?.exportStatus === 'EXPORTED' ? appointment : null;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- first worker ---\n${first.output()}\n--- second worker ---\n${second.output()}`);
    });
    expect(marked()).toHaveLength(1);
    expect(exported.providerEventId).toBe(marked()[0].id);
    // The restarted worker looked the deterministic id up (events.get) and found the event: no second insert.
    const lookups = google.requests.filter((request) => request.method === 'GET' && request.path.endsWith(`/events/${exported.providerEventId}`));
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(google.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/events'))).toHaveLength(1);
  }, 120_000);
});
