/**
 * Input that breaks a rule of RFC 5545 but whose meaning is plain: read, and reported where
 * something had to be left out or guessed.
 */
import { describeCases } from './oracle-cases';

describeCases('expandCalendar: lenient reading', [
  {
    name: "an RRULE with spaces in BYDAY (Exchange CDO's `BYDAY=MO, TU, WE, TH, FR`)",
    lines: [
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTART:20150703T080000Z',
      'DTEND:20150703T083000Z',
      'RRULE:FREQ=DAILY;UNTIL=20150708T080000Z;INTERVAL=1;BYDAY=MO, TU, WE, TH, FR',
      ' ;WKST=SU',
      'END:VEVENT',
    ],
    from: '2015-07-01T00:00:00Z',
    to: '2015-08-01T00:00:00Z',
    expected: ['03', '06', '07', '08'].map((day): [string, string] => [`2015-07-${day}T08:00:00Z`, `2015-07-${day}T08:30:00Z`]),
    oracle: 'drops the whole RRULE and keeps DTSTART alone; the section 3.3.10 grammar has no spaces, but the rule is plain',
  },
  {
    name: "a fold interrupted by a blank line (Mozilla's `UID` CRLF CRLF ` :956630271`) and a line without a colon",
    lines: [
      'BEGIN:VEVENT',
      'UID',
      '',
      ' :956630271',
      'X-APPLE-RADIUS=49.91307046514149',
      'DTSTART:20030501T100000Z',
      'DTEND:20030501T110000Z',
      'SUMMARY:Boxing Day',
      'END:VEVENT',
    ],
    from: '2003-05-01T00:00:00Z',
    to: '2003-05-02T00:00:00Z',
    expected: [['2003-05-01T10:00:00Z', '2003-05-01T11:00:00Z']],
    oracle: 'agrees',
  },
  {
    name: 'RSCALE=CHINESE (RFC 7529) cannot be expanded: DTSTART alone, reported',
    lines: ['BEGIN:VEVENT', 'UID:new-year', 'DTSTART;VALUE=DATE:20130210', 'RRULE:RSCALE=CHINESE;FREQ=YEARLY', 'END:VEVENT'],
    from: '2013-01-01T00:00:00Z',
    to: '2016-01-01T00:00:00Z',
    expected: [['2013-02-09T23:00:00Z', '2013-02-10T23:00:00Z']],
    skipped: [{ uid: 'new-year', reason: 'RRULE with RSCALE=CHINESE;SKIP=OMIT (RFC 7529) cannot be expanded: only DTSTART was kept' }],
    oracle: 'fails on the UID (KeyError RSCALE)',
  },
  {
    name: 'an unknown rule part (`UNTL`, a typo of UNTIL) is ignored and reported',
    lines: ['BEGIN:VEVENT', 'UID:typo', 'DTSTART:20190801T130000Z', 'DTEND:20190801T140000Z', 'RRULE:FREQ=WEEKLY;UNTL=20190810;COUNT=3', 'END:VEVENT'],
    from: '2019-08-01T00:00:00Z',
    to: '2019-09-01T00:00:00Z',
    expected: ['01', '08', '15'].map((day): [string, string] => [`2019-08-${day}T13:00:00Z`, `2019-08-${day}T14:00:00Z`]),
    skipped: [{ uid: 'typo', reason: 'RRULE part UNTL is not one of RFC 5545 section 3.3.10: ignored' }],
    oracle: 'fails on the UID (KeyError UNTL)',
  },
  {
    name: 'a second DTSTART is reported and the first one counts',
    lines: ['BEGIN:VEVENT', 'UID:twice', 'DTSTART:20140829T080000Z', 'DTSTART:20140829T100000Z', 'END:VEVENT'],
    from: '2014-08-29T00:00:00Z',
    to: '2014-08-30T00:00:00Z',
    expected: [['2014-08-29T08:00:00Z', '2014-08-29T08:00:00Z']],
    skipped: [{ uid: 'twice', reason: 'VEVENT has 2 DTSTART properties (RFC 5545 section 3.6.1 allows one): the first was used' }],
    oracle: 'fails on the UID',
  },
]);
