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
 * Seconds to wait from a `Retry-After` value, either delay-seconds or an HTTP-date (RFC 9110
 * section 10.2.3); undefined when absent or unreadable.
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
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
