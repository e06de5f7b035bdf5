import { DateTime } from 'luxon';
import ICAL from '../../../src/providers/ical/ical-module';
import { ianaOffsets, wallToUtc, type UtcOffsets, type WallTime } from '../../../src/common/time';
import { parseJcalTime } from '../../../src/providers/ical/ical-time';
import { vtimezoneOffsets } from '../../../src/providers/ical/vtimezone';
import { W_EUROPE_VTIMEZONE } from './fixtures';

function wall(year: number, month: number, day: number, hour: number, minute = 0): WallTime {
  return { year, month, day, hour, minute, second: 0, isDate: false };
}

function utc(offsets: UtcOffsets, time: WallTime): string {
  return new Date(wallToUtc(time, offsets)).toISOString();
}

describe('parseJcalTime', () => {
  it('reads dates, floating and UTC date-times', () => {
    expect(parseJcalTime('2024-03-31')).toEqual({ wall: { year: 2024, month: 3, day: 31, hour: 0, minute: 0, second: 0, isDate: true }, utc: false });
    expect(parseJcalTime('2024-03-31T02:30:00')).toEqual({ wall: wall(2024, 3, 31, 2, 30), utc: false });
    expect(parseJcalTime('2024-03-31T02:30:00Z')?.utc).toBe(true);
  });

  it('reads the `YYYY-MM-DDT::` ical.js makes of an 8-digit DATE-TIME as a date', () => {
    expect(parseJcalTime('2018-01-10T::')?.wall).toEqual({ year: 2018, month: 1, day: 10, hour: 0, minute: 0, second: 0, isDate: true });
  });

  it('rejects garbage and out-of-range fields', () => {
    for (const value of ['INVA-LI-D-TAT:E:', '--T::', '2023-02-29', '2024-13-01', '2024-01-01T24:00:00', '0830-00-']) {
      expect(parseJcalTime(value)).toBeNull();
    }
  });
});

describe('wallToUtc with an IANA zone (RFC 5545 section 3.3.5)', () => {
  const berlin = ianaOffsets('Europe/Berlin') as UtcOffsets;
  const newYork = ianaOffsets('America/New_York') as UtcOffsets;

  it('converts ordinary local times', () => {
    // Berlin is UTC+1 in winter, UTC+2 in summer.
    expect(utc(berlin, wall(2024, 1, 15, 9))).toBe('2024-01-15T08:00:00.000Z');
    expect(utc(berlin, wall(2024, 7, 15, 9))).toBe('2024-07-15T07:00:00.000Z');
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    // 2021-03-28 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and is read with the offset
    // before the gap (+1): 01:30Z, which is 03:30 CEST.
    expect(utc(berlin, wall(2021, 3, 28, 2, 30))).toBe('2021-03-28T01:30:00.000Z');
    // RFC 5545's own example: 02:30 on 2007-03-11 in New York is 03:30 EDT = 07:30Z.
    expect(utc(newYork, wall(2007, 3, 11, 2, 30))).toBe('2007-03-11T07:30:00.000Z');
  });

  it('takes the first of two instants for an ambiguous fall-back time, unlike luxon', () => {
    // 2021-10-31 02:30 in Berlin happens at 00:30Z (CEST, +2) and again at 01:30Z (CET, +1).
    expect(utc(berlin, wall(2021, 10, 31, 2, 30))).toBe('2021-10-31T00:30:00.000Z');
    // 2021-11-07 01:30 in New York happens at 05:30Z (EDT) and 06:30Z (EST).
    expect(utc(newYork, wall(2021, 11, 7, 1, 30))).toBe('2021-11-07T05:30:00.000Z');
    // luxon picks the later instant, which is why wallToUtc does not use it for the conversion.
    const luxon = DateTime.fromObject({ year: 2021, month: 10, day: 31, hour: 2, minute: 30 }, { zone: 'Europe/Berlin' });
    expect(luxon.toUTC().toISO()).toBe('2021-10-31T01:30:00.000Z');
  });

  it('knows only names the runtime knows', () => {
    expect(ianaOffsets('W. Europe Standard Time')).toBeNull();
  });
});

describe('wallToUtc with a VTIMEZONE (RFC 5545 section 3.6.5)', () => {
  const component = new ICAL.Component(ICAL.parse(W_EUROPE_VTIMEZONE.join('\r\n')) as unknown[]);
  const zone = vtimezoneOffsets(component)?.offsets as UtcOffsets;

  it('follows the STANDARD and DAYLIGHT rules', () => {
    // Last Sunday of March 2024 is the 31st: +1 before, +2 after; last Sunday of October the 27th.
    expect(utc(zone, wall(2024, 3, 30, 12))).toBe('2024-03-30T11:00:00.000Z');
    expect(utc(zone, wall(2024, 3, 31, 12))).toBe('2024-03-31T10:00:00.000Z');
    expect(utc(zone, wall(2024, 10, 28, 12))).toBe('2024-10-28T11:00:00.000Z');
  });

  it('resolves gaps and overlaps as for IANA zones', () => {
    expect(utc(zone, wall(2024, 3, 31, 2, 30))).toBe('2024-03-31T01:30:00.000Z');
    expect(utc(zone, wall(2024, 10, 27, 2, 30))).toBe('2024-10-27T00:30:00.000Z');
  });

  it('leaves the global TimezoneService of ical.js alone', () => {
    expect(ICAL.TimezoneService.has('W. Europe Standard Time')).toBe(false);
  });
});
