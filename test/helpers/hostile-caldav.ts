import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What one collection of a {@link HostileCalDav} answers to PROPFIND (depth 1) and REPORT:
 * - `normal`: its objects, as a well-behaved server;
 * - `huge`: a REPORT answer streamed without end (`hugeBytes`, default 200 MiB);
 * - `html`: 200 with a maintenance page; `truncated`: a 207 cut in the middle; `empty`: a 207
 *   with no response at all (not even the collection's own); `error`: 500 with a body that must
 *   never reach a client; `silent`: no answer at all (a server that hangs).
 */
export type CollectionMode = 'normal' | 'huge' | 'html' | 'truncated' | 'empty' | 'error' | 'silent';

/** One calendar of the account. */
export interface HostileCollection {
  /** Path segment under the home, e.g. `work`. */
  name: string;
  /** Calendar objects by name: whole VCALENDAR texts. */
  objects: Map<string, string>;
  mode: CollectionMode;
  /** The href the home listing gives for it; by default its own path (set it to point elsewhere). */
  href?: string;
}

/** A CalDAV server on loopback that a test turns hostile, with the requests it saw. */
export interface HostileCalDav {
  /** `http://<address>:<port>/`. */
  url: string;
  username: string;
  password: string;
  collections: Map<string, HostileCollection>;
  /** Where `/.well-known/caldav` redirects (default `/dav/`); an absolute URL sends discovery elsewhere. */
  wellKnown: string;
  /** The calendar-home-set href the principal names (default `/dav/home/`). */
  homeHref: string;
  /** Bytes a `huge` collection streams. */
  hugeBytes: number;
  /** `METHOD path` of every request, in order. */
  seen: string[];
  /** The most sockets open at once. */
  peakSockets: number;
  /** Adds (or replaces) a collection in `normal` mode and returns it. */
  addCollection(name: string, objects?: Record<string, string>): HostileCollection;
  close(): Promise<void>;
}

/** The text of `BODY` in a multistatus response of `mode: 'error'`, which no error message may carry. */
export const SECRET_BODY = 'INTERNAL-ONLY db_password=hunter2';

const xml = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">${body}</d:multistatus>`;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const propstat = (props: string) => `<d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>`;
const response = (href: string, props: string) => `<d:response><d:href>${escape(href)}</d:href>${propstat(props)}</d:response>`;
const calendarType = '<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>';

/**
 * Starts a minimal CalDAV server (Basic auth, one principal, one home, its collections) that
 * speaks just enough RFC 4791 and RFC 6764 for Calsync's discovery, listing and reads, and that
 * each collection can turn hostile (see {@link CollectionMode}).
 * @param host the loopback address to listen on (127.0.0.0/8 is all loopback on Linux).
 */
export async function startHostileCalDav(host = '127.0.0.1'): Promise<HostileCalDav> {
  const username = 'mallory';
  const password = 'not a secret';
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let sockets = 0;
  const state: Omit<HostileCalDav, 'url' | 'addCollection' | 'close'> = {
    username,
    password,
    collections: new Map(),
    wellKnown: '/dav/',
    homeHref: '/dav/home/',
    hugeBytes: 200 * 1024 * 1024,
    seen: [],
    peakSockets: 0,
  };

  const handle = async (request: IncomingMessage, reply: ServerResponse, body: string) => {
    const path = decodeURIComponent(new URL(request.url!, 'http://x').pathname);
    state.seen.push(`${request.method} ${path}`);
    if (path.startsWith('/.well-known/caldav')) return reply.writeHead(301, { location: state.wellKnown }).end();
    if (request.headers.authorization !== expected) return reply.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' }).end();
    const send = (text: string) => reply.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' }).end(text);
    if (path === '/dav/' || path === '/')
      return send(xml(response(path, '<d:current-user-principal><d:href>/dav/principal/</d:href></d:current-user-principal>')));
    if (path === '/dav/principal/') return send(xml(response(path, `<c:calendar-home-set><d:href>${escape(state.homeHref)}</d:href></c:calendar-home-set>`)));
    if (path === '/dav/home/') {
      const listing = [...state.collections.values()].map((collection) =>
        response(collection.href ?? `/dav/home/${collection.name}/`, `${calendarType}<d:displayname>${escape(collection.name)}</d:displayname>`),
      );
      return send(xml([response(path, '<d:resourcetype><d:collection/></d:resourcetype>'), ...listing].join('')));
    }
    const match = /^\/dav\/home\/([^/]+)\/(.*)$/.exec(path);
    const collection = match ? state.collections.get(match[1]) : undefined;
    if (!collection || !match) return reply.writeHead(404).end();
    const self = `/dav/home/${collection.name}/`;
    if (match[2] !== '') {
      const data = collection.objects.get(match[2]);
      return data === undefined ? reply.writeHead(404).end() : reply.writeHead(200, { 'content-type': 'text/calendar', etag: `"${data.length}"` }).end(data);
    }
    const depth = request.headers.depth ?? '0';
    if (request.method === 'PROPFIND' && depth === '0') return send(xml(response(self, `${calendarType}<cs:getctag>${Date.now()}</cs:getctag>`)));
    switch (collection.mode) {
      case 'html':
        return reply.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Down for maintenance</h1></body></html>');
      case 'truncated':
        return reply.writeHead(207, { 'content-type': 'application/xml' }).end(xml(response(self, calendarType)).slice(0, 120));
      case 'empty':
        return send(xml(''));
      case 'error':
        return reply.writeHead(500, { 'content-type': 'text/plain' }).end(SECRET_BODY);
      case 'silent':
        return;
      case 'huge':
        if (request.method === 'REPORT') return streamHuge(reply, self, state.hugeBytes);
        break;
      case 'normal':
        break;
    }
    const objects = [...collection.objects].map(([name, data]) => ({ href: `${self}${encodeURIComponent(name)}`, data }));
    if (request.method === 'PROPFIND')
      return send(xml([response(self, calendarType), ...objects.map((o) => response(o.href, `<d:getetag>"${o.data.length}"</d:getetag>`))].join('')));
    const wanted = body.includes('calendar-multiget') ? new Set([...body.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1])) : null;
    const chosen = objects.filter((o) => !wanted || wanted.has(o.href));
    return send(
      xml(chosen.map((o) => response(o.href, `<d:getetag>"${o.data.length}"</d:getetag><c:calendar-data>${escape(o.data)}</c:calendar-data>`)).join('')),
    );
  };

  const server: Server = createServer((request, reply) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void handle(request, reply, Buffer.concat(chunks).toString('utf8')).catch(() => reply.destroy()));
  });
  server.on('connection', (socket) => {
    sockets += 1;
    state.peakSockets = Math.max(state.peakSockets, sockets);
    socket.on('close', () => (sockets -= 1));
  });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://${host}:${port}/`,
    addCollection(name: string, objects: Record<string, string> = {}) {
      const collection: HostileCollection = { name, objects: new Map(Object.entries(objects)), mode: 'normal' };
      state.collections.set(name, collection);
      return collection;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A 207 whose one calendar-data never ends before `bytes`: as a server that streams a 200 MB object. */
function streamHuge(reply: ServerResponse, self: string, bytes: number): void {
  reply.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
  reply.write(
    `<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:href>${self}big.ics</d:href>`,
  );
  reply.write('<d:propstat><d:prop><c:calendar-data>BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:');
  const chunk = Buffer.alloc(1024 * 1024, 'A');
  let sent = 0;
  const pump = () => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!reply.write(chunk)) return void reply.once('drain', pump);
    }
    reply.end('\r\nEND:VEVENT\r\nEND:VCALENDAR</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>');
  };
  reply.on('error', () => undefined);
  pump();
}
