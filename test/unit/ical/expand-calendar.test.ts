import { calendar, describeWithFixtures, expand, fixture, starts, W_EUROPE_VTIMEZONE } from './fixtures';

// Expected instants are derived by hand from the .ics files; Europe/Berlin is UTC+1 (CET) in
// winter and UTC+2 (CEST) from the last Sunday of March to the last Sunday of October.

describe('expandCalendar: time zones', () => {
  it('applies the DST rules of an Exchange VTIMEZONE in summer and winter', () => {
    const ics = calendar(
      ...W_EUROPE_VTIMEZONE,
      'BEGIN:VEVENT',
      'UID:summer',
      'DTSTART;TZID=W. Europe Standard Time:20240715T100000',
      'DTEND;TZID=W. Europe Standard Time:20240715T110000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:winter',
      'DTSTART;TZID=W. Europe Standard Time:20240115T100000',
      'DURATION:PT1H',
      'END:VEVENT',
    );
    const { events } = expand(ics, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    // +0100 in January, +0200 in July (DAYLIGHT from the last Sunday of March).
    expect(events.map((event) => [event.externalId, event.startsAt.toISOString()])).toEqual([
      ['winter', '2024-01-15T09:00:00.000Z'],
      ['summer', '2024-07-15T08:00:00.000Z'],
    ]);
  });

  it('reads floating times and unknown TZIDs in the resource time zone', () => {
    const ics = calendar(
      'BEGIN:VEVENT',
      'UID:floating',
      'DTSTART:20240115T090000',
      'DTEND:20240115T100000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:unknown-zone',
      'DTSTART;TZID=Mars/Olympus_Mons:20240115T090000',
      'DTEND;TZID=Mars/Olympus_Mons:20240115T100000',
      'END:VEVENT',
    );
    const berlin = expand(ics, '2024-01-15T00:00:00Z', '2024-01-16T00:00:00Z', 'Europe/Berlin').events;
    expect(starts(berlin)).toEqual(['2024-01-15T08:00:00.000Z', '2024-01-15T08:00:00.000Z']);
    const newYork = expand(ics, '2024-01-15T00:00:00Z', '2024-01-16T00:00:00Z', 'America/New_York').events;
    expect(starts(newYork)).toEqual(['2024-01-15T14:00:00.000Z', '2024-01-15T14:00:00.000Z']);
    expect(berlin.map((event) => [event.externalId, event.timeZone])).toEqual([
      ['floating', null],
      ['unknown-zone', 'Mars/Olympus_Mons'],
    ]);
    // The unknown TZID is reported; a floating time is no mistake.
    expect(expand(ics, '2024-01-15T00:00:00Z', '2024-01-16T00:00:00Z', 'America/New_York').skipped).toEqual([
      { uid: 'unknown-zone', reason: 'Unknown TZID "Mars/Olympus_Mons" (no VTIMEZONE, no known zone): its times were read in America/New_York' },
    ]);
  });

  it('moves local times in a DST gap forward and takes the first of two ambiguous instants', () => {
    const ics = calendar(
      'BEGIN:VEVENT',
      'UID:gap',
      'DTSTART;TZID=Europe/Berlin:20210327T023000',
      'DTEND;TZID=Europe/Berlin:20210327T033000',
      'RRULE:FREQ=DAILY;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:ambiguous',
      'DTSTART;TZID=Europe/Berlin:20211031T023000',
      'END:VEVENT',
    );
    const { events } = expand(ics, '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z');
    // 03-27 02:30 CET = 01:30Z; 03-28 02:30 does not exist and becomes 03:30 CEST = 01:30Z;
    // 03-29 02:30 CEST = 00:30Z. Each lasts the exact hour between DTSTART and DTEND.
    expect(events.filter((event) => event.seriesId === 'gap').map((event) => [event.recurrenceId, event.endsAt.toISOString()])).toEqual([
      ['20210327T013000Z', '2021-03-27T02:30:00.000Z'],
      ['20210328T013000Z', '2021-03-28T02:30:00.000Z'],
      ['20210329T003000Z', '2021-03-29T01:30:00.000Z'],
    ]);
    // 2021-10-31 02:30 occurs at 00:30Z (CEST) and 01:30Z (CET); RFC 5545 takes the first.
    expect(events.find((event) => event.externalId === 'ambiguous')?.startsAt).toEqual(new Date('2021-10-31T00:30:00Z'));
  });
});

describeWithFixtures('expandCalendar: time zones: real calendars', () => {
  it('follows DST in a weekly TZID series and honours its EXDATE (daylight_saving_time.ics)', () => {
    // "Montessori Schulklasse": DTSTART;TZID=Europe/Berlin:20190228T083000, 6 hours, weekly on
    // Thursday, EXDATE 2019-03-07. 08:30 CET = 07:30Z until 2019-03-31, 08:30 CEST = 06:30Z after.
    const { events } = expand(fixture('recurring-ical-events/daylight_saving_time.ics'), '2019-03-01T00:00:00Z', '2019-04-15T00:00:00Z');
    const series = events.filter((event) => event.seriesId === '7g6502aejkun96i5fenfu6hvc1@google.com');
    expect(starts(series)).toEqual([
      '2019-03-14T07:30:00.000Z',
      '2019-03-21T07:30:00.000Z',
      '2019-03-28T07:30:00.000Z',
      '2019-04-04T06:30:00.000Z',
      '2019-04-11T06:30:00.000Z',
    ]);
    expect(series.every((event) => event.endsAt.getTime() - event.startsAt.getTime() === 6 * 3_600_000)).toBe(true);
    expect(series[3]).toMatchObject({
      externalId: '7g6502aejkun96i5fenfu6hvc1@google.com#20190404T063000Z',
      recurrenceId: '20190404T063000Z',
      timeZone: 'Europe/Berlin',
      allDay: false,
      startDate: null,
    });
    // "freie Termine": WEEKLY;WKST=SU;COUNT=6;BYDAY=MO,TU,WE from Monday 2019-03-04 14:00 CET.
    const counted = events.filter((event) => event.seriesId === '37jkbgv9regint2hqhlmd9risn@google.com');
    expect(starts(counted)).toEqual(['04', '05', '06', '11', '12', '13'].map((day) => `2019-03-${day}T13:00:00.000Z`));
  });

  it('reads a VTIMEZONE of a non-IANA TZID (Exchange "Pacific Standard Time", timezone_same_start.ics)', () => {
    // DTSTART;TZID="Pacific Standard Time":20170224T120000, the VTIMEZONE says -0800 until the
    // second Sunday of March: 20:00Z, half an hour long.
    const { events, skipped } = expand(fixture('icalendar/timezone_same_start.ics'), '2017-02-24T00:00:00Z', '2017-02-25T00:00:00Z');
    expect(skipped).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      startsAt: new Date('2017-02-24T20:00:00Z'),
      endsAt: new Date('2017-02-24T20:30:00Z'),
      timeZone: 'Pacific Standard Time',
    });
  });

  it('matches an all-day series override whose RECURRENCE-ID is a DATE-TIME in an Exchange zone (issue_28)', () => {
    // Two biweekly Thursday all-day series; three overrides "RECURRENCE-ID;TZID=GMT Standard
    // Time:2020MMDDT000000" move an instance to the Friday after. Between 2020-05-25 and
    // 2020-09-05 (London days) python-recurring-ical-events counts 15: black bin 05-29 (moved),
    // 06-11, 06-25, 07-09, 07-23, 08-06, 08-20, 09-04 (moved); blue bin 06-04 ... 08-27 (7).
    const { events } = expand(
      fixture('recurring-ical-events/issue_28_rrule_with_UTC_endinginZ.ics'),
      '2020-05-24T23:00:00Z',
      '2020-09-04T23:00:00Z',
      'Europe/London',
    );
    expect(events).toHaveLength(15);
    const moved = events.filter((event) => event.startDate === '2020-05-29');
    expect(moved).toHaveLength(1);
    // The UID is folded over two lines in the file.
    expect(moved[0].externalId).toBe(
      '040000008200E00074C5B7101A82E00800000000017E1BADC42ED601000000000000000010000000FBF1FBAE2E9FBC4D81F16854E2F4D51B#20200528',
    );
    expect(events.some((event) => event.startDate === '2020-05-28')).toBe(false);
  });
});

describe('expandCalendar: all-day events and durations', () => {
  it('makes a nominal day 23 hours long across the spring DST change, but not PT24H', () => {
    const ics = calendar(
      'BEGIN:VEVENT',
      'UID:nominal',
      'DTSTART;TZID=Europe/Berlin:20240330T120000',
      'DURATION:P1D',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:exact',
      'DTSTART;TZID=Europe/Berlin:20240330T120000',
      'DURATION:PT24H',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:all-day',
      'DTSTART;VALUE=DATE:20240330',
      'DURATION:P2D',
      'END:VEVENT',
    );
    const byId = new Map(expand(ics, '2024-03-29T00:00:00Z', '2024-04-02T00:00:00Z').events.map((event) => [event.externalId, event]));
    // 2024-03-30 12:00 CET = 11:00Z; one day later is 2024-03-31 12:00 CEST = 10:00Z.
    expect(byId.get('nominal')?.endsAt).toEqual(new Date('2024-03-31T10:00:00Z'));
    expect(byId.get('exact')?.endsAt).toEqual(new Date('2024-03-31T11:00:00Z'));
    // Start of 03-30 CET = 03-29 23:00Z; start of 04-01 CEST = 03-31 22:00Z: 47 hours, two days.
    expect(byId.get('all-day')).toMatchObject({
      startsAt: new Date('2024-03-29T23:00:00Z'),
      endsAt: new Date('2024-03-31T22:00:00Z'),
      startDate: '2024-03-30',
      endDate: '2024-04-01',
    });
  });
});

describeWithFixtures('expandCalendar: all-day events and durations: real calendars', () => {
  it('places an all-day event on the local day of the resource (one_day_event.ics)', () => {
    // DTSTART;VALUE=DATE:20190304, DTEND;VALUE=DATE:20190305.
    const berlin = expand(fixture('recurring-ical-events/one_day_event.ics'), '2019-03-01T00:00:00Z', '2019-03-08T00:00:00Z').events;
    expect(berlin).toEqual([
      {
        externalId: 'UYDQSG9TH4DE0WM3QFL2J',
        seriesId: null,
        recurrenceId: null,
        title: 'test2',
        startsAt: new Date('2019-03-03T23:00:00Z'),
        endsAt: new Date('2019-03-04T23:00:00Z'),
        allDay: true,
        startDate: '2019-03-04',
        endDate: '2019-03-05',
        status: 'CONFIRMED',
        transparency: 'OPAQUE',
        timeZone: null,
        appointmentId: null,
      },
    ]);
    const newYork = expand(fixture('recurring-ical-events/one_day_event.ics'), '2019-03-01T00:00:00Z', '2019-03-08T00:00:00Z', 'America/New_York').events;
    expect([newYork[0].startsAt, newYork[0].endsAt]).toEqual([new Date('2019-03-04T05:00:00Z'), new Date('2019-03-05T05:00:00Z')]);
  });

  it('expands all-day RRULE and RDATE instances and keeps overrides without master (google_birthday.ics)', () => {
    // Master "2014_BIRTHDAY_…": DTSTART 2014-12-10, COUNT=1, RDATE 2013-12-10 and 2012-12-10 (ical.js
    // reads the odd `20131210Z` as a date). The three RECURRENCE-ID components carry another UID,
    // "BIRTHDAY_…", which has no master: they are emitted as they are.
    const { events, skipped } = expand(fixture('icaljs/google_birthday.ics'), '2012-01-01T00:00:00Z', '2016-01-01T00:00:00Z');
    expect(skipped).toEqual([]);
    expect(events.map((event) => event.externalId).sort()).toEqual([
      '2014_BIRTHDAY_79d389868f96182e@google.com#20121210',
      '2014_BIRTHDAY_79d389868f96182e@google.com#20131210',
      '2014_BIRTHDAY_79d389868f96182e@google.com#20141210',
      'BIRTHDAY_79d389868f96182e@google.com#20121210',
      'BIRTHDAY_79d389868f96182e@google.com#20131210',
      'BIRTHDAY_79d389868f96182e@google.com#20141210',
    ]);
    const orphan = events.find((event) => event.externalId === 'BIRTHDAY_79d389868f96182e@google.com#20131210');
    expect(orphan).toMatchObject({ seriesId: 'BIRTHDAY_79d389868f96182e@google.com', allDay: true, startDate: '2013-12-10', endDate: '2013-12-11' });
  });

  it('reads DURATION and the defaults without DTEND (duration.ics)', () => {
    // 1: DTSTART:20180110 (an 8-digit date) + P3D; 2: floating 2018-01-15 10:00 + PT3H;
    // 3: floating 2018-01-20 12:00 without DTEND/DURATION, which lasts no time (section 3.6.1).
    const { events } = expand(fixture('recurring-ical-events/duration.ics'), '2018-01-01T00:00:00Z', '2018-02-01T00:00:00Z');
    expect(events.map((event) => [event.title, event.startsAt.toISOString(), event.endsAt.toISOString(), event.startDate, event.endDate])).toEqual([
      ['Duration Event 1', '2018-01-09T23:00:00.000Z', '2018-01-12T23:00:00.000Z', '2018-01-10', '2018-01-13'],
      ['Duration Event 2', '2018-01-15T09:00:00.000Z', '2018-01-15T12:00:00.000Z', null, null],
      ['Short event', '2018-01-20T11:00:00.000Z', '2018-01-20T11:00:00.000Z', null, null],
    ]);
    expect(events[0].externalId).toMatch(/^generated-[0-9a-f]{32}$/);
  });

  it('adds a DURATION of days in local time (icaljs/duration_instead_of_dtend.ics)', () => {
    // DTSTART;TZID=America/Los_Angeles:20120630T060000 (PDT, -7) = 13:00Z, DURATION:P1D.
    const { events } = expand(fixture('icaljs/duration_instead_of_dtend.ics'), '2012-06-01T00:00:00Z', '2012-08-01T00:00:00Z');
    expect([events[0].startsAt, events[0].endsAt]).toEqual([new Date('2012-06-30T13:00:00Z'), new Date('2012-07-01T13:00:00Z')]);
    expect(events[0].timeZone).toBe('America/Los_Angeles');
  });
});

describe('expandCalendar: recurrence sets', () => {
  it('keeps an occurrence that started before the window and runs into it', () => {
    // Daily 22:00-02:00 UTC: the 2024-05-09 instance overlaps a window opening 2024-05-10 00:00Z.
    const ics = calendar('BEGIN:VEVENT', 'UID:night', 'DTSTART:20240501T220000Z', 'DTEND:20240502T020000Z', 'RRULE:FREQ=DAILY', 'END:VEVENT');
    expect(starts(expand(ics, '2024-05-10T00:00:00Z', '2024-05-10T22:00:00Z').events)).toEqual(['2024-05-09T22:00:00.000Z']);
  });

  it('expands a DAILY series from 1990 in a 2026 window quickly', () => {
    const ics = calendar(
      'BEGIN:VEVENT',
      'UID:since-1990',
      'DTSTART;TZID=Europe/Berlin:19900101T090000',
      'DTEND;TZID=Europe/Berlin:19900101T100000',
      'RRULE:FREQ=DAILY',
      'END:VEVENT',
    );
    const began = Date.now();
    const { events } = expand(ics, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(Date.now() - began).toBeLessThan(1000);
    // 09:00 CET = 08:00Z on each of the 31 days of January 2026.
    expect(events).toHaveLength(31);
    expect(events[0]).toMatchObject({ externalId: 'since-1990#20260101T080000Z', startsAt: new Date('2026-01-01T08:00:00Z') });
    expect(events[30].startsAt).toEqual(new Date('2026-01-31T08:00:00Z'));
    // DST starts on Sunday 2026-03-29: 09:00 becomes 07:00Z from that day on.
    expect(starts(expand(ics, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z').events)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('skips ahead in a biweekly series from 1990 without changing its occurrences', () => {
    // Monday 1990-01-01 to Monday 2025-12-29 is 13146 days = 1878 weeks, an even number: that
    // week is "on" (its Friday is 2026-01-02), then the weeks of 01-12, 01-26, 02-09 and 02-23.
    // The COUNT variant iterates every instance since 1990, the other one skips ahead.
    const rule = (uid: string, extra: string): string[] => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTART;TZID=Europe/Berlin:19900101T090000',
      `RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR${extra}`,
      'END:VEVENT',
    ];
    const { events } = expand(calendar(...rule('fast', ''), ...rule('full', ';COUNT=100000')), '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    const days = ['01-02', '01-12', '01-14', '01-16', '01-26', '01-28', '01-30', '02-09', '02-11', '02-13', '02-23', '02-25', '02-27'];
    const expected = days.map((day) => `2026-${day}T08:00:00.000Z`);
    expect(starts(events.filter((event) => event.seriesId === 'fast'))).toEqual(expected);
    expect(starts(events.filter((event) => event.seriesId === 'full'))).toEqual(expected);
  });
});

describeWithFixtures('expandCalendar: recurrence sets: real calendars', () => {
  it('drops an EXDATE instance (each_week_but_one_deleted.ics)', () => {
    // WEEKLY;COUNT=8 from Monday 2019-03-04 00:30 Berlin (= 03-03 23:30Z); EXDATE:20190310T233000Z
    // removes the second one, leaving 7 (as upstream); from 04-01 the CEST instant is 22:30Z.
    const { events } = expand(fixture('recurring-ical-events/each_week_but_one_deleted.ics'), '2019-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
    expect(starts(events)).toEqual([
      '2019-03-03T23:30:00.000Z',
      '2019-03-17T23:30:00.000Z',
      '2019-03-24T23:30:00.000Z',
      '2019-03-31T22:30:00.000Z',
      '2019-04-07T22:30:00.000Z',
      '2019-04-14T22:30:00.000Z',
      '2019-04-21T22:30:00.000Z',
    ]);
  });

  it('replaces moved occurrences by their overrides (recurring_events_moved.ics)', () => {
    // "New Event": DAILY from 2019-03-07 02:00 CET (01:00Z) UNTIL=20190310T010000Z (inclusive);
    // the 03-08 instance moves to 01:00-02:00 local, the 03-09 one to 03:00-04:00 local.
    const { events } = expand(fixture('recurring-ical-events/recurring_events_moved.ics'), '2019-03-01T00:00:00Z', '2019-04-01T00:00:00Z');
    const moved = events.filter((event) => event.seriesId === 'a0c78729-30b1-4ba3-a86e-6aedd995d788');
    expect(moved.map((event) => [event.recurrenceId, event.startsAt.toISOString(), event.endsAt.toISOString()])).toEqual([
      ['20190307T010000Z', '2019-03-07T01:00:00.000Z', '2019-03-07T02:00:00.000Z'],
      ['20190308T010000Z', '2019-03-08T00:00:00.000Z', '2019-03-08T01:00:00.000Z'],
      ['20190309T010000Z', '2019-03-09T02:00:00.000Z', '2019-03-09T03:00:00.000Z'],
      ['20190310T010000Z', '2019-03-10T01:00:00.000Z', '2019-03-10T02:00:00.000Z'],
    ]);
    // "test7": DAILY from 2019-03-18 04:00 CET, the 03-19 instance keeps its time but not its title.
    const edited = events.filter((event) => event.seriesId === '5d4c6843-9300-4f91-8d88-6094d4b0b840');
    expect(edited.map((event) => event.title)).toEqual(['test7', 'test7 - edited', 'test7']);
  });

  it('shows an override moved into the window and hides the one moved out (issue_62_moved_event.ics)', () => {
    // MONTHLY;BYDAY=-1FR at 21:30 Berlin; the last Friday of December 2021 (the 31st) moves to
    // 2021-12-17 21:30 CET = 20:30Z. The override has no DTEND: it lasts no time.
    const ics = fixture('recurring-ical-events/issue_62_moved_event.ics');
    const december = expand(ics, '2021-11-30T23:00:00Z', '2021-12-31T23:00:00Z').events;
    expect(december.map((event) => [event.externalId, event.startsAt.toISOString()])).toEqual([
      ['38m812jicsrer5gorh3mlp7qhc@google.com#20211231T203000Z', '2021-12-17T20:30:00.000Z'],
    ]);
    expect(december[0]).toMatchObject({ transparency: 'TRANSPARENT', endsAt: new Date('2021-12-17T20:30:00Z') });
    // The original day, 2021-12-31: nothing. The new day alone (RECURRENCE-ID outside): the override.
    expect(expand(ics, '2021-12-30T23:00:00Z', '2021-12-31T23:00:00Z').events).toEqual([]);
    expect(expand(ics, '2021-12-16T23:00:00Z', '2021-12-17T23:00:00Z').events).toHaveLength(1);
  });

  it('unites RRULE and RDATE and lets EXDATE win (rdate.ics)', () => {
    // Event 1: DAILY at 19:00Z since 2013-08-03 and RDATE 2014-07-05 19:00Z, the same instant.
    // Event 2: RDATE 2015-07-05 19:00Z excluded by EXDATE. Event 3: RDATE 2025-07-05 excluded.
    const ics = fixture('recurring-ical-events/rdate.ics');
    expect(starts(expand(ics, '2014-07-05T00:00:00Z', '2014-07-06T00:00:00Z').events)).toEqual(['2014-07-05T19:00:00.000Z']);
    expect(expand(ics, '2015-07-05T00:00:00Z', '2015-07-06T00:00:00Z').events).toEqual([]);
    expect(expand(ics, '2025-07-05T00:00:00Z', '2025-07-06T00:00:00Z').events).toEqual([]);
    // Event 3 still takes place on its DTSTART, 2024-08-03 19:00-21:00Z.
    const [dtstart] = expand(ics, '2024-08-03T00:00:00Z', '2024-08-04T00:00:00Z').events;
    expect(dtstart).toMatchObject({ title: 'rdate but exdate removes the date again', endsAt: new Date('2024-08-03T21:00:00Z') });
    expect(dtstart.externalId).toBe(`${dtstart.seriesId}#20240803T190000Z`);
  });

  it('gives an RDATE PERIOD its own length and counts COUNT correctly (issue_113_period_in_rdate.ics)', () => {
    // MONTHLY;COUNT=9;BYDAY=+3WE;BYMONTH=1,2,3,4,5,9,10,11,12 at 12:00 Vancouver from 2023-09-20:
    // 09-20, 10-18, 11-15, 12-20 (EXDATE), 01-17, 02-21, 03-20, 04-17, 05-15. RDATE PERIOD
    // 2023-12-13 12:00-15:00 PST = 20:00-23:00Z. (ical.js alone stops after 8 with this BYMONTH.)
    const { events } = expand(fixture('recurring-ical-events/issue_113_period_in_rdate.ics'), '2023-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    expect(events.map((event) => event.recurrenceId)).toEqual([
      '20230920T190000Z',
      '20231018T190000Z',
      '20231115T200000Z',
      '20231213T200000Z',
      '20240117T200000Z',
      '20240221T200000Z',
      '20240320T190000Z',
      '20240417T190000Z',
      '20240515T190000Z',
    ]);
    expect(events[3].endsAt).toEqual(new Date('2023-12-13T23:00:00Z'));
    expect(events[4].endsAt).toEqual(new Date('2024-01-17T22:00:00Z'));
  });

  it('keeps a cancelled override as CANCELLED (issue_18_cancel_status.ics)', () => {
    // DAILY;COUNT=3 from 2020-01-28 22:00 CET = 21:00Z; the 01-29 instance has STATUS:CANCELLED.
    const { events } = expand(fixture('recurring-ical-events/issue_18_cancel_status.ics'), '2020-01-01T00:00:00Z', '2020-03-01T00:00:00Z');
    expect(events.map((event) => [event.startsAt.toISOString(), event.status, event.transparency])).toEqual([
      ['2020-01-28T21:00:00.000Z', 'CONFIRMED', 'OPAQUE'],
      ['2020-01-29T21:00:00.000Z', 'CANCELLED', 'OPAQUE'],
      ['2020-01-30T21:00:00.000Z', 'CONFIRMED', 'OPAQUE'],
    ]);
  });

  it('matches RECURRENCE-IDs written in UTC or as DATE-TIME for all-day series (issue_36_recurrence_ID_format.ics)', () => {
    // Series 1, weekly 14:00 Berlin: RECURRENCE-ID:20200917T120000Z is the 09-17 instance (CEST).
    // Series 2, weekly all-day from 09-07: RECURRENCE-ID:20200914 and :20200921T000000Z.
    const { events } = expand(fixture('recurring-ical-events/issue_36_recurrence_ID_format.ics'), '2020-09-06T22:00:00Z', '2020-09-27T22:00:00Z');
    expect(events.map((event) => [event.externalId, event.title])).toEqual([
      ['series 2#20200907', 'Base event'],
      ['series 1#20200910T120000Z', 'Base event'],
      ['series 2#20200914', 'Modified event 1'],
      ['series 1#20200917T120000Z', 'Modified event'],
      ['series 2#20200921', 'Modified event 2'],
      ['series 1#20200924T120000Z', 'Base event'],
    ]);
  });

  it('treats RANGE=THISANDFUTURE as an override of one instance (issue_75_range_parameter.ics)', () => {
    // DAILY;INTERVAL=2 at 12:00Z from 09-01 plus RDATE 09-14 09:00Z. Overrides: 09-13 (RANGE=
    // THISANDFUTURE, 09:00-16:00), 09-15 (17:00-19:00), 09-21 (THISANDFUTURE, to 09-22 14:22).
    // Upstream also moves the later instances; this module only replaces the named one.
    const { events } = expand(fixture('recurring-ical-events/issue_75_range_parameter.ics'), '2024-09-10T00:00:00Z', '2024-09-27T00:00:00Z', 'UTC');
    expect(events.map((event) => [event.startsAt.toISOString(), event.title])).toEqual([
      ['2024-09-11T12:00:00.000Z', 'ORIGINAL EVENT'],
      ['2024-09-13T09:00:00.000Z', 'MODIFIED EVENT'],
      ['2024-09-14T09:00:00.000Z', 'ORIGINAL EVENT'],
      ['2024-09-15T17:00:00.000Z', 'MODIFIED EVENT'],
      ['2024-09-17T12:00:00.000Z', 'ORIGINAL EVENT'],
      ['2024-09-19T12:00:00.000Z', 'ORIGINAL EVENT'],
      ['2024-09-22T14:22:00.000Z', 'EDITED EVENT'],
      ['2024-09-23T12:00:00.000Z', 'ORIGINAL EVENT'],
      ['2024-09-25T12:00:00.000Z', 'ORIGINAL EVENT'],
    ]);
    expect(events[6].externalId).toBe('210#20240921T120000Z');
  });

  it('emits overrides whose master is missing (issue_173_only_modifications_error.ics)', () => {
    // UID _6krj…@google.com has only two RECURRENCE-ID components (Europe/Paris, CET):
    // 2024-01-08 15:00 moved to 17:00-17:40, 2024-01-15 15:00 moved to 15:30-16:15.
    const uid = '_6krj2dhl74q34b9j60sj4b9k8h238b9p6gok2ba68gojgchl6cpj0h1o88_R20231009T130000@google.com';
    const { events } = expand(fixture('recurring-ical-events/issue_173_only_modifications_error.ics'), '2024-01-08T00:00:00Z', '2024-01-16T00:00:00Z');
    expect(
      events.filter((event) => event.seriesId === uid).map((event) => [event.externalId, event.startsAt.toISOString(), event.endsAt.toISOString()]),
    ).toEqual([
      [`${uid}#20240108T140000Z`, '2024-01-08T16:00:00.000Z', '2024-01-08T16:40:00.000Z'],
      [`${uid}#20240115T140000Z`, '2024-01-15T14:30:00.000Z', '2024-01-15T15:15:00.000Z'],
    ]);
  });

  it('keeps DTSTART, the first instance, of a series whose UNTIL precedes it (issue_117_until_before_dtstart.ics)', () => {
    // Confluence sets UNTIL=20231001 before DTSTART 2023-10-02 (all-day, a week long). Section
    // 3.8.5.3 makes DTSTART the first instance of the recurrence set whatever the rule says.
    const { events, skipped } = expand(fixture('recurring-ical-events/issue_117_until_before_dtstart.ics'), '2023-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.recurrenceId, event.startDate, event.endDate])).toEqual([['20231002', '2023-10-02', '2023-10-09']]);
  });

  it('applies the window bounds to zero-length events: from <= t < to (zero_size_event.ics)', () => {
    // DTSTART;TZID=Europe/Berlin:20190304T080000 without DTEND: an instant at 07:00Z.
    const ics = fixture('recurring-ical-events/zero_size_event.ics');
    expect(expand(ics, '2019-03-04T07:00:00Z', '2019-03-04T08:00:00Z').events).toHaveLength(1);
    expect(expand(ics, '2019-03-04T06:00:00Z', '2019-03-04T07:00:00Z').events).toHaveLength(0);
  });
});
