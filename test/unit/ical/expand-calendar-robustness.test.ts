import { expandCalendar } from '../../../src/providers/ical/expand-calendar';
import { MAX_RULE_CANDIDATES } from '../../../src/providers/ical/expand-rule';
import ICAL from '../../../src/providers/ical/ical-module';
import { calendar, describeWithFixtures, expand, fixture, starts, W_EUROPE_VTIMEZONE } from './fixtures';

describe('expandCalendar: broken input', () => {
  it('keeps the valid VEVENTs and their VTIMEZONE when another VEVENT breaks the whole parse', () => {
    const ics = calendar(
      ...W_EUROPE_VTIMEZONE,
      'BEGIN:VEVENT',
      'UID:good',
      'DTSTART;TZID=W. Europe Standard Time:20240715T100000',
      'DURATION:PT1H',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:bad',
      'DTSTART:20240716T100000Z',
      'RRULE:FREQ=FORTNIGHTLY',
      'END:VEVENT',
    );
    const { events, skipped } = expand(ics, '2024-07-01T00:00:00Z', '2024-08-01T00:00:00Z');
    // 10:00 in the Exchange zone's summer time (+0200) is 08:00Z.
    expect(events.map((event) => [event.externalId, event.startsAt.toISOString()])).toEqual([['good', '2024-07-15T08:00:00.000Z']]);
    expect(skipped).toEqual([{ uid: 'bad', reason: expect.stringMatching(/^Unparseable VEVENT: invalid frequency "FORTNIGHTLY"/) }]);
  });

  it('gives up on a rule that no date satisfies instead of hanging', () => {
    // February never has a 30th: ical.js would loop inside next() forever.
    const ics = calendar('BEGIN:VEVENT', 'UID:never', 'DTSTART:20240101T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'END:VEVENT');
    expect(expand(ics, '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toEqual({
      events: [],
      skipped: [{ uid: 'never', reason: `RRULE needs more than ${MAX_RULE_CANDIDATES} iterations to reach the window` }],
    });
  });
});

describeWithFixtures('expandCalendar: broken input: real calendars', () => {
  it.each([
    // `DTSTART;;VALUE=DATE-TIME:…` makes ical.js invent a ";value" parameter.
    ['icalendar/broken_ical.ics', [{ uid: 'abc', reason: 'Malformed parameter ";value" on DTSTART' }]],
    ['icalendar/broken_dtstart.ics', [{ uid: 'test-123', reason: expect.stringContaining('Invalid DTSTART value') }]],
    // ical.js rejects the whole file for FREQ=INVALID_TYPE_CAUSES_ERROR; the VEVENT is re-parsed alone.
    ['icalendar/issue_1081_invalid_rrule_freq.ics', [{ uid: 'test-123', reason: expect.stringContaining('invalid frequency') }]],
    // DURATION:P999999999999999999W ends beyond what a Date can hold.
    ['icalendar/invalid_duration.ics', [{ uid: 'invalid-duration@example.com', reason: 'DTEND or DURATION is out of range' }]],
    ['recurring-ical-events/end_before_start_event.ics', [{ uid: 'UYDQSG9TH4DE0WM3QFL2J', reason: 'DTEND before DTSTART' }]],
    ['icalendar/fuzz_testcase_0_char_in_component_name.ics', [{ uid: null, reason: expect.stringContaining('Unparseable iCalendar') }]],
    ['icalendar/fuzz_testcase_invalid_month.ics', [{ uid: null, reason: expect.stringContaining('Unparseable iCalendar') }]],
    // A lone VTIMEZONE with control characters: it parses, but there is no calendar.
    ['icalendar/fuzz_testcase_vtimezone_lone_cr.ics', [{ uid: null, reason: 'No VCALENDAR component in the input' }]],
    ['icalendar/small_bad_calendar.ics', [{ uid: null, reason: 'VEVENT has no DTSTART' }]],
  ])('reports %s as skipped without throwing', (name, skipped) => {
    const result = expand(fixture(name), '2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
    expect(result).toEqual({ events: [], skipped });
  });

  it('recovers the event of a calendar followed by trailing junk (icalendar/issue_350.ics)', () => {
    // An X-COMMENT line after END:VCALENDAR makes ical.js fail; the VEVENT is intact.
    const { events, skipped } = expand(fixture('icalendar/issue_350.ics'), '2022-02-22T00:00:00Z', '2022-02-23T00:00:00Z');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.externalId, event.startsAt.toISOString()])).toEqual([['20055546456446', '2022-02-22T18:30:00.000Z']]);
  });

  it('ignores an empty RRULE (recurring-ical-events/Germany_Holidays.ics)', () => {
    // "RRULE:" with DTSTART:20190101 and DTEND:20190101; a same-day DTEND reads as one day.
    const { events, skipped } = expand(fixture('recurring-ical-events/Germany_Holidays.ics'), '2018-12-31T23:00:00Z', '2019-01-01T23:00:00Z');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.title, event.startDate, event.endDate])).toEqual([["New Year's Day", '2019-01-01', '2019-01-02']]);
  });

  it('ignores VTODO and VJOURNAL components', () => {
    for (const name of ['recurring-ical-events/issue_97_simple_todo.ics', 'recurring-ical-events/issue_97_simple_journal.ics']) {
      expect(expand(fixture(name), '2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toEqual({ events: [], skipped: [] });
    }
  });

  it('refuses a resource time zone that is not IANA (a caller bug)', () => {
    expect(() => expandCalendar(fixture('recurring-ical-events/one_event.ics'), { window: { from: new Date(0), to: new Date() }, timeZone: 'CET+1' })).toThrow(
      RangeError,
    );
  });
});

describe('expandCalendar: duplicates and identity', () => {
  it('resolves each calendar’s TZIDs against its own VTIMEZONEs', () => {
    const zone = (offset: string): string[] => [
      'BEGIN:VTIMEZONE',
      'TZID:Custom',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`,
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const event = (uid: string): string[] => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART;TZID=Custom:20240115T120000', 'END:VEVENT'];
    const ics = calendar(...zone('+0300'), ...event('three')) + calendar(...zone('+0500'), ...event('five'));
    const { events } = expand(ics, '2024-01-15T00:00:00Z', '2024-01-16T00:00:00Z');
    // 12:00 at +0300 is 09:00Z, at +0500 07:00Z.
    expect(events.map((occurrence) => [occurrence.externalId, occurrence.startsAt.toISOString(), occurrence.timeZone])).toEqual([
      ['five', '2024-01-15T07:00:00.000Z', 'Custom'],
      ['three', '2024-01-15T09:00:00.000Z', 'Custom'],
    ]);
    expect(ICAL.TimezoneService.has('Custom')).toBe(false);
  });
});

describeWithFixtures('expandCalendar: duplicates and identity: real calendars', () => {
  it('keeps distinct events without UID apart under content-hash ids (issue_15_duplicated_events.ics)', () => {
    // Three UID-less events starting 2013-08-03 19:00Z that differ in SUMMARY or DTEND.
    const ics = fixture('recurring-ical-events/issue_15_duplicated_events.ics');
    const first = expand(ics, '2013-08-03T00:00:00Z', '2013-08-04T00:00:00Z');
    expect(first.skipped).toEqual([]);
    expect(new Set(first.events.map((event) => event.externalId)).size).toBe(3);
    expect(first.events.every((event) => /^generated-[0-9a-f]{32}$/.test(event.externalId))).toBe(true);
    // The id ignores DTSTAMP, which feeds such as Google's set to the download time.
    const restamped = expand(
      ics.replace('SUMMARY:This is an event', 'DTSTAMP:20240101T000000Z\r\nSUMMARY:This is an event'),
      '2013-08-03T00:00:00Z',
      '2013-08-04T00:00:00Z',
    );
    expect(restamped.events.map((event) => event.externalId).sort()).toEqual(first.events.map((event) => event.externalId).sort());
  });

  it('reports a one-day event once (issue_44_double_event.ics)', () => {
    const { events } = expand(fixture('recurring-ical-events/issue_44_double_event.ics'), '2020-08-13T22:00:00Z', '2020-08-14T22:00:00Z');
    expect(events.map((event) => [event.externalId, event.startDate, event.transparency])).toEqual([
      ['42sftcvqfh1jj1uk9lfrsufsi@google.com', '2020-08-14', 'TRANSPARENT'],
    ]);
  });

  it('collapses copies of an override silently (issue_164_duplicated_event.ics)', () => {
    // Weekly every 3rd Monday from 2024-04-01, 7 days long; the 08-26 override appears twice,
    // differing only in DTSTAMP/CREATED/LAST-MODIFIED. August 2024 (Berlin): 08-05 and 08-26.
    const { events, skipped } = expand(fixture('recurring-ical-events/issue_164_duplicated_event.ics'), '2024-07-31T22:00:00Z', '2024-08-31T22:00:00Z');
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.externalId, event.startDate, event.endDate])).toEqual([
      ['111#20240805', '2024-08-05', '2024-08-12'],
      ['111#20240826', '2024-08-26', '2024-09-02'],
    ]);
  });

  it('keeps the higher SEQUENCE of two masters and reports the dropped one (issue_148_ignored_exdate.ics)', () => {
    // SEQUENCE:1 has no EXDATE, SEQUENCE:2 ("test123 - edited") excludes 2024-07-15. Biweekly
    // Mondays from 07-01 UNTIL=20240801: 07-01 and 07-29 remain.
    const { events, skipped } = expand(fixture('recurring-ical-events/issue_148_ignored_exdate.ics'), '2024-06-01T00:00:00Z', '2024-09-01T00:00:00Z');
    expect(events.map((event) => [event.startDate, event.title])).toEqual([
      ['2024-07-01', 'test123 - edited'],
      ['2024-07-29', 'test123 - edited'],
    ]);
    expect(skipped).toEqual([{ uid: '111', reason: 'Duplicate VEVENT: kept SEQUENCE 2, dropped a different SEQUENCE 1 version' }]);
  });

  it('drops an override whose instance the master excludes (issue_163_deleted_modification.ics)', () => {
    // The newer master has EXDATE 2024-08-19; the override for that date was left behind.
    const { events } = expand(fixture('recurring-ical-events/issue_163_deleted_modification.ics'), '2024-08-18T22:00:00Z', '2024-08-19T22:00:00Z');
    expect(events).toEqual([]);
  });

  it('returns the same occurrences for the same input', () => {
    const ics = fixture('recurring-ical-events/rdate.ics');
    const once = expand(ics, '2013-08-01T00:00:00Z', '2013-09-01T00:00:00Z');
    expect(starts(once.events)).toHaveLength(29);
    expect(expand(ics, '2013-08-01T00:00:00Z', '2013-09-01T00:00:00Z')).toEqual(once);
  });
});
