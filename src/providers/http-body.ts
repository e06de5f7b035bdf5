import { ProviderError } from './provider';
import type { OutboundPolicy } from '../common/outbound';
import type { ReadBudget } from './read-budget';

/**
 * How the adapters of tenant-chosen servers (CalDAV, ICS feeds) reach them: the outbound address
 * policy, the largest answer they read (bytes, after decompression: OUTBOUND_MAX_RESPONSE_MB) and
 * the time one request may take, its answer included (milliseconds: OUTBOUND_REQUEST_TIMEOUT_SECONDS).
 */
export interface OutboundTransport {
  policy: OutboundPolicy;
  maxResponseBytes: number;
  requestTimeoutMs: number;
}

/**
 * Reads the body of an answer from a tenant-chosen server as text, streamed: at most `limit`
 * bytes (after decompression, which fetch does for gzip, deflate and br), every chunk counted
 * against the run's `budget`, decoded as UTF-8 unless the Content-Type names another charset.
 * A larger body is cancelled as soon as it passes the limit, so memory stays bounded by it.
 * @param source who answered, for the message ("The CalDAV server", "The feed at example.com").
 * @throws ProviderError UNKNOWN when the body is larger than `limit`; ReadBudgetExceeded
 *   (TEMPORARY) once the budget is spent; what the stream throws (an abort, a reset).
 */
export async function readBodyText(response: Response, limit: number, budget: ReadBudget | undefined, source: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    try {
      budget?.take(value.byteLength);
    } catch (error) {
      await reader.cancel();
      throw error;
    }
    if (size > limit) {
      await reader.cancel();
      throw new ProviderError('UNKNOWN', `${source}'s answer is larger than ${Math.round(limit / 1024 / 1024)} MiB`);
    }
    chunks.push(value);
  }
  const charset = /charset="?([\w-]+)"?/i.exec(response.headers.get('content-type') ?? '')?.[1] ?? 'utf-8';
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
