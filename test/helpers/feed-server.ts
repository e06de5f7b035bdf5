import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** One published feed: its body, and the validators it is served with. */
export interface FeedEntry {
  body: string;
  /** Serve an ETag (a hash of the body) and honour If-None-Match. Default true. */
  etag?: boolean;
  /** Serve this Last-Modified and honour If-Modified-Since. Default: when the body was set. */
  lastModified?: Date | null;
  /** Content-Type; default `text/calendar; charset=utf-8`. */
  contentType?: string;
  /** gzip the body for clients that accept it. */
  gzip?: boolean;
}

/** What the server saw of one request. */
export interface FeedRequest {
  path: string;
  status: number;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  acceptEncoding: string | null;
  /** Bytes of body written before the answer ended or the client went away. */
  bytesSent: number;
}

/**
 * A small publisher of ICS feeds on 127.0.0.1 for tests, as calendar hosts serve them: ETag and
 * Last-Modified with 304 answers to conditional GETs (RFC 9110 section 13), gzip, redirects,
 * and misbehaviour on request (an endless body, a trickle, an HTML page).
 */
export interface FeedServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: FeedRequest[];
  /** Publishes (or replaces) the feed at `path`. */
  publish(path: string, entry: FeedEntry): void;
  /** Withdraws the feed at `path`: 404 from now on. */
  withdraw(path: string): void;
  /** `path` answers `status` with `Location: location`. */
  redirect(path: string, location: string, status?: number): void;
  /** `path` streams `bytes` of a VCALENDAR that never ends, as fast as the client reads. */
  endless(path: string, bytes: number): void;
  /** `path` sends its headers, then one line every `everyMs`, forever. */
  trickle(path: string, everyMs: number): void;
  close(): Promise<void>;
}

type Route =
  | { kind: 'feed'; entry: FeedEntry; etag: string; lastModified: Date | null }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'endless'; bytes: number }
  | { kind: 'trickle'; everyMs: number };

/** Starts a feed server on a free loopback port. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: FeedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', url).pathname;
    const record: FeedRequest = {
      path,
      status: 200,
      ifNoneMatch: req.headers['if-none-match']?.toString() ?? null,
      ifModifiedSince: req.headers['if-modified-since']?.toString() ?? null,
      acceptEncoding: req.headers['accept-encoding']?.toString() ?? null,
      bytesSent: 0,
    };
    requests.push(record);
    const answer = (status: number, headers: Record<string, string> = {}, body?: Buffer | string) => {
      record.status = status;
      res.writeHead(status, headers);
      if (body !== undefined) record.bytesSent += Buffer.byteLength(body);
      res.end(body);
    };
    const route = routes.get(path);
    if (!route) return answer(404, { 'content-type': 'text/plain' }, 'Not found');
    if (route.kind === 'redirect') return answer(route.status, { location: route.location });
    if (route.kind === 'endless') return streamEndless(res, record, route.bytes);
    if (route.kind === 'trickle') return trickleForever(res, record, route.everyMs);
    const { entry } = route;
    const validators: Record<string, string> = {};
    if (entry.etag !== false) validators.etag = route.etag;
    if (route.lastModified) validators['last-modified'] = route.lastModified.toUTCString();
    const notModified =
      record.ifNoneMatch !== null
        ? entry.etag !== false && record.ifNoneMatch === route.etag
        : record.ifModifiedSince !== null &&
          route.lastModified !== null &&
          Date.parse(record.ifModifiedSince) >= Math.floor(route.lastModified.getTime() / 1000) * 1000;
    if (notModified) return answer(304, validators);
    const headers: Record<string, string> = { 'content-type': entry.contentType ?? 'text/calendar; charset=utf-8', ...validators };
    if (entry.gzip && /\bgzip\b/.test(record.acceptEncoding ?? '')) {
      return answer(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }, gzipSync(entry.body));
    }
    answer(200, headers, entry.body);
  }

  function streamEndless(res: ServerResponse, record: FeedRequest, bytes: number): void {
    res.writeHead(200, { 'content-type': 'text/calendar' });
    const line = Buffer.from(`X-PADDING:${'x'.repeat(1013)}\r\n`);
    res.write('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
    const pump = () => {
      while (record.bytesSent < bytes) {
        record.bytesSent += line.length;
        if (!res.write(line)) return void res.once('drain', pump);
      }
      res.end('END:VCALENDAR\r\n');
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  function trickleForever(res: ServerResponse, record: FeedRequest, everyMs: number): void {
    res.writeHead(200, { 'content-type': 'text/calendar' });
    res.write('BEGIN:VCALENDAR\r\n');
    const timer = setInterval(() => {
      record.bytesSent += 16;
      res.write('X-SLOW:trickle\r\n');
    }, everyMs);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  }

  return {
    url,
    requests,
    publish(path, entry) {
      routes.set(path, {
        kind: 'feed',
        entry,
        etag: `"${createHash('sha256').update(entry.body).digest('hex').slice(0, 16)}"`,
        lastModified: entry.lastModified === undefined ? new Date() : entry.lastModified,
      });
    },
    withdraw: (path) => void routes.delete(path),
    redirect: (path, location, status = 302) => void routes.set(path, { kind: 'redirect', location, status }),
    endless: (path, bytes) => void routes.set(path, { kind: 'endless', bytes }),
    trickle: (path, everyMs) => void routes.set(path, { kind: 'trickle', everyMs }),
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
