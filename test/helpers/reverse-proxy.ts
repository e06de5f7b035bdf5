import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send } from './http-send';

/** A request as the proxy received it, body read. */
export interface ProxiedRequest {
  method: string;
  /** The Host header the client sent, e.g. `localhost:40123`. */
  host: string;
  /** Path and query as sent, e.g. `/alice/work/a%40b.ics`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An answer to pass back to the client. */
export interface ProxyAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What a {@link startReverseProxy} does besides forwarding. */
export interface ReverseProxyOptions {
  /** Upstream base URL, e.g. `http://127.0.0.1:40123/`; request paths are kept as they are. */
  target: string;
  /** Loopback addresses to listen on, on one port; one that is not available (e.g. no IPv6) is skipped. Default 127.0.0.1. */
  listen?: string[];
  /** Answers a request itself (a 401, a redirect, a refusal) instead of forwarding it, when it returns (or resolves to) an answer. */
  intercept?(request: ProxiedRequest): ProxyAnswer | undefined | Promise<ProxyAnswer | undefined>;
  /** Edits the upstream's answer; when set, the upstream is asked for an uncompressed body. */
  rewrite?(request: ProxiedRequest, answer: ProxyAnswer): ProxyAnswer;
}

/** A running reverse proxy. */
export interface ReverseProxy {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer'];

/**
 * A buffering HTTP reverse proxy on loopback that keeps the client's Host header (as nginx with
 * `proxy_set_header Host $host` does), so servers that build absolute URLs from it (Xandikos)
 * point at the proxy, not at themselves.
 */
export async function startReverseProxy(options: ReverseProxyOptions): Promise<ReverseProxy> {
  const handle = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const request: ProxiedRequest = {
        method: incoming.method!,
        host: incoming.headers.host ?? '',
        path: incoming.url!,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      try {
        let answer = (await options.intercept?.(request)) ?? (await forward(options.target, request, Boolean(options.rewrite)));
        if (options.rewrite) answer = options.rewrite(request, answer);
        reply(request, outgoing, answer);
      } catch (error) {
        reply(request, outgoing, { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`Proxy error: ${(error as Error).message}\n`) });
      }
    });
  };
  const servers: Server[] = [];
  let port = 0;
  for (const address of options.listen ?? ['127.0.0.1']) {
    const server = createServer(handle);
    try {
      server.listen(port, address);
      await once(server, 'listening');
    } catch (error) {
      if (servers.length === 0) throw error;
      continue;
    }
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      await Promise.all(
        servers.map((server) => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          return closed;
        }),
      );
    },
  };
}

/** Sends the request on to `target` (its path kept) and reads the whole answer. */
export async function forward(target: string, request: ProxiedRequest, uncompressed: boolean): Promise<ProxyAnswer> {
  const headers: Record<string, string | string[] | undefined> = { ...request.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  delete headers['content-length'];
  if (uncompressed) delete headers['accept-encoding'];
  const answer = await send(new URL(request.path, target), { method: request.method, headers, body: request.body.length ? request.body : undefined });
  return { status: answer.status, headers: answer.headers, body: answer.body };
}

function reply(request: ProxiedRequest, outgoing: ServerResponse, answer: ProxyAnswer): void {
  const headers = { ...answer.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  // A HEAD answer keeps the upstream's Content-Length (of the body it did not send).
  const bodiless = request.method === 'HEAD' || answer.status === 204 || answer.status === 304;
  if (!bodiless) headers['content-length'] = String(answer.body.length);
  outgoing.writeHead(answer.status, headers);
  outgoing.end(bodiless ? undefined : answer.body);
}
