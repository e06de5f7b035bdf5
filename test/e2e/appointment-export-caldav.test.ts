import { exportSettled } from '../helpers/export-settled';
import {
  CancelAppointmentDocument,
  ConnectByCredentialsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  ExplainAppointmentDocument,
  GetAppointmentDocument,
  RescheduleAppointmentDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import { startProxy } from '../helpers/caldav-proxy';
import { buildGateway, gatewayEnv, startGatewayProcess, until, type GatewayProcess } from '../helpers/processes';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

const EMPTY = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\nEND:VCALENDAR\r\n';
const tomorrow = (hour: number) => new Date(Math.ceil((Date.now() + 86_400_000) / 86_400_000) * 86_400_000 + hour * 3_600_000).toISOString();

describeWithRadicale('appointments exported to a CalDAV server (Radicale), exactly once, across a worker crash', () => {
  let radicale: RadicaleServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let server: TestServer;
  let env: Record<string, string>;
  let collection: string;
  let resourceId: string;
  let connectionId: string;
  let appointmentId: string;
  const workers: GatewayProcess[] = [];

  beforeAll(async () => {
    buildGateway();
    radicale = await startRadicale();
    collection = await radicale.putCalendar('work', EMPTY);
    // The gateway reaches Radicale through a proxy that can hold an answer while the test kills the worker.
    proxy = await startProxy(radicale.url);
    env = gatewayEnv();
    server = await startTestServer({ env, worker: false });
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. House', timeZone: 'Europe/Berlin' } })).createResource.id;
    const connection = (
      await server.ok(ConnectByCredentialsDocument, {
        input: { resourceId, provider: 'CALDAV', serverUrl: proxy.url, username: radicale.username, password: radicale.password },
      })
    ).connectExternalCalendarByCredentials;
    connectionId = connection.id;
    const work = connection.providerCalendars.find((c) => c.providerCalendarId.endsWith('/work/'))!;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [work.id], writeCalendarId: work.id } });
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await server?.close();
    await proxy?.close();
    await radicale?.stop();
  });

  /** The VEVENTs of the collection that carry the appointment's mark, as Radicale stores them. */
  async function marked(id: string): Promise<string[]> {
    const response = await fetch(collection, {
      headers: { authorization: `Basic ${Buffer.from(`${radicale.username}:${radicale.password}`).toString('base64')}` },
    });
    const body = (await response.text()).replace(/\r\n[ \t]/g, '');
    return [...body.matchAll(/BEGIN:VEVENT[\s\S]*?END:VEVENT/g)].map((match) => match[0]).filter((vevent) => vevent.includes(`X-CALSYNC-APPOINTMENT:${id}`));
  }
  const settled = (id: string, status: string, version: number) => exportSettled(server, id, status, version);

  it('PUTs the event once even when the worker dies after Radicale stored it and before the commit', async () => {
    const first = startGatewayProcess(['worker'], env);
    workers.push(first);
    let killed = false;
    proxy.behaviour.afterForward = async (method, status) => {
      if (method !== 'PUT' || status !== 201 || killed) return;
      killed = true;
      await first.stop('SIGKILL');
      throw new Error('worker killed');
    };
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId, startsAt: tomorrow(9), endsAt: tomorrow(10), title: 'Knee, follow-up', attendees: [{ email: 'pat@example.com', name: 'Pat' }] },
    });
    appointmentId = createAppointment.id;
    await until('the first worker to be killed mid-export', async () => killed && first.child.signalCode !== null);
    expect(await marked(appointmentId)).toHaveLength(1);
    expect((await server.ok(GetAppointmentDocument, { id: appointmentId })).appointment?.exportStatus).toBe('PENDING');

    await new Promise((resolve) => setTimeout(resolve, 7_000));
    workers.push(startGatewayProcess(['worker'], env));
    const exported = await settled(appointmentId, 'EXPORTED', 0);
    const [vevent] = await marked(appointmentId);
    expect(await marked(appointmentId)).toHaveLength(1);
    expect(exported.providerEventId).toBe(`${proxy.url.replace(/\/$/, '')}${new URL(collection).pathname}${appointmentId}-0.ics`);
    expect(vevent).toContain(`UID:${appointmentId}-0@calsync`);
    expect(vevent).toContain('SUMMARY:Knee\\, follow-up');
    expect(vevent).toMatch(/ATTENDEE;[^\n]*CN=Pat[^\n]*:mailto:pat@example.com/);
    // The retry found the stored object: If-None-Match refused (412), then an If-Match write over it.
    // (A fresh worker's first request to a plain-http origin carries no password: it learns the scheme.)
    const authenticated = proxy.behaviour.seen.filter((seen, index) => seen.startsWith('PUT') && proxy.behaviour.authorizations[index] !== 'none');
    expect(authenticated).toEqual(['PUT If-None-Match: *', 'PUT If-None-Match: *', 'PUT If-Match']);
  }, 120_000);

  it('reads its own export back without blocking the time twice', async () => {
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar;
    expect((await server.finished(run.id)).status).toBe('SUCCEEDED');
    const [stored] = await server.orm.em.fork().execute('select appointment_id, blocking from external_event where external_calendar_id = ?', [connectionId]);
    expect(stored).toEqual({ appointment_id: appointmentId, blocking: false });
    const { explainAvailability } = await server.ok(ExplainAppointmentDocument, { resourceId, at: tomorrow(9) });
    expect(explainAvailability.blocks.map((block) => block.kind)).toEqual(['APPOINTMENT']);
  });

  it('rewrites the object on reschedule and deletes it on cancellation', async () => {
    await server.ok(RescheduleAppointmentDocument, { input: { id: appointmentId, startsAt: tomorrow(11), endsAt: tomorrow(12) } });
    await settled(appointmentId, 'EXPORTED', 1);
    const [vevent] = await marked(appointmentId);
    expect(vevent).toContain(`DTSTART:${tomorrow(11).replace(/[-:]/g, '').replace('.000', '')}`);
    expect(vevent).toContain('SEQUENCE:1');

    await server.ok(CancelAppointmentDocument, { id: appointmentId });
    await settled(appointmentId, 'REMOVED', 2);
    expect(await marked(appointmentId)).toEqual([]);
  });
});
