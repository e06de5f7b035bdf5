/**
 * A staff member's calendar for a year, written as calendar clients write one, with what the
 * servers of the field get wrong in their own time-range evaluation: a daily series started
 * twelve years earlier (over SabreDAV 4's 3,500-instance limit), an override listed before its
 * master (SabreDAV indexes an object by its first VEVENT), zero-length events (SabreDAV 1.8
 * drops them), all-day events on the window's first day, series across both DST changes in two
 * zones, EXDATEs, floating times, and object names without `.ics`, with spaces, `&` and unicode.
 */

const DAY_MS = 86_400_000;

/** VTIMEZONEs as Thunderbird writes them (RFC 5545 section 3.6.5). */
const VTIMEZONES = [
  ...['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000'],
  ...['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT', 'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET'],
  ...['DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD', 'END:VTIMEZONE'],
  ...['BEGIN:VTIMEZONE', 'TZID:America/New_York', 'BEGIN:DAYLIGHT', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0400', 'TZNAME:EDT', 'DTSTART:19700308T020000'],
  ...['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', 'END:DAYLIGHT', 'BEGIN:STANDARD', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'TZNAME:EST'],
  ...['DTSTART:19701101T020000', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU', 'END:STANDARD', 'END:VTIMEZONE'],
];

/** Object names that calendar clients and servers produce besides `<uid>.ics`. */
export const ODD_OBJECT_NAMES: Record<string, string> = {
  'standup@calsync.test': 'Stand-up meeting.ics',
  'team@calsync.test': 'team-weekly',
  'holiday@calsync.test': 'Feiertage & Urlaub – Ärger.ics',
};

/** A year of events from `base` (a UTC midnight), as one VCALENDAR; see the file comment. */
export function normalYear(base: Date, changes: { teamDay?: 'TU' | 'WE'; dailyTitle?: string } = {}): string {
  const date = (days: number) => new Date(base.getTime() + days * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  const at = (days: number, time: string) => `${date(days)}T${time}`;
  const event = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
  const lines = [
    ...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calsync tests//normal year//EN', 'CALSCALE:GREGORIAN'],
    ...VTIMEZONES,
    // Twelve years of a daily series: an instance-limited server refuses to evaluate it.
    ...event(
      'daily@calsync.test',
      'DTSTART;TZID=Europe/Berlin:20140106T080000',
      'DTEND;TZID=Europe/Berlin:20140106T083000',
      'RRULE:FREQ=DAILY',
      `EXDATE;TZID=Europe/Berlin:${at(10, '080000')},${at(40, '080000')}`,
      `SUMMARY:${changes.dailyTitle ?? 'Rounds'}`,
    ),
    // The override comes first in its object, as Outlook and some importers write it.
    ...event(
      'standup@calsync.test',
      `RECURRENCE-ID;TZID=Europe/Berlin:${at(14, '091500')}`,
      `DTSTART;TZID=Europe/Berlin:${at(14, '110000')}`,
      `DTEND;TZID=Europe/Berlin:${at(14, '111500')}`,
      'SUMMARY:Stand-up (moved)',
    ),
    ...event(
      'standup@calsync.test',
      `DTSTART;TZID=Europe/Berlin:${at(-700, '091500')}`,
      'DURATION:PT15M',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      'SUMMARY:Stand-up',
    ),
    ...event(
      'team@calsync.test',
      `DTSTART;TZID=America/New_York:${at(1, '090000')}`,
      `DTEND;TZID=America/New_York:${at(1, '100000')}`,
      `RRULE:FREQ=WEEKLY;BYDAY=${changes.teamDay ?? 'TU'}`,
      `EXDATE;TZID=America/New_York:${at(29, '090000')}`,
      'SUMMARY:Team call (New York)',
    ),
    ...event(
      'review@calsync.test',
      `DTSTART;TZID=Europe/Berlin:${at(0, '160000')}`,
      `DTEND;TZID=Europe/Berlin:${at(0, '170000')}`,
      `RRULE:FREQ=MONTHLY;BYDAY=1MO;UNTIL=${at(300, '000000')}Z`,
      'SUMMARY:Monthly review',
    ),
    ...event(
      'birthday@calsync.test',
      'DTSTART;VALUE=DATE:19900315',
      'DTEND;VALUE=DATE:19900316',
      'RRULE:FREQ=YEARLY',
      'SUMMARY:Birthday',
      'TRANSP:TRANSPARENT',
    ),
    // All-day: the window's first day, a single day, a five-day vacation.
    ...event('holiday@calsync.test', `DTSTART;VALUE=DATE:${date(0)}`, `DTEND;VALUE=DATE:${date(1)}`, 'SUMMARY:Holiday'),
    ...event('conference@calsync.test', `DTSTART;VALUE=DATE:${date(45)}`, 'SUMMARY:Conference day'),
    ...event('vacation@calsync.test', `DTSTART;VALUE=DATE:${date(120)}`, `DTEND;VALUE=DATE:${date(125)}`, 'SUMMARY:Vacation'),
    // Zero-length: DTSTART alone, DTSTART = DTEND, and one at the window's very start.
    ...event('reminder@calsync.test', `DTSTART:${at(3, '100000')}Z`, 'SUMMARY:Call back'),
    ...event('deadline@calsync.test', `DTSTART;TZID=Europe/Berlin:${at(60, '170000')}`, `DTEND;TZID=Europe/Berlin:${at(60, '170000')}`, 'SUMMARY:Deadline'),
    ...event('midnight@calsync.test', `DTSTART:${at(0, '000000')}Z`, 'SUMMARY:Midnight marker'),
    ...event(
      'maybe@calsync.test',
      `DTSTART;TZID=Europe/Berlin:${at(2, '130000')}`,
      `DTEND;TZID=Europe/Berlin:${at(2, '140000')}`,
      'STATUS:TENTATIVE',
      'SUMMARY:Maybe lunch',
    ),
    ...event(
      'dropped@calsync.test',
      `DTSTART;TZID=Europe/Berlin:${at(2, '150000')}`,
      `DTEND;TZID=Europe/Berlin:${at(2, '160000')}`,
      'STATUS:CANCELLED',
      'SUMMARY:Cancelled call',
    ),
    ...event('gym@calsync.test', `DTSTART:${at(5, '180000')}Z`, `DTEND:${at(5, '190000')}Z`, 'RRULE:FREQ=DAILY;INTERVAL=2;COUNT=100', 'SUMMARY:Gym'),
    // Floating: the resource's own zone.
    ...event('floating@calsync.test', `DTSTART:${at(7, '120000')}`, `DTEND:${at(7, '123000')}`, 'RRULE:FREQ=WEEKLY;COUNT=10', 'SUMMARY:Lunch walk'),
    'END:VCALENDAR',
    '',
  ];
  return lines.join('\r\n');
}

/** The Monday at UTC midnight on or before `day` minus `daysBefore` days. */
export function mondayBefore(day: Date, daysBefore: number): Date {
  const start = new Date(Math.floor(day.getTime() / DAY_MS) * DAY_MS - daysBefore * DAY_MS);
  return new Date(start.getTime() - ((start.getUTCDay() + 6) % 7) * DAY_MS);
}
