import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** An HTTP answer read to its end. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * No keep-alive: the test servers are stopped between files, and pooled sockets to a dead server
 * (or idle ones keeping jest alive) only cause noise.
 */
const agent = new Agent({ keepAlive: false });

/**
 * Sends one request with node:http and reads the whole answer; redirects are not followed. Used
 * instead of fetch because fetch's body handling trips over Buffers shared with jest's realm
 * (see test/helpers/caldav-proxy.ts) and because it hides 3xx answers' Location from us.
 */
export function send(
  url: string | URL,
  options: { method?: string; headers?: Record<string, string | string[] | undefined>; body?: string | Buffer } = {},
): Promise<HttpAnswer> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(target, { method: options.method ?? 'GET', headers, agent }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (part: Buffer) => parts.push(part));
      answer.on('end', () => resolve({ status: answer.statusCode!, headers: answer.headers, body: Buffer.concat(parts) }));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Polls `url` until anything answers (any status), or fails after `timeoutMs` or when `exited()` says the server died. */
export async function waitUntilAnswering(url: string, what: string, exited: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`${what} exited before answering on ${url}`);
    try {
      await send(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${what} did not answer on ${url} within ${timeoutMs / 1000} s`);
}
