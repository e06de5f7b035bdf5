import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AvailabilityDocument,
  ConnectByCredentialsDocument,
  CreateResourceDocument,
  IngestDocument,
  ListEventsDocument,
  SelectCalendarsDocument,
  SyncCalendarDocument,
  SyncStatusChangedDocument,
  type ListEventsQuery,
  type SyncStatusChangedSubscription,
} from '../graphql/generated';
import { SyncRun, SyncRunKind } from '../../src/modules/sync/sync-run.entity';
import { LiveSubscription } from '../helpers/live';
import { mergeIntervals } from '../../src/modules/availability/intervals';
import { describeWithFixtures, FIXTURES, fixtureFolder, type Requirement } from '../helpers/fixtures';
import { radicaleInstalled, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Radicale as a requirement: skipped loudly where it is missing, failing under CI, as describeWithRadicale does. */
const radicaleRequirement: Requirement = {
  missing: () => (radicaleInstalled() ? null : 'Radicale is not installed (sudo apt-get install -y radicale)'),
};

/** [title, startsAt, endsAt, status, allDay] of one stored occurrence, in UTC. */
type Row = [string | null, string, string, string, boolean];

interface FixtureCase {
  /** The fixture file, or a name for a calendar composed by `text`. */
  file: string;
  /** The calendar's text, when it is not the file as it is. */
  text?: () => string;
  /** What the file is and what it exercises. */
  about: string;
  from: string;
  to: string;
  expected: Row[];
  /** Reasons the run must record as skipped, when the file is malformed on purpose. */
  skipped?: RegExp[];
}

const readFixture = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');
/** `base` with the VEVENTs of `other` added: a calendar where good and broken events sit together. */
const withEventsOf = (base: string, other: string) =>
  readFixture(base).replace(
    /END:VCALENDAR\s*$/,
    `${readFixture(other)
      .match(/BEGIN:VEVENT[\s\S]*?END:VEVENT\r?\n/g)!
      .join('')}END:VCALENDAR\r\n`,
  );
const z = (iso: string) => new Date(iso).toISOString();
const row = (title: string | null, start: string, end: string, status = 'CONFIRMED', allDay = false): Row => [title, z(start), z(end), status, allDay];

/**
 * Real calendars from other programs, uploaded to Radicale and ingested through the gateway.
 * The resource lives in Europe/Berlin, so floating times and all-day dates are Berlin-local.
 * Each expectation is derived by hand from the file; the comment says how.
 */
const CASES: FixtureCase[] = [
  {
    file: 'recurring-ical-events/each_week_but_one_deleted.ics',
    about: 'SabreDAV: weekly series across the March DST change, one EXDATE',
    from: '2019-03-01T00:00:00Z',
    to: '2019-05-01T00:00:00Z',
    // Mondays 00:30-01:00 Berlin, COUNT=8 from 2019-03-04; EXDATE 20190310T233000Z removes 11 March.
    // 00:30 CET is 23:30Z the day before; from 1 April (CEST) it is 22:30Z.
    expected: [
      row('test6', '2019-03-03T23:30Z', '2019-03-04T00:00Z'),
      row('test6', '2019-03-17T23:30Z', '2019-03-18T00:00Z'),
      row('test6', '2019-03-24T23:30Z', '2019-03-25T00:00Z'),
      row('test6', '2019-03-31T22:30Z', '2019-03-31T23:00Z'),
      row('test6', '2019-04-07T22:30Z', '2019-04-07T23:00Z'),
      row('test6', '2019-04-14T22:30Z', '2019-04-14T23:00Z'),
      row('test6', '2019-04-21T22:30Z', '2019-04-21T23:00Z'),
    ],
  },
  {
    file: 'recurring-ical-events/recurring_events_moved.ics',
    about: 'Thunderbird: daily series with an edited occurrence and two moved ones',
    from: '2019-03-01T00:00:00Z',
    to: '2019-04-01T00:00:00Z',
    // "New Event": daily 02:00-03:00 CET (01:00Z) until 20190310T010000Z inclusive: 7th-10th;
    // the 8th moved to 01:00 local (00:00Z, DTEND wins over the conflicting DURATION:PT0S),
    // the 9th to 03:00 local (02:00Z). "test7": daily 04:00 CET (03:00Z) 18th-20th, the 19th retitled.
    expected: [
      row('New Event', '2019-03-07T01:00Z', '2019-03-07T02:00Z'),
      row('New Event', '2019-03-08T00:00Z', '2019-03-08T01:00Z'),
      row('New Event', '2019-03-09T02:00Z', '2019-03-09T03:00Z'),
      row('New Event', '2019-03-10T01:00Z', '2019-03-10T02:00Z'),
      row('test7', '2019-03-18T03:00Z', '2019-03-18T04:00Z'),
      row('test7 - edited', '2019-03-19T03:00Z', '2019-03-19T04:00Z'),
      row('test7', '2019-03-20T03:00Z', '2019-03-20T04:00Z'),
    ],
  },
  {
    file: 'recurring-ical-events/event_10_times.ics',
    about: 'Thunderbird: a COUNT=10 daily series, only the part inside the window',
    from: '2020-01-15T00:00:00Z',
    to: '2020-01-18T00:00:00Z',
    // 07:45-10:00 CET = 06:45Z-09:00Z on 13-22 January; the window holds the 15th to the 17th.
    expected: [
      row('event 10 times', '2020-01-15T06:45Z', '2020-01-15T09:00Z'),
      row('event 10 times', '2020-01-16T06:45Z', '2020-01-16T09:00Z'),
      row('event 10 times', '2020-01-17T06:45Z', '2020-01-17T09:00Z'),
    ],
  },
  {
    file: 'recurring-ical-events/issue_18_cancel_status.ics',
    about: 'Thunderbird: one occurrence of a series cancelled by an override',
    from: '2020-01-27T00:00:00Z',
    to: '2020-02-01T00:00:00Z',
    // 22:00-23:00 CET = 21:00Z-22:00Z on 28-30 January; the 29th has STATUS:CANCELLED.
    expected: [
      row('one is cancelled', '2020-01-28T21:00Z', '2020-01-28T22:00Z'),
      row('one is cancelled', '2020-01-29T21:00Z', '2020-01-29T22:00Z', 'CANCELLED'),
      row('one is cancelled', '2020-01-30T21:00Z', '2020-01-30T22:00Z'),
    ],
  },
  {
    file: 'recurring-ical-events/one_day_event.ics',
    about: 'SabreDAV: an all-day event blocks the whole local day of the resource',
    from: '2019-03-01T00:00:00Z',
    to: '2019-03-10T00:00:00Z',
    // 4 March 2019 in Berlin (CET) runs from 3 March 23:00Z to 4 March 23:00Z.
    expected: [row('test2', '2019-03-03T23:00Z', '2019-03-04T23:00Z', 'CONFIRMED', true)],
  },
  {
    file: 'recurring-ical-events/issue_48_daylight_aware_repeats.ics',
    about: 'Google: weekly Lisbon meeting keeps 11:30 local across the October DST change',
    from: '2020-10-12T00:00:00Z',
    to: '2020-11-03T00:00:00Z',
    // 11:30-13:00 Lisbon: WEST (UTC+1) until 25 October, then WET (UTC+0).
    expected: [
      row('MDS-t', '2020-10-12T10:30Z', '2020-10-12T12:00Z'),
      row('MDS-t', '2020-10-19T10:30Z', '2020-10-19T12:00Z'),
      row('MDS-t', '2020-10-26T11:30Z', '2020-10-26T13:00Z'),
      row('MDS-t', '2020-11-02T11:30Z', '2020-11-02T13:00Z'),
    ],
  },
  {
    file: 'icalendar/timezone_same_start.ics',
    about: 'Exchange 2010: a Windows time zone name defined by the VTIMEZONE in the file',
    from: '2017-02-20T00:00:00Z',
    to: '2017-03-01T00:00:00Z',
    // "Pacific Standard Time" is UTC-8 in February: 12:00-12:30 local = 20:00Z-20:30Z.
    expected: [row('Test 4', '2017-02-24T20:00Z', '2017-02-24T20:30Z')],
  },
  {
    file: 'recurring-ical-events/issue_62_moved_event.ics',
    about: 'Google: a monthly occurrence moved two weeks earlier, zero-length events',
    from: '2021-12-01T00:00:00Z',
    to: '2022-02-01T00:00:00Z',
    // Last Friday of the month at 21:30 CET (20:30Z), DTEND = DTSTART. The 31 December one moved to
    // 17 December; 28 January stays.
    expected: [row('Karaoke', '2021-12-17T20:30Z', '2021-12-17T20:30Z'), row('Karaoke', '2022-01-28T20:30Z', '2022-01-28T20:30Z')],
  },
  {
    file: 'recurring-ical-events/duration.ics',
    about: 'DURATION instead of DTEND, a DATE without VALUE=DATE, floating times, no UIDs',
    from: '2018-01-01T00:00:00Z',
    to: '2018-02-01T00:00:00Z',
    // P3D from the date 10 January: 10-12 January, Berlin midnights. PT3H from a floating 10:00,
    // read in Berlin (09:00Z). The short event has no end: zero length at 12:00 Berlin (11:00Z).
    expected: [
      row('Duration Event 1', '2018-01-09T23:00Z', '2018-01-12T23:00Z', 'CONFIRMED', true),
      row('Duration Event 2', '2018-01-15T09:00Z', '2018-01-15T12:00Z'),
      row('Short event', '2018-01-20T11:00Z', '2018-01-20T11:00Z'),
    ],
  },
  {
    file: 'icaljs/duration_instead_of_dtend.ics',
    about: 'Google: DURATION:P1D on a timed event is one nominal day in its zone',
    from: '2012-06-01T00:00:00Z',
    to: '2012-08-01T00:00:00Z',
    // 06:00 Los Angeles (PDT, UTC-7) = 13:00Z, lasting until 06:00 local the next day.
    expected: [row('Really long event name thing', '2012-06-30T13:00Z', '2012-07-01T13:00Z')],
  },
  {
    file: 'recurring-ical-events/rdate.ics',
    about: 'An RDATE that an RRULE also yields appears once',
    from: '2014-07-04T00:00:00Z',
    to: '2014-07-07T00:00:00Z',
    // Daily at 19:00Z; RDATE 20140705T190000Z coincides with the rule's own occurrence.
    expected: [
      row('rdate and rrule overlap', '2014-07-04T19:00Z', '2014-07-04T21:00Z'),
      row('rdate and rrule overlap', '2014-07-05T19:00Z', '2014-07-05T21:00Z'),
      row('rdate and rrule overlap', '2014-07-06T19:00Z', '2014-07-06T21:00Z'),
    ],
  },
  {
    file: 'recurring-ical-events/issue_27_t1.ics',
    about: 'Exchange 2010: a floating UNTIL against a zoned DTSTART, and an EXDATE in UTC',
    from: '2020-04-20T00:00:00Z',
    to: '2020-05-01T00:00:00Z',
    // Daily 14:00-14:30 Berlin (CEST, 12:00Z) from 26 April until 29 April 00:00 local, so 26-28;
    // EXDATE 20200427T120000Z removes the 27th.
    expected: [row('Reoccur', '2020-04-26T12:00Z', '2020-04-26T12:30Z'), row('Reoccur', '2020-04-28T12:00Z', '2020-04-28T12:30Z')],
  },
  {
    file: 'icalendar/broken_ical.ics',
    about: 'Malformed on purpose (DTSTART;;VALUE=...): Radicale repairs it on upload, so it lands',
    from: '2014-04-01T00:00:00Z',
    to: '2014-05-01T00:00:00Z',
    // Floating 09:30 read in Berlin (CEST) = 07:30Z; no DTEND, so zero length. The same text fed
    // directly to the parser is skipped (test/unit/ical).
    expected: [row('An Event with too many semicolons', '2014-04-09T07:30Z', '2014-04-09T07:30Z')],
  },
  {
    file: 'recurring-ical-events/end_before_start_event.ics',
    about: 'SabreDAV, malformed: DTEND before DTSTART',
    from: '2019-03-01T00:00:00Z',
    to: '2019-03-10T00:00:00Z',
    expected: [],
    skipped: [/DTEND before DTSTART/],
  },
  {
    file: 'mixed-good-and-broken',
    text: () => withEventsOf('recurring-ical-events/event_10_times.ics', 'recurring-ical-events/end_before_start_event.ics'),
    about: 'One broken VEVENT is skipped with its reason while the rest of the calendar lands',
    from: '2019-03-01T00:00:00Z',
    to: '2020-01-16T00:00:00Z',
    expected: [
      row('event 10 times', '2020-01-13T06:45Z', '2020-01-13T09:00Z'),
      row('event 10 times', '2020-01-14T06:45Z', '2020-01-14T09:00Z'),
      row('event 10 times', '2020-01-15T06:45Z', '2020-01-15T09:00Z'),
    ],
    skipped: [/DTEND before DTSTART/],
  },
];

// The files are read in beforeAll: without ../shared (a plain clone) the suite is skipped loudly, or fails under CI.
describeWithFixtures(
  'CalDAV fixtures: real calendars from Google, Exchange, Thunderbird, SabreDAV',
  () => {
    let radicale: RadicaleServer;
    let server: TestServer;
    let connectionId: string;
    let resourceId: string;
    const calendarIdOf = new Map<string, string>();

    beforeAll(async () => {
      radicale = await startRadicale();
      server = await startTestServer();
      for (const { file, text } of CASES) await radicale.putCalendar(path.basename(file, '.ics'), text ? text() : readFixture(file));
      const { createResource } = await server.ok(CreateResourceDocument, { input: { name: 'Fixture room', kind: 'ROOM', timeZone: 'Europe/Berlin' } });
      resourceId = createResource.id;
      const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
        input: { resourceId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
      });
      connectionId = connection.id;
      for (const calendar of connection.providerCalendars) {
        calendarIdOf.set(decodeURIComponent(calendar.providerCalendarId.replace(/\/$/, '').split('/').pop()!), calendar.id);
      }
      await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connectionId, readCalendarIds: [...calendarIdOf.values()] } });
    });
    afterAll(async () => {
      await server?.close();
      await radicale?.stop();
    });

    it('discovers one calendar per uploaded file', () => {
      expect(calendarIdOf.size).toBe(CASES.length);
    });

    it('streams a run live: QUEUED, RUNNING, each calendar as it starts and once committed, with growing counters, SUCCEEDED', async () => {
      const live = new LiveSubscription<SyncStatusChangedSubscription>(server.wsUrl, server.apiKey, SyncStatusChangedDocument, {
        externalCalendarId: connectionId,
      });
      try {
        // graphql-ws does not acknowledge a subscription: a marker run shows when it listens.
        const marker = server.orm.em.fork().create(
          SyncRun,
          {
            tenant: server.tenantId,
            resource: resourceId,
            externalCalendar: connectionId,
            kind: SyncRunKind.FULL,
            windowFrom: new Date(0),
            windowTo: new Date(1),
          },
          { persist: false },
        );
        await live.sync(
          () => server.deps.publish.syncRunChanged(marker),
          (data) => data.syncStatusChanged.syncRunId === marker.id,
        );

        const queued = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: true })).syncExternalCalendar;
        const finished = await server.finished(queued.id);
        await live.waitFor((data) => data.syncStatusChanged.syncRunId === queued.id && data.syncStatusChanged.status === 'SUCCEEDED');
        const stream = live.received.map((data) => data.syncStatusChanged).filter((event) => event.syncRunId === queued.id);
        // Each calendar is heard of twice: as it starts, then once stored.
        expect(stream.map((event) => event.status)).toEqual(['QUEUED', 'RUNNING', ...Array(2 * CASES.length).fill('RUNNING'), 'SUCCEEDED']);
        expect(stream.map((event) => event.pages)).toEqual([0, 0, ...CASES.flatMap((_, i) => [i, i + 1]), CASES.length]);
        // The calendars' own statuses, in the order the run takes them: the i-th RUNNING, then SUCCEEDED, the later ones WAITING.
        const statuses = (done: number, running: number) =>
          [
            ...Array<string>(done).fill('SUCCEEDED'),
            ...Array<string>(running).fill('RUNNING'),
            ...Array<string>(CASES.length - done - running).fill('WAITING'),
          ].join();
        expect(stream.map((event) => event.calendars.map((calendar) => calendar.status).join())).toEqual([
          '',
          '',
          ...CASES.flatMap((_, i) => [statuses(i, 1), statuses(i + 1, 0)]),
          statuses(CASES.length, 0),
        ]);
        const fetched = stream.map((event) => event.fetched);
        expect(fetched).toEqual([...fetched].sort((a, b) => a - b));
        expect(stream.at(-1)).toMatchObject({ kind: 'FULL', fetched: finished.fetched, upserted: finished.upserted, finishedAt: finished.finishedAt });
      } finally {
        await live.close();
      }
    });

    it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_file, fixture) => {
      const calendarId = calendarIdOf.get(path.basename(fixture.file, '.ics'))!;
      const window = { from: fixture.from, to: fixture.to };
      const run = await server.finished((await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...window } })).ingestExternalEvents.id);
      expect(run.status).toBe('SUCCEEDED');

      const { externalEvents } = await server.ok(ListEventsDocument, { filter: { ...window, externalCalendarIds: [connectionId] }, first: 100 });
      const rows = (externalEvents as ListEventsQuery['externalEvents']).edges
        .map((edge) => edge.node)
        .filter((event) => event.calendar?.id === calendarId)
        .map((event): Row => [event.title ?? null, event.startsAt, event.endsAt, event.status, event.allDay]);
      expect(rows).toEqual(fixture.expected);

      // Availability (the resource has no working hours: around the clock) is busy exactly where
      // the listed occurrences block: not CANCELLED, not TRANSPARENT, not zero-length.
      if (Date.parse(fixture.to) - Date.parse(fixture.from) <= 92 * 86_400_000) {
        const all = (externalEvents as ListEventsQuery['externalEvents']).edges.map((edge) => edge.node);
        const blocking = all
          .filter((event) => event.status !== 'CANCELLED' && event.transparency === 'OPAQUE' && event.endsAt > event.startsAt)
          .map((event) => ({
            start: Math.max(Date.parse(event.startsAt), Date.parse(fixture.from)),
            end: Math.min(Date.parse(event.endsAt), Date.parse(fixture.to)),
          }));
        const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, ...window, slotMinutes: 15 } });
        expect(availability.busy.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }))).toEqual(mergeIntervals(blocking));
      }

      const reasons = run.skipReasons.filter((skip) => skip.providerCalendarId === calendarId).map((skip) => skip.reason);
      for (const pattern of fixture.skipped ?? []) expect(reasons.some((reason) => pattern.test(reason))).toBe(true);
      if (!fixture.skipped) expect(reasons).toEqual([]);

      const again = await server.finished(
        (await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, ...window } })).ingestExternalEvents.id,
      );
      expect(again).toMatchObject({ status: 'SUCCEEDED', upserted: 0, deleted: 0 });
    });
  },
  [fixtureFolder, radicaleRequirement],
);
