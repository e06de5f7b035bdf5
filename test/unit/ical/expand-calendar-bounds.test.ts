/**
 * Where a series and the window begin and end: DTSTART is the first instance whatever UNTIL says
 * (RFC 5545 section 3.8.5.3), an all-day series ends on the same date in every resource zone,
 * and occurrences that start exactly at the window's first instant are kept, zero-length and
 * all-day ones included, on every path (single, RRULE, RDATE, override).
 */
import { describeCases } from './oracle-cases';

const vevent = (...lines: string[]): string[] => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];

describeCases('expandCalendar: UNTIL', [
  {
    name: 'an all-day series whose UNTIL precedes DTSTART keeps DTSTART (Confluence, issue_117)',
    lines: vevent('UID:until-before', 'DTSTART;VALUE=DATE:20231002', 'DTEND;VALUE=DATE:20231009', 'RRULE:FREQ=WEEKLY;UNTIL=20231001;INTERVAL=2;BYDAY=MO'),
    from: '2023-09-01T00:00:00Z',
    to: '2023-12-01T00:00:00Z',
    expected: [['2023-10-01T22:00:00Z', '2023-10-08T22:00:00Z']],
    oracle: 'agrees',
  },
  {
    name: 'a timed series whose UNTIL precedes DTSTART keeps DTSTART',
    lines: vevent(
      'UID:until-before-timed',
      'DTSTART;TZID=Europe/Berlin:20231002T090000',
      'DTEND;TZID=Europe/Berlin:20231002T100000',
      'RRULE:FREQ=DAILY;UNTIL=20231001T000000Z',
    ),
    from: '2023-09-01T00:00:00Z',
    to: '2023-12-01T00:00:00Z',
    expected: [['2023-10-02T07:00:00Z', '2023-10-02T08:00:00Z']],
    oracle: 'drops DTSTART when it lies after UNTIL (its pytz path re-checks UNTIL); section 3.8.5.3 makes DTSTART the first instance',
  },
  ...['Europe/Berlin', 'America/New_York'].map((timeZone) => ({
    name: `an all-day series with a UTC UNTIL ends on the nearest UTC date, in ${timeZone} too`,
    // Exchange: UNTIL is the London midnight of the last day, Thursday 2020-04-16.
    lines: vevent('UID:exchange', 'DTSTART;VALUE=DATE:20200402', 'DTEND;VALUE=DATE:20200403', 'RRULE:FREQ=WEEKLY;UNTIL=20200415T230000Z;INTERVAL=1;BYDAY=TH'),
    from: '2020-03-01T00:00:00Z',
    to: '2020-06-01T00:00:00Z',
    timeZone,
    expected: (['02', '09', '16'] as const).map((day): [string, string] => {
      const start = timeZone === 'Europe/Berlin' ? `2020-04-${day}T00:00:00+02:00` : `2020-04-${day}T00:00:00-04:00`;
      return [start, new Date(Date.parse(start) + 86_400_000).toISOString()];
    }),
    oracle: "ends the series on UNTIL's UTC date, 2020-04-15; section 3.3.10 wants DTSTART's type, and the nearest date is the last day Exchange meant",
  })),
]);

describeCases('expandCalendar: occurrences at the very start of the window', [
  {
    name: 'a DATE-TIME DTSTART alone lasts no time and is kept at the first instant, not at the end',
    lines: [...vevent('UID:instant', 'DTSTART:20240301T090000Z'), ...vevent('UID:at-end', 'DTSTART:20240301T100000Z')],
    from: '2024-03-01T09:00:00Z',
    to: '2024-03-01T10:00:00Z',
    expected: [['2024-03-01T09:00:00Z', '2024-03-01T09:00:00Z']],
    oracle: 'agrees',
  },
  {
    name: 'DTEND = DTSTART, single and DAILY, at the first instant',
    lines: [
      ...vevent('UID:same', 'DTSTART;TZID=Europe/Berlin:20240301T100000', 'DTEND;TZID=Europe/Berlin:20240301T100000'),
      ...vevent('UID:daily', 'DTSTART;TZID=Europe/Berlin:20240227T100000', 'DTEND;TZID=Europe/Berlin:20240227T100000', 'RRULE:FREQ=DAILY'),
    ],
    from: '2024-03-01T09:00:00Z',
    to: '2024-03-01T09:30:00Z',
    expected: [
      ['2024-03-01T09:00:00Z', '2024-03-01T09:00:00Z'],
      ['2024-03-01T09:00:00Z', '2024-03-01T09:00:00Z'],
    ],
    oracle: 'agrees',
  },
  {
    name: 'a zero-length RDATE and an override moved to the first instant',
    lines: [
      ...vevent('UID:rdate', 'DTSTART:20240201T090000Z', 'RDATE:20240301T090000Z'),
      ...vevent('UID:moved', 'DTSTART:20240226T120000Z', 'RRULE:FREQ=DAILY;COUNT=5'),
      ...vevent('UID:moved', 'RECURRENCE-ID:20240227T120000Z', 'DTSTART:20240301T090000Z'),
    ],
    from: '2024-03-01T09:00:00Z',
    to: '2024-03-01T10:00:00Z',
    expected: [
      ['2024-03-01T09:00:00Z', '2024-03-01T09:00:00Z'],
      ['2024-03-01T09:00:00Z', '2024-03-01T09:00:00Z'],
    ],
    oracle: 'agrees',
  },
  ...(
    [
      ['Europe/Berlin', '2024-02-29T23:00:00Z', '2024-03-01T23:00:00Z'],
      ['America/New_York', '2024-03-01T05:00:00Z', '2024-03-02T05:00:00Z'],
      ['Asia/Kolkata', '2024-02-29T18:30:00Z', '2024-03-01T18:30:00Z'],
    ] as const
  ).map(([timeZone, midnight, next]) => ({
    name: `one-day events at the local midnight that opens the window, single and DAILY, in ${timeZone}`,
    lines: [
      ...vevent('UID:day', 'DTSTART;VALUE=DATE:20240301', 'DTEND;VALUE=DATE:20240302'),
      ...vevent('UID:alone', 'DTSTART;VALUE=DATE:20240301'),
      // The 02-29 instance ends where the window opens: out.
      ...vevent('UID:every-day', 'DTSTART;VALUE=DATE:20240227', 'RRULE:FREQ=DAILY'),
    ],
    from: midnight,
    to: new Date(Date.parse(midnight) + 3_600_000).toISOString(),
    timeZone,
    expected: [
      [midnight, next],
      [midnight, next],
      [midnight, next],
    ] as [string, string][],
    // Without DTEND the library gives a DATE no length, and keeps it at the first instant too.
    oracle: 'lasts no time for `alone` and `every-day` (DTSTART DATE without DTEND); section 3.6.1 gives them one day',
  })),
  {
    name: 'an all-day event on the 23-hour day of the spring change, window at its midnight',
    lines: vevent('UID:dst', 'DTSTART;VALUE=DATE:20240331', 'DTEND;VALUE=DATE:20240401'),
    from: '2024-03-30T23:00:00Z',
    to: '2024-03-31T00:00:00Z',
    expected: [['2024-03-30T23:00:00Z', '2024-03-31T22:00:00Z']],
    oracle: 'agrees',
  },
]);
