import { basicChallenge, hasBasicCredentials, type BasicCredentials } from './basic-auth-proxy';
import type { CalDavTestServer } from './caldav-test-server';
import { davRequester } from './dav-client';
import { decodeXmlText, escapeXml } from './dav-xml';
import { startReverseProxy, type ProxiedRequest, type ProxyAnswer, type ReverseProxy } from './reverse-proxy';

/** A server reached through layout proxies; requests that reached them are logged. */
export interface CalDavLayout extends CalDavTestServer {
  /** `METHOD host path` of every request that reached one of the layout's proxies, in order. */
  seen: string[];
  /** Closes the layout's proxies only; {@link CalDavTestServer.stop} also stops the server underneath. */
  close(): Promise<void>;
}

/** {@link twoHosts}' layout: `url` is host A, calendars live on {@link hostB}. */
export interface TwoHostsLayout extends CalDavLayout {
  /** Host B's root, `http://localhost:<port>/`. */
  hostB: string;
}

const notHere = (what: string): ProxyAnswer => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`${what}\n`) });

/** A path with its percent-encoding undone, for comparisons (servers and clients encode differently). */
function decodedPath(path: string): string {
  const bare = path.split('?')[0]!;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** Rewrites the value of every `<…href>` element (any prefix) with `change`, which gets it unescaped and returns null to keep it. */
function rewriteHrefs(xml: string, change: (href: string) => string | null): string {
  return xml.replace(/<((?:[\w.-]+:)?href)(\s[^>]*)?>([^<]*)<\/\1\s*>/g, (whole, tag: string, attributes: string | undefined, value: string) => {
    const changed = change(decodeXmlText(value).trim());
    return changed === null ? whole : `<${tag}${attributes ?? ''}>${escapeXml(changed)}</${tag}>`;
  });
}

const isXml = (answer: ProxyAnswer) => /xml/i.test(String(answer.headers['content-type'] ?? '')) && answer.body.length > 0;

/**
 * The layout-independent part of a wrapped server: the test-side operations go to the server
 * underneath directly, with collection URLs translated between what the client sees and the server.
 */
function wrap(
  server: CalDavTestServer,
  layout: {
    label: string;
    url: string;
    principalUrl: string;
    calendarHomeUrl: string;
    seen: string[];
    proxies: ReverseProxy[];
    /** A URL of the server underneath as the client sees it, and back. */
    clientUrl(serverUrl: string): string;
    serverUrl(clientUrl: string): string;
  },
  password: { set(value: string): void; get(): string },
): CalDavLayout {
  const close = async () => {
    await Promise.all(layout.proxies.map((proxy) => proxy.close()));
  };
  return {
    kind: server.kind,
    label: layout.label,
    url: layout.url,
    username: server.username,
    password: server.password,
    auth: server.auth,
    principalUrl: layout.principalUrl,
    calendarHomeUrl: layout.calendarHomeUrl,
    seen: layout.seen,
    putCalendar: async (name, ics, options) => layout.clientUrl(await server.putCalendar(name, ics, options)),
    putObject: (collection, objectName, ics) => server.putObject(layout.serverUrl(collection), objectName, ics),
    deleteObject: (collection, objectName) => server.deleteObject(layout.serverUrl(collection), objectName),
    putEvent: (collection, uid, ics) => server.putEvent(layout.serverUrl(collection), uid, ics),
    deleteEvent: (collection, uid) => server.deleteEvent(layout.serverUrl(collection), uid),
    deleteCalendar: (collection) => server.deleteCalendar(layout.serverUrl(collection)),
    listObjects: (collection) => server.listObjects(layout.serverUrl(collection)),
    async setPassword(value) {
      await server.setPassword(value);
      password.set(value);
    },
    request: davRequester(server.auth, server.username, password.get),
    close,
    async stop() {
      await close();
      await server.stop();
    },
  };
}

/** `url` with its origin replaced by `origin` (path and query kept as written). */
function rebase(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}

/**
 * The iCloud layout: discovery and the principal on host A (`url`, `http://127.0.0.1:P/`), the
 * calendar home on host B (`http://localhost:Q/`, a different origin), as caldav.icloud.com and
 * pNN-caldav.icloud.com. Host A rewrites, in its XML answers, the calendar-home-set href and every
 * href under the home to absolute host B URLs; host B rewrites hrefs outside the home (the owner,
 * the principal) to absolute host A URLs. Each host answers 404 for paths that belong to the other
 * one (host A: the calendars under the home; host B: anything outside it), and both require the
 * server's Basic credentials themselves, so a client that does not send them to host B gets 401.
 * Wrap the server before changing its password (the proxies start from `server.password`).
 */
export async function twoHosts(server: CalDavTestServer): Promise<TwoHostsLayout> {
  if (server.auth !== 'basic') throw new Error(`twoHosts needs a Basic-auth server; ${server.label} uses ${server.auth}`);
  let password = server.password;
  const credentials: BasicCredentials = { realm: 'two hosts', username: server.username, password: () => password };
  const principal = decodedPath(new URL(server.principalUrl).pathname);
  const home = decodedPath(new URL(server.calendarHomeUrl).pathname);
  const underHome = (path: string) => decodedPath(path).startsWith(home);
  // Radicale's principal is its own calendar home; the principal itself then stays on host A.
  const hostBOwns = (path: string) => underHome(path) && (decodedPath(path) !== principal || home !== principal);
  const serverOrigin = new URL(server.url).origin;
  const seen: string[] = [];
  const origins = { a: '', b: '' };

  /** The path of an href naming this server (absolute-path, or absolute on a known origin), else null. */
  const ownPath = (href: string): string | null => {
    if (href.startsWith('/')) return href;
    try {
      const parsed = new URL(href);
      return [serverOrigin, origins.a, origins.b].includes(parsed.origin) ? `${parsed.pathname}${parsed.search}` : null;
    } catch {
      return null;
    }
  };

  const gate = (host: 'A' | 'B') => (request: ProxiedRequest) => {
    seen.push(`${request.method} ${request.host} ${request.path}`);
    if (!hasBasicCredentials(request, credentials)) return basicChallenge(credentials.realm);
    if (host === 'A' && hostBOwns(request.path)) return notHere(`Not on this host: calendars are on ${origins.b}/`);
    if (host === 'B' && !underHome(request.path)) return notHere(`Not on this host: ${origins.a}/ serves discovery and principals`);
    return undefined;
  };

  const hostA = await startReverseProxy({
    target: server.url,
    intercept: gate('A'),
    rewrite(_request, answer) {
      if (!isXml(answer)) return answer;
      const toB = (href: string) => {
        const path = ownPath(href);
        return path === null ? null : `${origins.b}${path}`;
      };
      let xml = answer.body.toString('utf8');
      xml = xml.replace(
        /<((?:[\w.-]+:)?calendar-home-set)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/g,
        (_whole, tag: string, attributes: string | undefined, inner: string) => `<${tag}${attributes ?? ''}>${rewriteHrefs(inner, toB)}</${tag}>`,
      );
      xml = rewriteHrefs(xml, (href) => {
        const path = ownPath(href);
        return path !== null && !href.startsWith(origins.b) && hostBOwns(path) ? `${origins.b}${path}` : null;
      });
      return { ...answer, body: Buffer.from(xml, 'utf8') };
    },
  });
  const hostB = await startReverseProxy({
    target: server.url,
    listen: ['127.0.0.1', '::1'],
    intercept: gate('B'),
    rewrite(_request, answer) {
      if (!isXml(answer)) return answer;
      const xml = rewriteHrefs(answer.body.toString('utf8'), (href) => {
        const path = ownPath(href);
        return path !== null && !href.startsWith(origins.a) && !underHome(path) ? `${origins.a}${path}` : null;
      });
      return { ...answer, body: Buffer.from(xml, 'utf8') };
    },
  });
  origins.a = `http://127.0.0.1:${hostA.port}`;
  origins.b = `http://localhost:${hostB.port}`;
  const layout = wrap(
    server,
    {
      label: `${server.label} on two hosts`,
      url: `${origins.a}/`,
      principalUrl: rebase(server.principalUrl, origins.a),
      calendarHomeUrl: rebase(server.calendarHomeUrl, origins.b),
      seen,
      proxies: [hostA, hostB],
      clientUrl: (serverUrl) => rebase(serverUrl, origins.b),
      serverUrl: (clientUrl) => rebase(clientUrl, serverOrigin),
    },
    { set: (value) => (password = value), get: () => password },
  );
  return { ...layout, hostB: `${origins.b}/` };
}

/**
 * A front proxy whose /.well-known/caldav answers 301 towards `contextPath` (the server's DAV root;
 * by default '/dav.php/' for SabreDAV, '/' for Radicale and Xandikos) through `hops` redirects in all
 * (`/.well-known/caldav` → `/hop/1` → … → contextPath), without asking for credentials; with
 * `otherHost`, the last redirect goes to the same proxy as `http://localhost:<port>` (another
 * origin). Everything else is forwarded unchanged.
 */
export async function redirectingWellKnown(
  server: CalDavTestServer,
  options: { contextPath?: string; hops?: number; otherHost?: boolean } = {},
): Promise<CalDavLayout> {
  const hops = options.hops ?? 1;
  const contextPath = options.contextPath ?? (server.kind === 'sabredav' ? '/dav.php/' : '/');
  const seen: string[] = [];
  let password = server.password;
  const origins = { a: '', b: '' };
  const proxy = await startReverseProxy({
    target: server.url,
    listen: ['127.0.0.1', '::1'],
    intercept(request) {
      seen.push(`${request.method} ${request.host} ${request.path}`);
      const path = request.path.split('?')[0]!;
      const hop = path.replace(/\/$/, '') === '/.well-known/caldav' ? 0 : Number(/^\/hop\/(\d+)$/.exec(path)?.[1] ?? NaN);
      if (Number.isNaN(hop)) return undefined;
      const location = hop + 1 >= hops ? `${options.otherHost ? origins.b : ''}${contextPath}` : `/hop/${hop + 1}`;
      return { status: 301, headers: { location, 'content-type': 'text/plain' }, body: Buffer.from(`Moved to ${location}\n`) };
    },
  });
  origins.a = `http://127.0.0.1:${proxy.port}`;
  origins.b = `http://localhost:${proxy.port}`;
  const serverOrigin = new URL(server.url).origin;
  return wrap(
    server,
    {
      label: `${server.label} behind a redirecting /.well-known/caldav`,
      url: `${origins.a}/`,
      principalUrl: rebase(server.principalUrl, origins.a),
      calendarHomeUrl: rebase(server.calendarHomeUrl, origins.a),
      seen,
      proxies: [proxy],
      clientUrl: (serverUrl) => rebase(serverUrl, origins.a),
      serverUrl: (clientUrl) => rebase(clientUrl, serverOrigin),
    },
    { set: (value) => (password = value), get: () => password },
  );
}
