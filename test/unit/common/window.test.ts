import { eventInWindow, overlapsWindow, overlapsWindowParams, overlapsWindowSql } from '../../../src/common/window';

const FROM = 1_000;
const TO = 2_000;

describe('overlapsWindow: [start, end) against [from, to) (RFC 4791 section 9.9)', () => {
  it.each([
    ['inside', 1_200, 1_800, true],
    ['covering the window', 500, 2_500, true],
    ['running into the window', 500, 1_001, true],
    ['running out of the window', 1_999, 2_500, true],
    ['ending where the window starts', 500, 1_000, false],
    ['starting where the window ends', 2_000, 2_500, false],
    ['before', 100, 500, false],
    ['after', 2_500, 3_000, false],
  ])('an event %s', (_, start, end, expected) => {
    expect(overlapsWindow(start, end, FROM, TO)).toBe(expected);
  });

  it.each([
    ['at from', 1_000, true],
    ['inside', 1_500, true],
    ['just before to', 1_999, true],
    ['at to', 2_000, false],
    ['before from', 999, false],
  ])('a zero-length event %s', (_, at, expected) => {
    expect(overlapsWindow(at, at, FROM, TO)).toBe(expected);
  });

  it('reads events and windows of Dates the same way', () => {
    const at = new Date(FROM);
    const window = { from: new Date(FROM), to: new Date(TO) };
    expect(eventInWindow({ startsAt: at, endsAt: at }, window)).toBe(true);
    expect(eventInWindow({ startsAt: new Date(TO), endsAt: new Date(TO) }, window)).toBe(false);
    expect(eventInWindow({ startsAt: new Date(500), endsAt: new Date(FROM) }, window)).toBe(false);
  });

  it('gives the SQL form one parameter per placeholder', () => {
    const window = { from: new Date(FROM), to: new Date(TO) };
    expect(overlapsWindowSql('starts_at', 'ends_at').split('?')).toHaveLength(overlapsWindowParams(window).length + 1);
  });
});
