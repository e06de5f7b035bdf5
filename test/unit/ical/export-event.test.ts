import { exportEventToIcs } from '../../../src/providers/ical/export-event';
import ICAL from '../../../src/providers/ical/ical-module';
import type { ExportEvent } from '../../../src/providers/provider';
import { makeExportEvent } from '../../helpers/builders';
import { expand } from './fixtures';

const APPOINTMENT_ID = '6f1c9a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

function appointment(overrides: Partial<ExportEvent> = {}): ExportEvent {
  return makeExportEvent(APPOINTMENT_ID, overrides);
}

/** The VEVENT of serialized text, parsed back with ical.js. */
function veventOf(ics: string) {
  return new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent('vevent')!;
}

describe('exportEventToIcs', () => {
  const NOW = new Date('2026-11-20T12:34:56.789Z');

  it('writes the calendar object line by line, in UTC, with CRLF line ends', () => {
    const ics = exportEventToIcs(appointment({ sequence: 3 }), NOW);
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'PRODID:-//Calsync//Calsync//EN',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      `UID:${APPOINTMENT_ID}-1@calsync`,
      'DTSTAMP:20261120T123456Z',
      'DTSTART:20261207T090000Z',
      'DTEND:20261207T094500Z',
      'SUMMARY:Consultation',
      'DESCRIPTION:First visit',
      'LOCATION:Room 1',
      'ATTENDEE;CN=Ada Lovelace;PARTSTAT=NEEDS-ACTION;RSVP=FALSE;SCHEDULE-AGENT=NO',
      ' NE:mailto:ada@example.com',
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'SEQUENCE:3',
      `X-CALSYNC-APPOINTMENT:${APPOINTMENT_ID}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('leaves out a null description and location, and attendees when there are none', () => {
    const ics = exportEventToIcs(appointment({ title: 'Busy', description: null, location: null, attendees: [], status: 'TENTATIVE' }), NOW);
    expect(ics).not.toMatch(/^(DESCRIPTION|LOCATION|ATTENDEE)[;:]/m);
    expect(ics).toMatch(/^STATUS:TENTATIVE\r$/m);
    expect(ics).toMatch(/^SUMMARY:Busy\r$/m);
  });

  it('writes an attendee without a name without CN', () => {
    const vevent = veventOf(exportEventToIcs(appointment({ attendees: [{ email: 'bob@example.com', name: null }] }), NOW));
    const attendee = vevent.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe('mailto:bob@example.com');
    expect(attendee.getParameter('cn')).toBeUndefined();
  });

  it('escapes commas, semicolons, backslashes, newlines and quotes, keeps non-ASCII, and reads back the same', () => {
    const title = 'Check-up; Dr. Müller, Zimmer 3 — 東京 🎉';
    const description = 'Line one,\nline two; with a \\ backslash\r\nand "quotes"';
    const location = 'Straße 1, 10115 Berlin; 2. OG';
    const name = 'Doe, John "JJ"; Ünal';
    const ics = exportEventToIcs(appointment({ title, description, location, attendees: [{ email: 'jj@example.com', name }] }), NOW);

    expect(ics).toContain('SUMMARY:Check-up\\; Dr. Müller\\, Zimmer 3 — 東京 🎉');
    expect(ics).toContain('DESCRIPTION:Line one\\,\\nline two\\; with a \\\\ backslash\\nand "quotes"');
    expect(ics).toContain('LOCATION:Straße 1\\, 10115 Berlin\\; 2. OG');
    // A parameter value with ",;:" is quoted; its double quotes are caret-encoded (RFC 6868).
    expect(ics.replace(/\r\n /g, '')).toContain(`ATTENDEE;CN="Doe, John ^'JJ^'; Ünal";`);

    const vevent = veventOf(ics);
    expect(vevent.getFirstPropertyValue('summary')).toBe(title);
    // Section 3.3.11 has one line break, LF: a CRLF is written as it.
    expect(vevent.getFirstPropertyValue('description')).toBe(description.replace('\r\n', '\n'));
    expect(vevent.getFirstPropertyValue('location')).toBe(location);
    expect(vevent.getFirstProperty('attendee')!.getParameter('cn')).toBe(name);
  });

  it('keeps control characters and line breaks from breaking lines', () => {
    const ics = exportEventToIcs(
      appointment({
        title: 'Bell\u0007 and\rCR',
        description: 'a\rb\r\nc\u0000d\te',
        attendees: [{ email: 'eve@example.com\r\nX-INJECTED:1', name: 'Eve\r\nX-INJECTED:2' }],
      }),
      NOW,
    );
    expect(ics).not.toMatch(/^X-INJECTED/m);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
    const vevent = veventOf(ics);
    expect(vevent.getFirstPropertyValue('summary')).toBe('Bell and\nCR');
    expect(vevent.getFirstPropertyValue('description')).toBe('a\nb\ncd\te');
    expect(vevent.getFirstProperty('attendee')!.getParameter('cn')).toBe('Eve X-INJECTED:2');
    expect(vevent.getFirstPropertyValue('attendee')).toBe('mailto:eve@example.comX-INJECTED:1');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const title = `${'Überweisung für Behandlung '.repeat(6)}${'🦷'.repeat(30)}`;
    const ics = exportEventToIcs(appointment({ title, description: 'x'.repeat(300) }), NOW);
    const lines = ics.split('\r\n');
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    for (const line of lines) {
      // ical.js counts 75 octets after the folding space: a continuation line has 76.
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(line.startsWith(' ') ? 76 : 75);
      // A lone surrogate would be a character cut in two.
      expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(veventOf(ics).getFirstPropertyValue('summary')).toBe(title);
  });

  it('round-trips through the expansion: one occurrence with the appointment id, times and status', () => {
    const ics = exportEventToIcs(appointment({ title: 'A, b; c', status: 'TENTATIVE' }), NOW);
    const { events, skipped } = expand(ics, '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(skipped).toEqual([]);
    expect(events).toEqual([
      {
        externalId: `${APPOINTMENT_ID}-1@calsync`,
        seriesId: null,
        recurrenceId: null,
        title: 'A, b; c',
        startsAt: new Date('2026-12-07T09:00:00Z'),
        endsAt: new Date('2026-12-07T09:45:00Z'),
        allDay: false,
        startDate: null,
        endDate: null,
        status: 'TENTATIVE',
        transparency: 'OPAQUE',
        timeZone: null,
        appointmentId: APPOINTMENT_ID,
      },
    ]);
  });

  it('drops milliseconds, which DATE-TIME cannot hold', () => {
    const ics = exportEventToIcs(appointment({ startsAt: new Date('2026-12-07T09:00:00.999Z'), endsAt: new Date('2026-12-07T10:00:00.001Z') }), NOW);
    expect(ics).toMatch(/^DTSTART:20261207T090000Z\r$/m);
    expect(ics).toMatch(/^DTEND:20261207T100000Z\r$/m);
  });
});

describe('expandCalendar: X-CALSYNC-APPOINTMENT', () => {
  const series = (mark: string | null) =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//calsync//test//EN',
      'BEGIN:VEVENT',
      'UID:series',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      'DTEND:20260105T110000Z',
      'RRULE:FREQ=DAILY;COUNT=3',
      ...(mark === null ? [] : [`X-CALSYNC-APPOINTMENT:${mark}`]),
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');

  it('sets the trimmed mark on every occurrence of a marked series', () => {
    const { events } = expand(series(`  ${APPOINTMENT_ID}  `), '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(events.map((event) => event.appointmentId)).toEqual([APPOINTMENT_ID, APPOINTMENT_ID, APPOINTMENT_ID]);
  });

  it('is null without a mark or with a blank one', () => {
    expect(expand(series(null), '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').events.map((event) => event.appointmentId)).toEqual([null, null, null]);
    expect(expand(series('   '), '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').events.map((event) => event.appointmentId)).toEqual([null, null, null]);
  });
});
