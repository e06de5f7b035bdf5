import { ProviderError } from './provider';
import { ReadBudgetExceeded } from './read-budget';

/** How long and how often a TEMPORARY provider failure is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff, milliseconds; it doubles on every attempt. */
  baseDelayMs: number;
  /** Longest single wait, milliseconds, for backoff and for Retry-After alike. */
  maxDelayMs: number;
}

/**
 * Seconds to wait from a `Retry-After` value: delay-seconds, or an HTTP-date in any of its three
 * forms (IMF-fixdate, the obsolete RFC 850 and asctime forms, all GMT); a date in the past is 0.
 * Undefined when absent or not one of these: such a value says nothing, and the caller backs
 * off on its own. Every adapter reads the header through this one function.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** An HTTP-date (RFC 9110 section 5.6.7) as epoch milliseconds; undefined for anything else. */
function parseHttpDate(text: string, now: number): number | undefined {
  let fields: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  let match = IMF_FIXDATE.exec(text);
  if (match) fields = [match[1], match[2], Number(match[3]), match[4], match[5], match[6]];
  else if ((match = RFC850_DATE.exec(text))) fields = [match[1], match[2], fullYear(Number(match[3]), now), match[4], match[5], match[6]];
  else if ((match = ASCTIME_DATE.exec(text))) fields = [match[2], match[1], Number(match[6]), match[3], match[4], match[5]];
  if (!fields) return undefined;
  const [day, month, year, hour, minute, second] = [
    Number(fields[0]),
    MONTHS.indexOf(fields[1]),
    fields[2],
    Number(fields[3]),
    Number(fields[4]),
    Number(fields[5]),
  ];
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  // No rollover: 31 Feb or 25:00 is not a date.
  const exact = date.getUTCDate() === day && date.getUTCMonth() === month && date.getUTCHours() === hour && date.getUTCMinutes() === minute;
  return exact && second <= 60 ? date.getTime() : undefined;
}

/** RFC 850's two-digit year: the one of that century that is not more than 50 years ahead (section 5.6.7). */
function fullYear(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  let year = current - (current % 100) + twoDigits;
  if (year > current + 50) year -= 100;
  return year;
}

/** 5 attempts, 0.5 s doubling up to 30 s: about a minute of patience for one request. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * Runs `operation`, retrying it while it throws a TEMPORARY {@link ProviderError} (429, 403
 * rateLimitExceeded, 5xx, network). Waits what the provider's `Retry-After` says (RFC 9110
 * section 10.2.3) or else an exponential backoff with full jitter; a Retry-After longer than
 * `maxDelayMs` is not waited for, and a {@link ReadBudgetExceeded} is not retried. The last
 * error is thrown when the attempts are spent; once `signal` aborts, nothing more is tried and
 * its reason is thrown.
 * @see https://developers.google.com/calendar/api/guides/quota#backoff
 * @see https://learn.microsoft.com/graph/throttling
 */
export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      // Once the caller gave up (a run's deadline, a shutdown), its reason wins over retrying.
      signal?.throwIfAborted();
      if (!(error instanceof ProviderError) || error.code !== 'TEMPORARY' || attempt >= policy.attempts) throw error;
      // Temporary for the connection (the next run reads on), but this run has read its fill.
      if (error instanceof ReadBudgetExceeded) throw error;
      const delay = delayBefore(attempt, error, policy);
      if (delay === null) throw error;
      await pause(delay, signal);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts (then with its reason). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function delayBefore(attempt: number, error: ProviderError, policy: RetryPolicy): number | null {
  if (error.retryAfterSeconds !== undefined) {
    const asked = error.retryAfterSeconds * 1000;
    return asked > policy.maxDelayMs ? null : asked;
  }
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}
