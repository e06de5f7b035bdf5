import ICAL from '../../../src/providers/ical/ical-module';
import { ianaOffsets, wallToUtc, type UtcOffsets } from '../../../src/common/time';
import { preferVtimezone, vtimezoneOffsets } from '../../../src/providers/ical/vtimezone';
import { W_EUROPE_VTIMEZONE } from './fixtures';

function component(lines: string[]) {
  return new ICAL.Component(ICAL.parse(lines.join('\r\n')) as unknown[]);
}

const at = (offsets: UtcOffsets, iso: string): number => offsets(Date.parse(iso));

describe('vtimezoneOffsets (RFC 5545 section 3.6.5)', () => {
  it('speaks from the first onset on, without end when an observance recurs without UNTIL', () => {
    const zone = vtimezoneOffsets(component(W_EUROPE_VTIMEZONE));
    // The first onset the rules give: the last Sunday of March 1601, 02:00 at +0100.
    expect(new Date(zone?.from ?? NaN).toISOString()).toBe('1601-03-25T01:00:00.000Z');
    expect(zone?.until).toBe(Infinity);
  });

  it('knows the years long after the current ones (ical.js expands further on demand)', () => {
    const { offsets } = vtimezoneOffsets(component(W_EUROPE_VTIMEZONE)) ?? { offsets: () => NaN };
    expect(at(offsets, '2024-07-01T00:00:00Z')).toBe(7200);
    // Far ahead, once the expansion grew: the last Sundays of March and October 2060 are the 28th and the 31st.
    expect(at(offsets, '2060-03-28T00:59:59Z')).toBe(3600);
    expect(at(offsets, '2060-03-28T01:00:00Z')).toBe(7200);
    expect(at(offsets, '2060-10-31T00:59:59Z')).toBe(7200);
    expect(at(offsets, '2060-10-31T01:00:00Z')).toBe(3600);
    expect(at(offsets, '2024-12-01T00:00:00Z')).toBe(3600);
  });

  it('ends at the last onset when every observance ends (RDATE lists, as iCalcreator writes)', () => {
    const zone = vtimezoneOffsets(
      component([
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
        'END:DAYLIGHT',
        'END:VTIMEZONE',
      ]),
    );
    expect(zone?.from).toBe(Date.UTC(2018, 9, 28, 1));
    expect(zone?.until).toBe(Date.UTC(2019, 9, 27, 1));
  });

  it('applies offsets to the second (section 3.3.14)', () => {
    const lines = [
      'BEGIN:VTIMEZONE',
      'TZID:LMT',
      'BEGIN:STANDARD',
      'DTSTART:18000101T000000',
      'TZOFFSETFROM:-000115',
      'TZOFFSETTO:-000115',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const { offsets } = vtimezoneOffsets(component(lines)) ?? { offsets: () => NaN };
    expect(at(offsets, '1840-01-01T00:00:00Z')).toBe(-75);
    expect(new Date(wallToUtc({ year: 1840, month: 1, day: 1, hour: 12, minute: 0, second: 0, isDate: false }, offsets)).toISOString()).toBe(
      '1840-01-01T12:01:15.000Z',
    );
  });

  it('refuses an offset out of range', () => {
    const lines = [
      'BEGIN:VTIMEZONE',
      'TZID:Broken',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+5744',
      'TZOFFSETTO:+5744',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    expect(() => vtimezoneOffsets(component(lines))).toThrow('TZOFFSETFROM "+57:44" is out of range');
  });
});

describe('preferVtimezone', () => {
  const berlin = ianaOffsets('Europe/Berlin') as UtcOffsets;
  const custom = { offsets: () => 10_800, from: Date.parse('2020-01-01T00:00:00Z'), until: Date.parse('2021-01-01T00:00:00Z') };

  it('takes the VTIMEZONE inside its span and the named zone outside', () => {
    const offsets = preferVtimezone(custom, berlin) as UtcOffsets;
    expect(at(offsets, '2019-12-31T23:59:59Z')).toBe(3600);
    expect(at(offsets, '2020-07-01T00:00:00Z')).toBe(10_800);
    expect(at(offsets, '2021-01-01T00:00:00Z')).toBe(3600);
  });

  it('takes whichever exists', () => {
    expect(preferVtimezone(null, berlin)).toBe(berlin);
    expect(preferVtimezone(custom, null)).toBe(custom.offsets);
    expect(preferVtimezone(null, null)).toBeNull();
  });
});
