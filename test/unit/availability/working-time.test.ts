import { DateTime } from 'luxon';
import { Weekday } from '../../../src/modules/resources/working-hours';
import { slotsIn } from '../../../src/modules/availability/slots';
import { workingIntervals } from '../../../src/modules/availability/working-time';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('workingIntervals', () => {
  const nineToFive = Object.values(Weekday).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

  it('keeps local hours across the spring DST change in Europe/Berlin (UTC+1 -> UTC+2 on 2026-03-29)', () => {
    const result = workingIntervals(nineToFive, 'Europe/Berlin', { start: at('2026-03-28T00:00:00Z'), end: at('2026-03-30T00:00:00Z') });
    expect(result.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2026-03-28T08:00:00.000Z', '2026-03-28T16:00:00.000Z'],
      ['2026-03-29T07:00:00.000Z', '2026-03-29T15:00:00.000Z'],
    ]);
  });

  it('keeps local hours across the autumn DST change in America/New_York (UTC-4 -> UTC-5 on 2026-11-01)', () => {
    const result = workingIntervals(nineToFive, 'America/New_York', { start: at('2026-10-31T00:00:00Z'), end: at('2026-11-02T00:00:00Z') });
    expect(result.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2026-10-31T13:00:00.000Z', '2026-10-31T21:00:00.000Z'],
      ['2026-11-01T14:00:00.000Z', '2026-11-01T22:00:00.000Z'],
    ]);
  });

  it('uses only the weekdays given and reads 24:00 as the next midnight', () => {
    const hours = [{ weekday: Weekday.FRIDAY, start: '22:00', end: '24:00' }];
    // 2026-11-20 is a Friday; Asia/Kolkata is UTC+5:30 without DST.
    const result = workingIntervals(hours, 'Asia/Kolkata', { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') });
    expect(result.map((r) => [iso(r.start), iso(r.end)])).toEqual([['2026-11-20T16:30:00.000Z', '2026-11-20T18:30:00.000Z']]);
  });

  it('is the whole window when there are no working hours', () => {
    const window = { start: at('2026-01-01T00:00:00Z'), end: at('2026-01-02T00:00:00Z') };
    expect(workingIntervals([], 'UTC', window)).toEqual([window]);
  });
});

describe('slotsIn', () => {
  it('starts slots on the local step grid and keeps them inside the free time', () => {
    // Free 09:10-11:00 Berlin (UTC+1): 30-minute slots on a 30-minute grid start 09:30 and 10:00 and 10:30.
    const slots = slotsIn([{ start: at('2026-01-05T08:10:00Z'), end: at('2026-01-05T10:00:00Z') }], 30, 30, 'Europe/Berlin');
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-01-05T08:30:00.000Z', '2026-01-05T09:00:00.000Z', '2026-01-05T09:30:00.000Z']);
  });

  it('stays on the local grid across a DST change inside one free interval', () => {
    // Lord Howe moves from UTC+10:30 to UTC+11 at 02:00 local on 2026-10-04 (15:30Z on the 3rd).
    const slots = slotsIn([{ start: at('2026-10-03T13:30:00Z'), end: at('2026-10-03T18:00:00Z') }], 60, 60, 'Australia/Lord_Howe');
    const local = slots.map((s) => DateTime.fromMillis(s.start, { zone: 'Australia/Lord_Howe' }).toFormat('HH:mm'));
    expect(local).toEqual(['00:00', '01:00', '03:00', '04:00']);
  });

  it('aligns to local half hours in a zone with a 30-minute offset (Australia/Lord_Howe, UTC+11 in summer)', () => {
    const slots = slotsIn([{ start: at('2026-01-05T22:00:00Z'), end: at('2026-01-06T00:00:00Z') }], 60, 60, 'Australia/Lord_Howe');
    // 22:00Z is 09:00 local, so hourly slots start at 22:00Z and 23:00Z.
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-01-05T22:00:00.000Z', '2026-01-05T23:00:00.000Z']);
  });
});

describe('workingIntervals at DST edges and with exceptions', () => {
  const daily = (start: string, end: string) => Object.values(Weekday).map((weekday) => ({ weekday, start, end }));

  it('follows the 30-minute DST change of Australia/Lord_Howe (UTC+10:30 -> UTC+11 on 2026-10-04)', () => {
    const result = workingIntervals(daily('09:00', '17:00'), 'Australia/Lord_Howe', { start: at('2026-10-02T12:00:00Z'), end: at('2026-10-04T12:00:00Z') });
    expect(result.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2026-10-02T22:30:00.000Z', '2026-10-03T06:30:00.000Z'],
      ['2026-10-03T22:00:00.000Z', '2026-10-04T06:00:00.000Z'],
    ]);
  });

  it('moves a start inside the spring gap forward by the gap, and takes the first of a repeated hour', () => {
    // Berlin, 2026-03-29: 02:00-03:00 does not exist; 02:00 local is read as 03:00 CEST (01:00Z).
    const spring = workingIntervals(daily('02:00', '04:00'), 'Europe/Berlin', { start: at('2026-03-29T00:00:00Z'), end: at('2026-03-29T12:00:00Z') });
    expect(spring.map((r) => [iso(r.start), iso(r.end)])).toEqual([['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
    // Berlin, 2026-10-25: 02:00-03:00 happens twice; 02:30 is the first (CEST, 00:30Z).
    const autumn = workingIntervals(daily('02:30', '04:00'), 'Europe/Berlin', { start: at('2026-10-24T23:00:00Z'), end: at('2026-10-25T12:00:00Z') });
    expect(autumn.map((r) => [iso(r.start), iso(r.end)])).toEqual([['2026-10-25T00:30:00.000Z', '2026-10-25T03:00:00.000Z']]);
  });

  it('replaces the hours of overridden dates and has none outside the validity range', () => {
    const window = { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-21T00:00:00Z') };
    const result = workingIntervals(daily('09:00', '17:00'), 'UTC', window, {
      dateOverrides: [
        { date: '2026-11-17', hours: [] },
        { date: '2026-11-18', hours: [{ start: '12:00', end: '14:00' }] },
      ],
      validFrom: '2026-11-17',
      validUntil: '2026-11-19',
    });
    expect(result.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2026-11-18T12:00:00.000Z', '2026-11-18T14:00:00.000Z'],
      ['2026-11-19T09:00:00.000Z', '2026-11-19T17:00:00.000Z'],
    ]);
  });
});
