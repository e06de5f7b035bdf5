import { davRequester, type DavAuth, type DavRequest } from './dav-client';
import { CALDAV, DAV, escapeXml, parseMultistatus } from './dav-xml';
import type { HttpAnswer } from './http-send';
import { splitIcs } from './ics-split';

/** The CalDAV servers the end-to-end tests can run against. */
export type CalDavServerKind = 'radicale' | 'xandikos' | 'sabredav';

/** A stored calendar object as the server holds it. */
export interface StoredObject {
  /** The href exactly as the server wrote it in its PROPFIND answer (its own percent-encoding). */
  href: string;
  etag: string;
  data: string;
}

/** Options of {@link CalDavTestServer.putCalendar}. */
export interface PutCalendarOptions {
  /** The object name (unencoded) for each UID; `<uid>.ics` when not given. */
  objectName?: (uid: string) => string;
}

/**
 * A real CalDAV server started for a test on a free loopback port with throwaway storage, one
 * user, and test-side helpers that talk to it directly (not through the code under test).
 */
export interface CalDavTestServer {
  kind: CalDavServerKind;
  /** Human label with the version, e.g. 'Xandikos 0.2.8', for test names. */
  label: string;
  /**
   * What a user types to connect: the server's host URL (scheme, host, port, '/'), not the principal
   * or calendar URL. Discovery (RFC 6764 /.well-known/caldav, current-user-principal,
   * calendar-home-set) leads from it to the calendars.
   */
  url: string;
  username: string;
  /** The password the server started with; {@link setPassword} does not change this field, so a test can restore it. */
  password: string;
  /** How the server asks for credentials. */
  auth: DavAuth;
  /** Where discovery must end up, for assertions: the user's principal URL (absolute). */
  principalUrl: string;
  /** Where discovery must end up, for assertions: the calendar home (absolute, ends in '/'). */
  calendarHomeUrl: string;
  /**
   * Creates (replacing any) calendar collection `name` and stores the components of `ics` as
   * separate calendar object resources, one per UID (master and overrides together, the VTIMEZONEs
   * they use copied in), as real clients import a file. Returns the collection's absolute URL,
   * ending in '/'.
   */
  putCalendar(name: string, ics: string, options?: PutCalendarOptions): Promise<string>;
  /** PUT of one whole calendar object (a full VCALENDAR) at collectionUrl + objectName (given unencoded). */
  putObject(collectionUrl: string, objectName: string, ics: string): Promise<void>;
  deleteObject(collectionUrl: string, objectName: string): Promise<void>;
  /** {@link putObject} under the name `<uid>.ics`. */
  putEvent(collectionUrl: string, uid: string, ics: string): Promise<void>;
  /** {@link deleteObject} of `<uid>.ics`. */
  deleteEvent(collectionUrl: string, uid: string): Promise<void>;
  deleteCalendar(collectionUrl: string): Promise<void>;
  /** Every object of a collection as the server holds it now (depth-1 PROPFIND, then a GET each), in the server's order. */
  listObjects(collectionUrl: string): Promise<StoredObject[]>;
  /** Changes the user's password; requests with the old one are then refused with 401. */
  setPassword(password: string): Promise<void>;
  /** A request authenticated with the current password (Digest answered when the server asks for it). */
  request: DavRequest;
  /** Stops the server (process killed, storage removed). */
  stop(): Promise<void>;
}

/** What a server helper provides; {@link createCalDavTestServer} adds the generic DAV operations. */
export interface CalDavServerBase {
  kind: CalDavServerKind;
  label: string;
  url: string;
  username: string;
  password: string;
  auth: DavAuth;
  principalUrl: string;
  calendarHomeUrl: string;
  /** Makes the server itself accept `password` (and only it). */
  changePassword(password: string): Promise<void>;
  stop(): Promise<void>;
  /** Extra text for error messages, e.g. the server's log tail. */
  diagnostics?(): string;
}

/** A server-specific replacement for the generic putCalendar; `generic` is the MKCALENDAR-and-PUTs one. */
export type PutCalendarOverride = (
  name: string,
  ics: string,
  options: PutCalendarOptions | undefined,
  tools: { request: DavRequest; expectOk: (method: string, url: string, answer: HttpAnswer) => void; generic: CalDavTestServer['putCalendar'] },
) => Promise<string>;

const encodeName = (name: string) => encodeURIComponent(name);

const calendarNameOf = (ics: string) => /^X-WR-CALNAME[^:\r\n]*:(.*)$/im.exec(ics)?.[1]?.trim();

/** The MKCALENDAR body: a display name and every component type real calendars mix. */
export function mkcalendarBody(displayName: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<C:mkcalendar xmlns:D="${DAV}" xmlns:C="${CALDAV}"><D:set><D:prop>`,
    `<D:displayname>${escapeXml(displayName)}</D:displayname>`,
    '<C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/></C:supported-calendar-component-set>',
    '</D:prop></D:set></C:mkcalendar>',
  ].join('');
}

const PROPFIND_OBJECTS = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="${DAV}"><D:prop><D:resourcetype/><D:getetag/></D:prop></D:propfind>`;

/** Adds the generic CalDAV operations (MKCALENDAR, PUT, DELETE, PROPFIND) to a started server. */
export function createCalDavTestServer(base: CalDavServerBase, overrides: { putCalendar?: PutCalendarOverride } = {}): CalDavTestServer {
  let current = base.password;
  const request = davRequester(base.auth, base.username, () => current);

  function expectOk(method: string, url: string, answer: HttpAnswer): void {
    // Xandikos answers a failed PUT precondition (no-uid-conflict, valid-calendar-data) with a 207 holding a 412.
    const failed = answer.status >= 300 || (answer.status === 207 && method !== 'PROPFIND' && method !== 'REPORT');
    if (!failed) return;
    const extra = base.diagnostics?.();
    throw new Error(
      `${base.label}: ${method} ${url}: HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 2000)}${extra ? `\nServer log:\n${extra}` : ''}`,
    );
  }

  async function call(method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
    const answer = await request(method, url, options);
    expectOk(method, url, answer);
    return answer;
  }

  const putObject = async (collectionUrl: string, objectName: string, ics: string) => {
    await call('PUT', `${collectionUrl}${encodeName(objectName)}`, { headers: { 'content-type': 'text/calendar; charset=utf-8' }, body: ics });
  };
  const deleteObject = async (collectionUrl: string, objectName: string) => {
    await call('DELETE', `${collectionUrl}${encodeName(objectName)}`);
  };

  const genericPutCalendar: CalDavTestServer['putCalendar'] = async (name, ics, options) => {
    const collection = `${base.calendarHomeUrl}${encodeName(name)}/`;
    const existing = await request('DELETE', collection);
    if (existing.status !== 404) expectOk('DELETE', collection, existing);
    await call('MKCALENDAR', collection, { headers: { 'content-type': 'application/xml; charset=utf-8' }, body: mkcalendarBody(calendarNameOf(ics) ?? name) });
    for (const object of splitIcs(ics)) await putObject(collection, options?.objectName?.(object.uid) ?? `${object.uid}.ics`, object.text);
    return collection;
  };

  return {
    kind: base.kind,
    label: base.label,
    url: base.url,
    username: base.username,
    password: base.password,
    auth: base.auth,
    principalUrl: base.principalUrl,
    calendarHomeUrl: base.calendarHomeUrl,
    putCalendar: overrides.putCalendar
      ? (name, ics, options) => overrides.putCalendar!(name, ics, options, { request, expectOk, generic: genericPutCalendar })
      : genericPutCalendar,
    putObject,
    deleteObject,
    putEvent: (collectionUrl, uid, ics) => putObject(collectionUrl, `${uid}.ics`, ics),
    deleteEvent: (collectionUrl, uid) => deleteObject(collectionUrl, `${uid}.ics`),
    deleteCalendar: async (collectionUrl) => {
      await call('DELETE', collectionUrl);
    },
    async listObjects(collectionUrl) {
      const listing = await call('PROPFIND', collectionUrl, {
        headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
        body: PROPFIND_OBJECTS,
      });
      const members = parseMultistatus(listing.body.toString('utf8')).filter(
        (response) => response.href && !response.props.get(`{${DAV}}resourcetype`)?.children.some((type) => type.ns === DAV && type.name === 'collection'),
      );
      const objects: StoredObject[] = [];
      for (const member of members) {
        const url = new URL(member.href, collectionUrl).toString();
        const answer = await call('GET', url);
        const etag = member.props.get(`{${DAV}}getetag`)?.text.trim() || String(answer.headers.etag ?? '');
        objects.push({ href: member.href, etag, data: answer.body.toString('utf8') });
      }
      return objects;
    },
    async setPassword(password) {
      await base.changePassword(password);
      current = password;
    },
    request,
    stop: () => base.stop(),
  };
}
