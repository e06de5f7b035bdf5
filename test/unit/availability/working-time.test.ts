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

  it('aligns to local half hours in a zone with a 30-minute offset (Australia/Lord_Howe, UTC+11 in summer)', () => {
    const slots = slotsIn([{ start: at('2026-01-05T22:00:00Z'), end: at('2026-01-06T00:00:00Z') }], 60, 60, 'Australia/Lord_Howe');
    // 22:00Z is 09:00 local, so hourly slots start at 22:00Z and 23:00Z.
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-01-05T22:00:00.000Z', '2026-01-05T23:00:00.000Z']);
  });
});
