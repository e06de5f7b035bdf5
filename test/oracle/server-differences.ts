/**
 * Differences that appear only once a CalDAV server holds the corpus (test/e2e/caldav-corpus.test.ts):
 * what the import or a server did to the data (re-serialised, added, dropped) that makes the
 * expander and the oracle, both reading the server's copy, disagree where they agree on the file
 * itself. Each names the change; the RFC section decides who reads the changed copy right.
 */
import type { CalDavServerKind } from '../helpers/caldav-test-server';
import { oneDay, type Difference } from './compare';
import { replacing } from './rewrites';

/** What the import itself (test/helpers/ics-split.ts: one VCALENDAR per UID) changes, whatever the server. */
const IMPORTED: readonly Difference[] = [
  {
    file: 'icalendar/issue_178_custom_component_contains_other.ics',
    what:
      'the import wraps the VEVENT of MYCOMPTOO (a file without VCALENDAR) in a VCALENDAR, which every server stores: a well-formed all-day ' +
      'event without DTEND, which the expander reads (no longer skipped) and the library gives no length',
    rfc: 'RFC 5545 section 3.6.1 (one day for a DATE DTSTART alone)',
    right: 'expander',
    adjust: oneDay,
  },
];

// Radicale parses every object with python3-vobject 0.9.6, which keeps one process-wide map from
// TZID to time zone, fed by the VTIMEZONEs it parses, and re-serialises the object with a
// VTIMEZONE for each TZID it uses. Once icalendar/issue_1050_forward_timezone_reference.ics has
// been stored, whose Europe/Berlin has no DAYLIGHT, every later object that names
// TZID=Europe/Berlin without a VTIMEZONE is stored with that definition (CET, +0100 all year), in
// any collection: the map lives as long as the process. Checked by hand on a fresh Radicale: a PUT
// of issue_27_t2 gets a VTIMEZONE with DST; after a PUT of issue_1050, issue_27_t1 gets one without.
// The suite uploads in name order, so icalendar/issue_1050 always precedes the files below.
const radicaleBerlin = (file: string): Difference => ({
  file,
  what:
    'Radicale (python3-vobject) stores the object with a VTIMEZONE Europe/Berlin it did not have, copied from the one an earlier object ' +
    '(issue_1050_forward_timezone_reference.ics) defined: +0100 all year, no DST. The expander follows the VTIMEZONE, the library the tz database ' +
    'for an IANA name; the oracle reads the VTIMEZONE under another TZID, so that the library uses it too',
  rfc: 'RFC 5545 sections 3.2.19 (TZID names the VTIMEZONE of the iCalendar object) and 3.6.5',
  right: 'expander',
  rewrite: replacing([[/TZID([:=])Europe\/Berlin/, 'TZID$1Radicale-Europe-Berlin']]),
});

/** Per server kind, the differences of its copies of the corpus, on top of test/oracle/differences.ts. */
export const SERVER_DIFFERENCES: Record<CalDavServerKind, readonly Difference[]> = {
  radicale: [
    ...IMPORTED,
    ...[
      'recurring-ical-events/issue_27_t1.ics',
      'recurring-ical-events/issue_27_t2.ics',
      'recurring-ical-events/issue_36_recurrence_ID_format.ics',
      'recurring-ical-events/subcomponents.ics',
    ].map(radicaleBerlin),
    {
      file: 'recurring-ical-events/issue_36_recurrence_ID_format.ics',
      what:
        "with Radicale's Europe/Berlin at +0100, the override's RECURRENCE-ID 20200917T120000Z (written for CEST) names no instance: the series' " +
        '17 September instance is now at 13:00Z. The expander keeps that instance beside the override, the library drops the instance of that day',
      rfc: 'RFC 5545 section 3.8.4.4 (RECURRENCE-ID is the original DTSTART of the instance it replaces)',
      right: 'expander',
      rows: (row, side) => side === 'expander' && row.uid === 'series 1' && row.recurrenceId === '20200917T130000Z',
    },
  ],
  xandikos: [...IMPORTED],
  sabredav: [...IMPORTED],
};

/** Why a difference of the unit comparison cannot occur on any server, whatever it stores. */
const NOT_OCCURRING_ANYWHERE: Readonly<Record<string, string>> = {
  'icalendar/issue_350.ics': 'the import keeps only what is inside VCALENDAR: the X-COMMENT after END:VCALENDAR is not uploaded',
  'icalendar/issue_178_custom_component_contains_other.ics': 'the import wraps the VEVENT in a VCALENDAR: the object is no longer malformed',
  'icalendar/rfc_7529.ics': 'the all-day length matters in other windows than this one: here the library fails on every UID (RSCALE)',
};

/**
 * Per server kind, files whose differences of the unit comparison (differences.ts) do not occur
 * although the server refused none of their objects, and what the server did instead.
 */
export const NOT_OCCURRING: Record<CalDavServerKind, Readonly<Record<string, string>>> = {
  radicale: {
    ...NOT_OCCURRING_ANYWHERE,
    'icaljs/rdate_exdate.ics':
      "Radicale (vobject) stores `EXDATE;VALUE=DATE:20240611` as `EXDATE:20240611T030000Z`, with DTSTART's time, as the oracle's rewrite does",
  },
  xandikos: {
    ...NOT_OCCURRING_ANYWHERE,
    'icalendar/issue_165_missing_event.ics':
      'Xandikos (python3-icalendar) stores the RRULE it cannot parse, `...;BYDAY=MO, TU, WE, TH, FR;WKST=SU`, as `RRULE:None`: the daily ' +
      'series is lost on the server, and both read its first instance alone',
    'icalendar/issue_1081_invalid_rrule_freq.ics':
      'Xandikos stores `RRULE:FREQ=INVALID_TYPE_CAUSES_ERROR` as `RRULE:None`: both read the DTSTART alone, which the expander no longer skips',
  },
  sabredav: { ...NOT_OCCURRING_ANYWHERE },
};
