import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBasicAuthProxy } from './basic-auth-proxy';
import { createCalDavTestServer, type CalDavTestServer } from './caldav-test-server';
import { freePort } from './free-port';
import { mainWithoutFsync } from './python-no-fsync';
import { startServerProcess } from './server-process';

/*
 * Xandikos 0.2.8 (Debian), as run here: `xandikos -d <folder>/data --autocreate -l 127.0.0.1 -p <port>
 * --current-user-principal /alice/` behind a Basic-auth reverse proxy (Xandikos has no authentication;
 * everyone is the configured principal). What a CalDAV client meets:
 * - Every path needs credentials at the proxy, /.well-known/caldav included; with them,
 *   /.well-known/caldav answers 302 (not 301) Location: / (the route prefix), for any method. PROPFIND / gives
 *   current-user-principal /alice/; the principal (resourcetype principal) has calendar-home-set
 *   /alice/calendars/. --autocreate makes /alice/, /alice/calendars/ and /alice/contacts/ only (no
 *   default calendar, no schedule inbox; --defaults would add calendars/calendar, contacts/addressbook, inbox).
 * - Collections have getctag and a sync-token that is a bare hash, not a URI; sync-collection is
 *   supported (also on the home). current-user-privilege-set is just DAV:all.
 * - MKCALENDAR ignores supported-calendar-component-set (its answer lists it as 404, in a namespace it
 *   misspells `urn:ietf:params:xml:ns:carldav:`) and allows VEVENT, VTODO, VJOURNAL, VFREEBUSY. An
 *   existing collection: 207 with a 403 resource-must-be-null inside, not 405.
 * - PUT failures are 207 Multi-Status with the real status inside: a UID already used in the
 *   collection is 412 no-uid-conflict, unparsable data 412 valid-calendar-data. A PUT of a whole
 *   collection is 405. One object may hold several UIDs (accepted).
 * - Objects are re-serialised on PUT (property order changes, long lines folded anew); the ETag is the
 *   git blob hash of that text. An RRULE python3-icalendar cannot parse (`BYDAY=MO, TU`,
 *   `FREQ=INVALID`) is stored as `RRULE:None`: the series is lost. Some input it cannot handle at all
 *   is a plain 500 (e.g. RDATE;VALUE=PERIOD with dates, two DTSTARTs, RSCALE, a VFREEBUSY).
 * - The content type comes from the object name: an object whose name does not end in .ics is stored as
 *   application/octet-stream, is missing from calendar-query and not checked for UID conflicts, but is
 *   listed by PROPFIND and sync-collection, and served by GET as application/octet-stream.
 * - Hrefs use upper-case percent-encoding (%C3%A9); with the proxy keeping the Host header, absolute
 *   URLs Xandikos writes (in error hrefs) point at the proxy.
 * - A PROPFIND of something missing (e.g. a deleted calendar) is a 207 holding a 404 response, not a 404.
 * - Storage is one git repository per collection.
 */

const XANDIKOS = existsSync('/usr/bin/xandikos') ? '/usr/bin/xandikos' : 'xandikos';
/** Debian's Xandikos runs on /usr/bin/python3, which is then started directly with fsync disabled (python-no-fsync.ts); another install runs as is. */
const DEBIAN_PYTHON = XANDIKOS === '/usr/bin/xandikos' && existsSync('/usr/bin/python3') ? '/usr/bin/python3' : null;

let version: string | null | undefined;

/** Xandikos's version, e.g. '0.2.8', or null when it cannot run here (asked once per process). */
export function xandikosVersion(): string | null {
  if (version === undefined) {
    const result = spawnSync(XANDIKOS, ['--version'], { encoding: 'utf8' });
    version = result.status === 0 ? (/(\d+\.\d+(?:\.\d+)?)/.exec(result.stdout)?.[1] ?? 'unknown') : null;
  }
  return version;
}

/** Whether Xandikos can be started here. */
export function xandikosInstalled(): boolean {
  return xandikosVersion() !== null;
}

/** Starts Xandikos with an empty store for user alice, behind a Basic-auth proxy whose URL is the server's. */
export async function startXandikos(options: { auth?: 'basic' | 'digest' } = {}): Promise<CalDavTestServer> {
  if (options.auth === 'digest') throw new Error('The Xandikos helper has Basic authentication only (its proxy)');
  const folder = mkdtempSync(path.join(tmpdir(), 'calsync-xandikos-'));
  const username = 'alice';
  const password = 'correct horse battery staple';
  let current = password;
  const port = await freePort();
  const upstream = `http://127.0.0.1:${port}/`;
  const args = ['-d', path.join(folder, 'data'), '--autocreate', '-l', '127.0.0.1', '-p', String(port), '--current-user-principal', `/${username}/`];
  const xandikos = await startServerProcess({
    name: 'Xandikos',
    command: DEBIAN_PYTHON ?? XANDIKOS,
    args: DEBIAN_PYTHON ? mainWithoutFsync('xandikos.__main__', XANDIKOS, args) : args,
    folder,
    probeUrl: upstream,
  });
  const proxy = await startBasicAuthProxy({ target: upstream, credentials: { realm: 'Xandikos', username, password: () => current } }).catch(async (error) => {
    await xandikos.kill();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  });
  return createCalDavTestServer({
    kind: 'xandikos',
    label: `Xandikos ${xandikosVersion()}`,
    url: proxy.url,
    username,
    password,
    auth: 'basic',
    principalUrl: `${proxy.url}${username}/`,
    calendarHomeUrl: `${proxy.url}${username}/calendars/`,
    changePassword: async (newPassword) => {
      current = newPassword;
    },
    diagnostics: () => xandikos.logTail(),
    async stop() {
      await proxy.close();
      await xandikos.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  });
}
