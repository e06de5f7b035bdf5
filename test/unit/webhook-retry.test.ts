import { MAX_RANGES, mergeRanges, type BusyRange } from '../../src/modules/webhooks/busy-ranges';
import { nextAttemptAt, verdictOf } from '../../src/modules/webhooks/webhook-retry';
import { MAX_RETRY_DELAY_MS } from '../../src/modules/webhooks/webhook-settings';

const NOW = new Date('2030-03-04T12:00:00Z');
const SETTINGS = { retryBaseMs: 5_000, retryWindowMs: 24 * 3_600_000 };

describe('verdictOf: which answers are retried', () => {
  it('succeeds on any 2xx', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(verdictOf(status, null)).toEqual({ kind: 'succeeded' });
  });

  it('retries no answer (with its reason), 408, 425, 429 and every 5xx', () => {
    expect(verdictOf(null, 'no answer within 15 s')).toEqual({ kind: 'retry', reason: 'no answer within 15 s' });
    expect(verdictOf(null, null)).toEqual({ kind: 'retry', reason: 'no answer' });
    for (const status of [408, 425, 429, 500, 502, 503, 504, 599]) expect(verdictOf(status, null)).toEqual({ kind: 'retry', reason: `HTTP ${status}` });
  });

  it('fails at once on redirects (not followed) and on other 4xx', () => {
    for (const status of [301, 302, 307, 308]) {
      const verdict = verdictOf(status, null);
      expect(verdict.kind).toBe('failed');
      expect(verdict).toMatchObject({ reason: expect.stringContaining(`HTTP ${status}: redirects are not followed`) });
    }
    for (const status of [400, 401, 403, 404, 410, 413, 422]) expect(verdictOf(status, null)).toEqual({ kind: 'failed', reason: `HTTP ${status}` });
  });
});

describe('nextAttemptAt: backoff, Retry-After, and the retry window', () => {
  afterEach(() => jest.restoreAllMocks());

  const delayOf = (attempts: number, retryAfter: string | null = null, recordedAt = NOW) => {
    const at = nextAttemptAt(SETTINGS, recordedAt, attempts, retryAfter, NOW);
    return at === null ? null : at.getTime() - NOW.getTime();
  };

  it('doubles from the base with ±20 % jitter', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([1, 2, 3, 4, 5].map((attempts) => delayOf(attempts))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    jest.spyOn(Math, 'random').mockReturnValue(0);
    expect(delayOf(1)).toBe(4_000);
    jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(delayOf(1)).toBeCloseTo(6_000, -1);
  });

  it('spreads deliveries that failed together', () => {
    const delays = Array.from({ length: 200 }, () => delayOf(3)!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(16_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(24_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it('caps the wait at 2 hours (jitter around the cap), however many attempts', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(delayOf(12)).toBe(MAX_RETRY_DELAY_MS);
    expect(delayOf(2_000)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('reads Retry-After as delay-seconds or an HTTP date in any of its three forms (RFC 9110 §10.2.3), and nothing else', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(delayOf(1, 'Mon, 04 Mar 2030 12:01:30 GMT')).toBe(90_000);
    expect(delayOf(1, 'Monday, 04-Mar-30 12:01:30 GMT')).toBe(90_000);
    expect(delayOf(1, 'Mon Mar  4 12:01:30 2030')).toBe(90_000);
    // V8's Date.parse would read "1.5" and "-1" as dates in 2001: here they say nothing, and the backoff stands.
    for (const value of ['soon', '1.5', '-1', '5s', '1e3', '12 34', 'Sun, 03 Mar 2030 12:00:00 GMT']) expect(delayOf(1, value)).toBe(5_000);
  });

  it('waits as long as Retry-After asks, without jitter, when that is longer than the backoff', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(delayOf(1, '30')).toBe(30_000);
    expect(delayOf(1, 'Mon, 04 Mar 2030 13:00:00 GMT')).toBe(3_600_000);
    // Longer than the 2-hour cap of the backoff: asked is asked.
    expect(delayOf(20, '10800')).toBe(10_800_000);
  });

  it('never retries sooner than the backoff, so that a receiver answering Retry-After: 0 (or a past date) is not retried in a loop', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(delayOf(1, '0')).toBe(5_000);
    expect(delayOf(4, '1')).toBe(40_000);
    expect(delayOf(2, 'Sun, 03 Mar 2030 12:00:00 GMT')).toBe(10_000);
    // A value that does not parse is no Retry-After: the backoff.
    expect(delayOf(3, '1.5')).toBe(20_000);
  });

  it('gives up (null) once the next attempt would fall after the window counted from the event', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const windowEnd = NOW.getTime() + 60_000 - SETTINGS.retryWindowMs;
    // 60 s left in the window: a 40 s wait fits, an 80 s one does not, exactly 60 s does.
    expect(delayOf(4, null, new Date(windowEnd))).toBe(40_000);
    expect(delayOf(5, null, new Date(windowEnd))).toBeNull();
    expect(delayOf(1, '60', new Date(windowEnd))).toBe(60_000);
    expect(delayOf(1, '61', new Date(windowEnd))).toBeNull();
    // A receiver asking for longer than the whole window ends the delivery at once.
    expect(delayOf(1, String(25 * 3600))).toBeNull();
  });
});

describe('mergeRanges: the ranges of an availability.changed', () => {
  const range = (from: string, to: string): BusyRange => ({ from: new Date(`2030-03-04T${from}:00Z`), to: new Date(`2030-03-04T${to}:00Z`) });
  const text = (ranges: BusyRange[]) => ranges.map((r) => `${r.from.toISOString().slice(11, 16)}-${r.to.toISOString().slice(11, 16)}`);

  it('sorts, joins overlapping, touching and contained ranges, and keeps gaps', () => {
    const merged = mergeRanges([
      range('14:00', '15:00'),
      range('09:00', '10:00'),
      range('09:30', '11:00'),
      range('11:00', '11:30'),
      range('09:45', '09:50'),
      range('16:00', '17:00'),
    ]);
    expect(text(merged)).toEqual(['09:00-11:30', '14:00-15:00', '16:00-17:00']);
  });

  it('leaves its input as it was', () => {
    const input = [range('09:00', '10:00'), range('09:30', '11:00')];
    const copy = input.map((r) => ({ from: new Date(r.from), to: new Date(r.to) }));
    mergeRanges(input);
    expect(input).toEqual(copy);
  });

  it('is empty for no changes, and one range for one', () => {
    expect(mergeRanges([])).toEqual([]);
    expect(text(mergeRanges([range('08:00', '08:30')]))).toEqual(['08:00-08:30']);
  });

  it(`keeps up to ${MAX_RANGES} separate ranges; more become the one range that covers them`, () => {
    const hourly = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        from: new Date(Date.UTC(2030, 2, 4) + i * 3_600_000),
        to: new Date(Date.UTC(2030, 2, 4) + i * 3_600_000 + 600_000),
      }));
    expect(mergeRanges(hourly(MAX_RANGES))).toHaveLength(MAX_RANGES);
    const many = hourly(MAX_RANGES + 1).reverse();
    expect(mergeRanges(many)).toEqual([{ from: new Date(Date.UTC(2030, 2, 4)), to: new Date(Date.UTC(2030, 2, 4) + MAX_RANGES * 3_600_000 + 600_000) }]);
  });
});
