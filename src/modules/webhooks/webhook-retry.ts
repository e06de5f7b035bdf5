import { retryAfterSeconds } from '../../providers/retry';
import { MAX_RETRY_DELAY_MS, type WebhookSettings } from './webhook-settings';

/** What one attempt's outcome asks for next. */
export type AttemptVerdict = { kind: 'succeeded' } | { kind: 'retry'; reason: string } | { kind: 'failed'; reason: string };

/**
 * Classifies an attempt: a 2xx answer succeeds; timeouts, connection errors, 408, 425, 429 and
 * 5xx are retried; any other answer (3xx, since redirects are not followed, and other 4xx) fails
 * at once: the receiver refused this request and sending it again will not change that.
 * @param status - the answer's HTTP status, or null when none came.
 */
export function verdictOf(status: number | null, failure: string | null): AttemptVerdict {
  if (status === null) return { kind: 'retry', reason: failure ?? 'no answer' };
  if (status >= 200 && status < 300) return { kind: 'succeeded' };
  if (status === 408 || status === 425 || status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}` };
  if (status >= 300 && status < 400) return { kind: 'failed', reason: `HTTP ${status}: redirects are not followed; give the endpoint's final URL` };
  return { kind: 'failed', reason: `HTTP ${status}` };
}

/**
 * When to try again after the `attempts`th attempt failed, or null when the delivery's retry window
 * (from `windowStartedAt`: its recording or its redelivery) has passed: exponential backoff from the base, doubling, with ±20 % jitter so
 * that deliveries failing together do not retry together, capped at 2 hours; or later when the
 * receiver's `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) asks for longer. A
 * `Retry-After` never shortens the backoff: `0` or a past date, answered every time, would
 * otherwise be retried in a loop for the whole window.
 */
export function nextAttemptAt(
  settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryWindowMs'>,
  windowStartedAt: Date,
  attempts: number,
  retryAfter: string | null,
  now = new Date(),
): Date | null {
  // The one Retry-After parser of the gateway (delay-seconds or an HTTP date; anything else says nothing).
  const asked = (retryAfterSeconds(retryAfter, now.getTime()) ?? 0) * 1000;
  const backoff = Math.min(settings.retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS) * (0.8 + Math.random() * 0.4);
  const at = now.getTime() + Math.max(asked, backoff);
  return at <= windowStartedAt.getTime() + settings.retryWindowMs ? new Date(at) : null;
}
