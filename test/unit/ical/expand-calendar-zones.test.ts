/**
 * How TZIDs are placed on the UTC line (RFC 5545 sections 3.2.19, 3.3.5, 3.6.5): the calendar's
 * VTIMEZONE first, then the zone the TZID names (IANA, Windows, Outlook display name, globally
 * unique), and a reported fallback to the resource's zone for a TZID nobody knows.
 */
import { W_EUROPE_VTIMEZONE } from './fixtures';
import { describeCases } from './oracle-cases';

const event = (uid: string, tzid: string, start: string, end: string, ...extra: string[]): string[] => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  `DTSTART;TZID=${tzid}:${start}`,
  `DTEND;TZID=${tzid}:${end}`,
  ...extra,
  'END:VEVENT',
];

/** A VTIMEZONE of one fixed offset from 1970 on. */
const fixedZone = (tzid: string, offset: string): string[] => [
  'BEGIN:VTIMEZONE',
  `TZID:${tzid}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  `TZOFFSETFROM:${offset}`,
  `TZOFFSETTO:${offset}`,
  'END:STANDARD',
  'END:VTIMEZONE',
];

describeCases('expandCalendar: Windows and Outlook TZIDs without VTIMEZONE', [
  {
    name: 'W. Europe Standard Time is Europe/Berlin: +0100 in January, +0200 in July',
    lines: [
      ...event('winter', 'W. Europe Standard Time', '20240115T100000', '20240115T110000'),
      ...event('summer', 'W. Europe Standard Time', '20240715T100000', '20240715T110000'),
    ],
    from: '2024-01-01T00:00:00Z',
    to: '2025-01-01T00:00:00Z',
    timeZone: 'America/New_York',
    expected: [
      ['2024-01-15T09:00:00Z', '2024-01-15T10:00:00Z'],
      ['2024-07-15T08:00:00Z', '2024-07-15T09:00:00Z'],
    ],
    oracle: 'agrees',
  },
  {
    name: 'Pacific Standard Time is America/Los_Angeles (-0800 in January)',
    lines: event('pst', 'Pacific Standard Time', '20240115T090000', '20240115T093000'),
    from: '2024-01-15T00:00:00Z',
    to: '2024-01-16T00:00:00Z',
    expected: [['2024-01-15T17:00:00Z', '2024-01-15T17:30:00Z']],
    oracle: 'agrees',
  },
  {
    name: "Outlook's Eastern Standard Time is America/New_York, weekly across the March change",
    lines: event('est', 'Eastern Standard Time', '20240301T090000', '20240301T100000', 'RRULE:FREQ=WEEKLY;COUNT=3'),
    from: '2024-03-01T00:00:00Z',
    to: '2024-04-01T00:00:00Z',
    expected: [
      ['2024-03-01T14:00:00Z', '2024-03-01T15:00:00Z'],
      ['2024-03-08T14:00:00Z', '2024-03-08T15:00:00Z'],
      // EDT from Sunday 2024-03-10.
      ['2024-03-15T13:00:00Z', '2024-03-15T14:00:00Z'],
    ],
    oracle: 'agrees',
  },
  {
    name: 'the display name (UTC+01:00) Amsterdam, Berlin, ... is Europe/Amsterdam, whatever the resource zone',
    lines: event('display', '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"', '20240715T100000', '20240715T110000'),
    from: '2024-07-15T00:00:00Z',
    to: '2024-07-16T00:00:00Z',
    timeZone: 'America/New_York',
    expected: [['2024-07-15T08:00:00Z', '2024-07-15T09:00:00Z']],
    // icalendar 4.0.3 knows Windows ids only: the display name becomes floating, 10:00 in New York.
    oracle: 'reads the time as floating; the name states its zone, and section 3.2.19 makes a TZID name one',
  },
]);

describeCases('expandCalendar: VTIMEZONE first, the named zone where it is silent', [
  {
    name: "a VTIMEZONE named like an IANA zone wins over the tz database's zone (section 3.2.19)",
    lines: [
      // Europe/Berlin's rules, two hours east.
      ...W_EUROPE_VTIMEZONE.map((line) => line.replace('W. Europe Standard Time', 'Europe/Berlin').replace('+0100', '+0300').replace('+0200', '+0400')),
      ...event('own', 'Europe/Berlin', '20240115T120000', '20240115T130000'),
    ],
    from: '2024-01-15T00:00:00Z',
    to: '2024-01-16T00:00:00Z',
    expected: [['2024-01-15T09:00:00Z', '2024-01-15T10:00:00Z']],
    oracle: "prefers pytz's Europe/Berlin (+0100) to the file's VTIMEZONE; section 3.2.19 says the TZID names the calendar's VTIMEZONE",
  },
  {
    name: 'before the first and after the last onset of a VTIMEZONE of finite observances, its IANA name decides (iCalcreator)',
    lines: [
      // recurring-ical-events/fablab_cottbus.ics: observances of 2018-2020 only.
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:20181028T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RDATE:20191027T030000',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:20190331T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'RDATE:20200329T020000',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...event('before', 'Europe/Berlin', '20161203T140000', '20161203T190000'),
      ...event('inside', 'Europe/Berlin', '20181201T140000', '20181201T150000'),
      ...event('after', 'Europe/Berlin', '20211201T140000', '20211201T150000'),
    ],
    from: '2016-01-01T00:00:00Z',
    to: '2022-01-01T00:00:00Z',
    // CET (+0100) each time; ical.js alone would stretch +0200 over 2016 and 2021.
    expected: [
      ['2016-12-03T13:00:00Z', '2016-12-03T18:00:00Z'],
      ['2018-12-01T13:00:00Z', '2018-12-01T14:00:00Z'],
      ['2021-12-01T13:00:00Z', '2021-12-01T14:00:00Z'],
    ],
    oracle: 'agrees',
  },
]);

describeCases('expandCalendar: UTC offsets of a VTIMEZONE, exactly (section 3.3.14)', [
  ...(
    [
      ['-0741', '2023-03-06T21:23:00Z'],
      ['+0530', '2023-03-06T08:12:00Z'],
      ['+0545', '2023-03-06T07:57:00Z'],
      ['+013045', '2023-03-06T12:11:15Z'],
      ['-000115', '2023-03-06T13:43:15Z'],
    ] as const
  ).map(([offset, start]) => ({
    name: `TZOFFSETFROM and TZOFFSETTO ${offset}`,
    lines: [...fixedZone('Nowhere/Middle', offset), ...event('offset', 'Nowhere/Middle', '20230306T134200', '20230306T144200')],
    from: '2023-03-06T00:00:00Z',
    to: '2023-03-07T00:00:00Z',
    expected: [[start, new Date(Date.parse(start) + 3_600_000).toISOString()]] as [string, string][],
    // pytz (under icalendar 4.0.3) rounds a VTIMEZONE's offsets to the minute.
    oracle: offset.length === 7 ? 'rounds the offset to whole minutes; section 3.3.14 gives it to the second' : 'agrees',
  })),
  {
    name: 'an offset of 57 hours makes the VTIMEZONE unusable: the TZID is unknown and reported',
    lines: [...fixedZone('Broken', '+5744'), ...event('broken', 'Broken', '20230306T120000', '20230306T130000')],
    from: '2023-03-06T00:00:00Z',
    to: '2023-03-07T00:00:00Z',
    expected: [['2023-03-06T11:00:00Z', '2023-03-06T12:00:00Z']],
    skipped: [{ uid: 'broken', reason: 'Unknown TZID "Broken" (no VTIMEZONE, no known zone): its times were read in Europe/Berlin' }],
    oracle: 'refuses the whole file ("Offset must be less than 24 hours")',
  },
]);

describeCases('expandCalendar: a TZID nobody knows', [
  {
    name: 'is read in the resource zone and reported once per series, override included',
    lines: [
      ...event('mars', 'Mars/Olympus_Mons', '20240115T090000', '20240115T100000', 'RRULE:FREQ=DAILY;COUNT=2'),
      'BEGIN:VEVENT',
      'UID:mars',
      'RECURRENCE-ID;TZID=Mars/Olympus_Mons:20240116T090000',
      'DTSTART;TZID=Mars/Olympus_Mons:20240116T110000',
      'DTEND;TZID=Mars/Olympus_Mons:20240116T120000',
      'END:VEVENT',
    ],
    from: '2024-01-15T00:00:00Z',
    to: '2024-01-17T00:00:00Z',
    timeZone: 'America/New_York',
    expected: [
      ['2024-01-15T14:00:00Z', '2024-01-15T15:00:00Z'],
      ['2024-01-16T16:00:00Z', '2024-01-16T17:00:00Z'],
    ],
    skipped: [{ uid: 'mars', reason: 'Unknown TZID "Mars/Olympus_Mons" (no VTIMEZONE, no known zone): its times were read in America/New_York' }],
    oracle: 'agrees',
  },
]);
