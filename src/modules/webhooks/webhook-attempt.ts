import { OutboundRefusedError, type OutboundPolicy } from '../../common/outbound';
import { RESPONSE_BODY_LIMIT } from './webhook-delivery.entity';
import type { SignedHeaders } from './webhook-signing';

/** What one attempt came to. */
export interface AttemptResult {
  /** The answer's HTTP status, or null when none came. */
  status: number | null;
  /** The start of the answer's body (at most {@link RESPONSE_BODY_LIMIT} bytes), or null. */
  body: string | null;
  /** The answer's `Retry-After` header, or null. */
  retryAfter: string | null;
  /** Why no answer came (timeout, refused address, connection error), in words; null when one came. */
  failure: string | null;
  latencyMs: number;
}

/**
 * POSTs one signed body to an endpoint through the outbound policy (which refuses private,
 * loopback and link-local targets unless the operator allows them, and never follows redirects),
 * within `timeoutMs` for connecting, sending and the answer's first bytes, and reads at most
 * {@link RESPONSE_BODY_LIMIT} bytes of the answer. Never throws: every failure is a result.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#delivery-behavior
 */
export async function attemptDelivery(policy: OutboundPolicy, url: string, body: string, headers: SignedHeaders, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await policy.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Calsync-Webhooks/1', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readStart(response, RESPONSE_BODY_LIMIT);
    return { status: response.status, body: text, retryAfter: response.headers.get('retry-after'), failure: null, latencyMs: elapsed() };
  } catch (error) {
    return { status: null, body: null, retryAfter: null, failure: describeFailure(error, timeoutMs), latencyMs: elapsed() };
  }
}

/** The first `limit` bytes of a body as text (cut at a character boundary), the rest not read; null when empty. */
async function readStart(response: Response, limit: number): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still leaves its status: the start read so far is kept.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks).subarray(0, limit));
  return text === '' ? null : text.replace(/\uFFFD$/, '');
}

/** A failure in words that name no secret and no remote body. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof OutboundRefusedError) return `refused by the outbound policy: ${error.message}`;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `connection failed: ${cause?.code ?? cause?.message ?? (error as Error).message ?? 'unknown error'}`;
}
