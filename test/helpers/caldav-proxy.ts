import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a {@link startProxy} does to the traffic. */
interface ProxyBehaviour {
  /** Requests answered 503 with this Retry-After before any is forwarded. */
  unavailable: number;
  retryAfter: string;
  /** Methods whose responses lose their ETag header. */
  stripEtag: Set<string>;
  /** Requests seen, in order: the method and the conditional header sent, e.g. `PUT If-None-Match: *`. */
  seen: string[];
  /** The authentication scheme of each request seen (`Basic`, `Digest`), or `none`. */
  authorizations: string[];
  /**
   * Awaited after the server answered and before the answer is passed on; when it rejects, the
   * connection is dropped without an answer (the write stays done, as when a client dies or the
   * network fails after the server committed).
   */
  afterForward: ((method: string, status: number) => Promise<void>) | null;
}

/** An HTTP proxy in front of Radicale that can fail requests or hide ETags; URLs keep their paths. */
export async function startProxy(target: string): Promise<{ url: string; behaviour: ProxyBehaviour; close(): Promise<void> }> {
  const behaviour: ProxyBehaviour = { unavailable: 0, retryAfter: '1', stripEtag: new Set(), seen: [], authorizations: [], afterForward: null };
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const condition = request.headers['if-none-match']
        ? ` If-None-Match: ${request.headers['if-none-match']}`
        : request.headers['if-match']
          ? ' If-Match'
          : '';
      behaviour.seen.push(`${request.method!}${condition}`);
      behaviour.authorizations.push(request.headers.authorization?.split(' ')[0] ?? 'none');
      if (behaviour.unavailable > 0) {
        behaviour.unavailable--;
        response.writeHead(503, { 'retry-after': behaviour.retryAfter }).end();
        return;
      }
      // Forwarded with node:http rather than fetch, whose body handling trips over Buffers shared with jest's realm.
      const upstream = new URL(request.url!, target);
      const answer = await forward(upstream, request, Buffer.concat(chunks));
      const answerHeaders = { ...answer.headers };
      if (behaviour.stripEtag.has(request.method!)) delete answerHeaders.etag;
      delete answerHeaders['content-length'];
      delete answerHeaders['transfer-encoding'];
      const held = await behaviour.afterForward?.(request.method!, answer.status).then(
        () => true,
        () => false,
      );
      if (held === false) {
        response.socket?.destroy();
        return;
      }
      response.writeHead(answer.status, answerHeaders).end(answer.body);
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, behaviour, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Sends the request on to `url` and reads the whole answer. */
function forward(url: URL, incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const headers = { ...incoming.headers, host: url.host, 'content-length': String(body.length) };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: incoming.method, headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (part: Buffer) => parts.push(part));
      answer.on('end', () => resolve({ status: answer.statusCode!, headers: answer.headers, body: Buffer.concat(parts) }));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
