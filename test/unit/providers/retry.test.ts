import { ProviderError } from '../../../src/providers/provider';
import { retryAfterSeconds, withRetry } from '../../../src/providers/retry';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('retryAfterSeconds (RFC 9110 section 10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterSeconds('120', NOW)).toBe(120);
    expect(retryAfterSeconds(' 0 ', NOW)).toBe(0);
    expect(retryAfterSeconds('3600', NOW)).toBe(3600);
  });

  it('reads an IMF-fixdate as the seconds until it, rounded up', () => {
    expect(retryAfterSeconds('Wed, 02 Dec 2026 12:01:00 GMT', NOW)).toBe(60);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 12:00:00 GMT', NOW - 500)).toBe(1);
  });

  it('reads the obsolete RFC 850 and asctime forms', () => {
    expect(retryAfterSeconds('Wednesday, 02-Dec-26 12:00:30 GMT', NOW)).toBe(30);
    expect(retryAfterSeconds('Wed Dec  2 12:02:00 2026', NOW)).toBe(120);
    expect(retryAfterSeconds('Wed Dec 12 12:00:00 2026', NOW)).toBe(10 * 86_400);
  });

  it('takes a date in the past as no wait at all', () => {
    expect(retryAfterSeconds('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
    expect(retryAfterSeconds('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(0);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 11:59:59 GMT', NOW)).toBe(0);
  });

  it('says nothing for an absent or unreadable value', () => {
    for (const value of [
      undefined,
      null,
      '',
      '  ',
      '-5',
      '1.5',
      '1e3',
      'soon',
      'foo 12',
      'Dec 2',
      '2026-12-02T12:01:00Z',
      'Wed, 31 Feb 2026 12:00:00 GMT',
      'Wed, 02 Dec 2026 25:00:00 GMT',
      'Wed, 02 Dec 2026 12:01:00 CET',
    ]) {
      expect([value, retryAfterSeconds(value, NOW)]).toEqual([value, undefined]);
    }
  });
});

describe('withRetry', () => {
  const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1_000 };

  it('waits a Retry-After within maxDelayMs and tries again', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls === 1) throw new ProviderError('TEMPORARY', 'throttled', 0);
      return 'done';
    }, policy);
    expect([result, calls]).toEqual(['done', 2]);
  });

  it('does not wait for a Retry-After longer than maxDelayMs: the error is thrown as it is', async () => {
    let calls = 0;
    const failure = new ProviderError('TEMPORARY', 'throttled', 2);
    await expect(
      withRetry(async () => {
        calls += 1;
        throw failure;
      }, policy),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('retries without Retry-After until the attempts are spent', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new ProviderError('TEMPORARY', 'unavailable');
      }, policy),
    ).rejects.toMatchObject({ code: 'TEMPORARY' });
    expect(calls).toBe(3);
  });
});
