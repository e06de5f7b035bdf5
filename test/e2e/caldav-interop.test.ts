import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AvailabilityDocument,
  CancelAppointmentDocument,
  ConnectByCredentialsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetAppointmentDocument,
  GetExternalCalendarDocument,
  IngestDocument,
  RefreshCalendarsDocument,
  RescheduleAppointmentDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  UpdateCredentialsDocument,
  type ExternalCalendarFieldsFragment,
} from '../graphql/generated';
import { mergeIntervals } from '../../src/modules/availability/intervals';
import { describeEachCalDavServer, startCalDavServer, type CalDavTestServer } from '../helpers/caldav-servers';
import { mondayBefore, normalYear, ODD_OBJECT_NAMES } from '../helpers/normal-year';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { oracleExpandAll, oracleMissing, type OracleOccurrence } from '../oracle/oracle';

const DAY_MS = 86_400_000;
const ZONE = 'Europe/Berlin';
const EMPTY = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\nEND:VCALENDAR\r\n';

/** One occurrence as compared: start, end, title, status, all-day. */
type Row = string;
const row = (start: string | Date, end: string | Date, title: string | null, status: string | null, allDay: boolean): Row =>
  `${new Date(start).toISOString()} ${new Date(end).toISOString()} ${status ?? 'CONFIRMED'} ${allDay ? 'all-day' : 'timed'} ${title}`;

/**
 * The same suite against every CalDAV server: what a user does, from typing the host URL to
 * appointments landing in the calendar, checked occurrence by occurrence against an independent
 * expansion (python3-recurring-ical-events) of what the server holds.
 */
describeEachCalDavServer('CalDAV on real servers', (kind) => {
  let dav: CalDavTestServer;
  let server: TestServer;
  let resourceId: string;
  let connectionId: string;
  let yearUrl: string;
  let base: Date;
  const calendarIds = new Map<string, string>();
  let folder: string;

  beforeAll(async () => {
    const missing = oracleMissing();
    if (missing) throw new Error(`The independent expander is missing: ${missing} (apt-get install python3-recurring-ical-events)`);
    folder = mkdtempSync(path.join(tmpdir(), 'calsync-oracle-'));
    dav = await startCalDavServer(kind);
    server = await startTestServer();
    base = mondayBefore(new Date(), 28);
    yearUrl = await dav.putCalendar('year', normalYear(base), { objectName: (uid) => ODD_OBJECT_NAMES[uid] ?? `${uid}.ics` });
    await dav.putCalendar('personal', EMPTY);
    await dav.putCalendar('scratch', EMPTY);
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: `Dr. ${kind}`, timeZone: ZONE } })).createResource.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await dav?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** The occurrences the independent expander finds in what the server holds now, in [from, to). */
  async function expected(collectionUrl: string, from: Date, to: Date): Promise<Row[]> {
    const objects = await dav.listObjects(collectionUrl);
    const files = objects.map((object, index) => {
      const file = path.join(folder, `${kind}-${index}.ics`);
      writeFileSync(file, object.data);
      return file;
    });
    const results = oracleExpandAll(files.map((file) => ({ file, from: from.toISOString(), to: to.toISOString(), timeZone: ZONE })));
    for (const result of results) expect(result.errors).toEqual([]);
    // A DATE DTSTART without DTEND or DURATION lasts one day (RFC 5545 section 3.6.1); the expander gives it no length.
    const end = (o: OracleOccurrence) => (o.allDay && o.end === o.start ? DateTime.fromISO(o.start, { zone: ZONE }).plus({ days: 1 }).toISO()! : o.end);
    return results.flatMap((result) => result.occurrences.map((o) => row(o.start, end(o), o.summary, o.status, o.allDay))).sort();
  }

  /** What Calsync stored for a calendar, overlapping [from, to) as the expander counts overlap. */
  async function stored(calendarId: string, from: Date, to: Date): Promise<Row[]> {
    const rows: { title: string | null; starts_at: Date; ends_at: Date; status: string; all_day: boolean }[] = await server.orm.em.getConnection().execute(
      `select title, starts_at, ends_at, status, all_day from external_event
        where provider_calendar_id = ? and starts_at < ? and (ends_at > ? or (ends_at = starts_at and starts_at >= ?))`,
      [calendarId, to, from, from],
    );
    return rows.map((r) => row(r.starts_at, r.ends_at, r.title, r.status, r.all_day)).sort();
  }

  const connection = async (): Promise<ExternalCalendarFieldsFragment> =>
    (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!;
  const sync = async (full: boolean) =>
    server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full })).syncExternalCalendar.id);

  it('connects by the host URL alone: discovery leads to the calendar home and its collections', async () => {
    const wrong = await server.gql(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: dav.url, username: dav.username, password: 'wrong' },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');

    const { connectExternalCalendarByCredentials: connected } = await server.ok(ConnectByCredentialsDocument, {
      input: { resourceId, provider: 'CALDAV', serverUrl: dav.url, username: dav.username, password: dav.password },
    });
    connectionId = connected.id;
    expect(connected.status).toBe('CONNECTED');
    for (const calendar of connected.providerCalendars) {
      expect(calendar.providerCalendarId.startsWith(dav.calendarHomeUrl)).toBe(true);
      calendarIds.set(calendar.providerCalendarId.slice(dav.calendarHomeUrl.length).replace(/\/$/, ''), calendar.id);
    }
    expect([...calendarIds.keys()].sort()).toEqual(expect.arrayContaining(['personal', 'scratch', 'year']));
    expect(connected.providerCalendars.every((calendar) => calendar.canWrite)).toBe(true);
    await server.ok(SelectCalendarsDocument, {
      input: {
        externalCalendarId: connectionId,
        readCalendarIds: [calendarIds.get('year')!, calendarIds.get('personal')!],
        writeCalendarId: calendarIds.get('personal')!,
      },
    });
  });

  it('ingests a year: every occurrence the independent expander finds, none more, and availability agrees', async () => {
    const from = base;
    const to = new Date(base.getTime() + 365 * DAY_MS);
    const run = await server.finished(
      (await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, from: from.toISOString(), to: to.toISOString() } })).ingestExternalEvents
        .id,
    );
    expect(run).toMatchObject({ status: 'SUCCEEDED', skipped: 0 });
    const want = await expected(yearUrl, from, to);
    expect(want.length).toBeGreaterThan(800);
    expect(await stored(calendarIds.get('year')!, from, to)).toEqual(want);

    // Around the clock (no working hours): busy exactly where the stored occurrences block.
    const month = { from: new Date(base.getTime() + 7 * DAY_MS), to: new Date(base.getTime() + 37 * DAY_MS) };
    const rows: { starts_at: Date; ends_at: Date }[] = await server.orm.em.getConnection().execute(
      `select starts_at, ends_at from external_event where resource_id = ? and status <> 'CANCELLED' and transparency = 'OPAQUE' and ends_at > starts_at
         and starts_at < ? and ends_at > ?`,
      [resourceId, month.to, month.from],
    );
    const blocking = mergeIntervals(
      rows.map((r) => ({
        start: Math.max(new Date(r.starts_at).getTime(), month.from.getTime()),
        end: Math.min(new Date(r.ends_at).getTime(), month.to.getTime()),
      })),
    );
    const { availability } = await server.ok(AvailabilityDocument, {
      input: { resourceId, from: month.from.toISOString(), to: month.to.toISOString(), slotMinutes: 15 },
    });
    expect(availability.busy.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }))).toEqual(blocking);
  });

  it('syncs in full, then incrementally after an edit, a delete and a new object: only those are read, and occurrences outside the window stay', async () => {
    const full = await sync(true);
    expect(full.status).toBe('SUCCEEDED');
    const window = { from: new Date(full.windowFrom), to: new Date(full.windowTo) };
    expect(await stored(calendarIds.get('year')!, window.from, window.to)).toEqual(await expected(yearUrl, window.from, window.to));
    const early = { from: new Date('2015-01-01T00:00:00Z'), to: new Date('2015-02-01T00:00:00Z') };
    await server.finished(
      (await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, from: early.from.toISOString(), to: early.to.toISOString() } }))
        .ingestExternalEvents.id,
    );
    expect(await stored(calendarIds.get('year')!, early.from, early.to)).toHaveLength(31);

    // The team call moves to Wednesdays, the daily series is renamed, the gym is deleted, a lunch is added.
    const edited = normalYear(base, { teamDay: 'WE', dailyTitle: 'Ward rounds' });
    const calendarOf = (uid: string, text: string) => {
      const vevents = [...text.matchAll(/BEGIN:VEVENT\r\n[\s\S]*?END:VEVENT\r\n/g)].map((m) => m[0]).filter((v) => v.includes(`UID:${uid}\r\n`));
      const zones = [...text.matchAll(/BEGIN:VTIMEZONE\r\n[\s\S]*?END:VTIMEZONE\r\n/g)].map((m) => m[0]);
      return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\n${zones.join('')}${vevents.join('')}END:VCALENDAR\r\n`;
    };
    await dav.putObject(yearUrl, ODD_OBJECT_NAMES['team@calsync.test'], calendarOf('team@calsync.test', edited));
    await dav.putObject(yearUrl, 'daily@calsync.test.ics', calendarOf('daily@calsync.test', edited));
    await dav.deleteObject(yearUrl, 'gym@calsync.test.ics');
    const tomorrow = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
    const lunch = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\nBEGIN:VEVENT\r\nUID:lunch@calsync.test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${tomorrow}T113000Z\r\nDTEND:${tomorrow}T123000Z\r\nSUMMARY:Lunch (new)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    await dav.putObject(yearUrl, 'Neuer Termin (1)', lunch);

    const incremental = await sync(false);
    expect(incremental).toMatchObject({ kind: 'INCREMENTAL', status: 'SUCCEEDED' });
    const now = { from: new Date(incremental.windowFrom), to: new Date(incremental.windowTo) };
    expect(await stored(calendarIds.get('year')!, now.from, now.to)).toEqual(await expected(yearUrl, now.from, now.to));
    // Only the changed objects were read and expanded: the team call's and the daily series' occurrences, and the lunch.
    const changedRows = (await stored(calendarIds.get('year')!, now.from, now.to)).filter((r) => /Team call|Ward rounds|Lunch \(new\)/.test(r));
    expect(incremental.fetched).toBe(changedRows.length);
    // The renamed series keeps its occurrences outside the window, as they were.
    const kept = await stored(calendarIds.get('year')!, early.from, early.to);
    expect(kept).toHaveLength(31);
    expect(kept.every((r) => r.endsWith(' Rounds'))).toBe(true);

    const quiet = await sync(false);
    expect(quiet).toMatchObject({ status: 'SUCCEEDED', fetched: 0, upserted: 0, deleted: 0 });
  });

  it('exports appointments: created, rescheduled and cancelled in the write calendar, and read back without blocking twice', async () => {
    const personalUrl = `${dav.calendarHomeUrl}personal/`;
    const day = Math.ceil((Date.now() + 2 * DAY_MS) / DAY_MS) * DAY_MS;
    const at = (hour: number) => new Date(day + hour * 3_600_000).toISOString();
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId, startsAt: at(6), endsAt: at(7), title: 'Check-up', attendees: [{ email: 'pat@example.com', name: 'Pat' }], allowOverlap: true },
    });
    const settled = (status: string, version: number) =>
      until(
        `the export to be ${status} at version ${version}`,
        async () => {
          const { appointment } = await server.ok(GetAppointmentDocument, { id: createAppointment.id });
          if (appointment?.exportStatus === 'FAILED') throw new Error(`export failed: ${appointment.exportError}`);
          return appointment?.exportStatus === status && appointment.version === version ? appointment : null;
        },
        60_000,
      );
    await settled('EXPORTED', createAppointment.version);
    const marked = async () => (await dav.listObjects(personalUrl)).filter((object) => object.data.includes(createAppointment.id));
    expect(await marked()).toHaveLength(1);

    const { rescheduleAppointment } = await server.ok(RescheduleAppointmentDocument, {
      input: { id: createAppointment.id, startsAt: at(8), endsAt: at(9), allowOverlap: true },
    });
    await settled('EXPORTED', rescheduleAppointment.version);
    const [moved] = await marked();
    expect(moved.data.replace(/\r\n[ \t]/g, '')).toMatch(new RegExp(`DTSTART[^\\r\\n]*:${at(8).slice(0, 10).replace(/-/g, '')}T`));
    expect(await marked()).toHaveLength(1);

    // Read back by the next sync: the appointment blocks its hour once, as itself.
    expect((await sync(false)).status).toBe('SUCCEEDED');
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, from: at(8), to: at(9), slotMinutes: 60 } });
    expect(availability.busy).toEqual([{ start: at(8), end: at(9) }]);

    await server.ok(CancelAppointmentDocument, { id: createAppointment.id });
    await until('the exported event to be removed', async () => (await marked()).length === 0, 60_000);
  });

  it('refreshes the calendar list: a new collection appears unselected, a removed one says so and stops syncing, the selection stays', async () => {
    await dav.putCalendar('added', EMPTY);
    await dav.deleteCalendar(`${dav.calendarHomeUrl}scratch/`);
    const { refreshCalendars } = await server.ok(RefreshCalendarsDocument, { externalCalendarId: connectionId });
    const byPath = new Map(
      refreshCalendars.providerCalendars.map((calendar) => [calendar.providerCalendarId.slice(dav.calendarHomeUrl.length).replace(/\/$/, ''), calendar]),
    );
    expect(byPath.get('added')).toMatchObject({ read: false, write: false, removedAt: null });
    expect(byPath.get('scratch')?.removedAt).not.toBeNull();
    expect(byPath.get('year')).toMatchObject({ read: true, removedAt: null });
    expect(byPath.get('personal')).toMatchObject({ read: true, write: true, removedAt: null });
  });

  it('takes a changed password in place: REAUTH_REQUIRED until updateExternalCalendarCredentials, which logs in first', async () => {
    await dav.setPassword('a new passphrase');
    try {
      const refused = await sync(false);
      expect(refused).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_AUTH_REQUIRED' });
      expect((await connection()).status).toBe('REAUTH_REQUIRED');
      const wrong = await server.gql(UpdateCredentialsDocument, { input: { externalCalendarId: connectionId, password: 'still wrong' } });
      expect(wrong.errors?.[0]?.extensions?.code).toBe('PROVIDER_AUTH_REQUIRED');
      expect((await connection()).status).toBe('REAUTH_REQUIRED');
      const { updateExternalCalendarCredentials } = await server.ok(UpdateCredentialsDocument, {
        input: { externalCalendarId: connectionId, password: 'a new passphrase' },
      });
      expect(updateExternalCalendarCredentials).toMatchObject({ status: 'CONNECTED', lastError: null });
      expect((await sync(false)).status).toBe('SUCCEEDED');
    } finally {
      await dav.setPassword(dav.password);
    }
  });
});
