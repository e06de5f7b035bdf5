import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCalDavTestServer, type CalDavTestServer } from './caldav-test-server';
import { freePort } from './free-port';
import { splitIcs } from './ics-split';
import { moduleWithoutFsync } from './python-no-fsync';
import { startServerProcess } from './server-process';

/*
 * Radicale 3.1 as these tests run it (htpasswd plain auth, owner_only rights), for whoever writes
 * CalDAV client code against it:
 * - /.well-known/caldav: 301 Location: / (any method), even without credentials. PROPFIND / gives
 *   current-user-principal /alice/, and the principal is its own calendar home
 *   (calendar-home-set /alice/), so calendars are /alice/<name>/. The principal collection is
 *   created on the user's first authenticated request.
 * - A whole VCALENDAR PUT to a collection URL creates (or replaces) the collection and splits it
 *   into one object per UID, named `<uid>.ics` when the UID is a safe file name (random otherwise).
 * - Collections have getctag, getetag and a sync-token URI (http://radicale.org/ns/sync/…);
 *   sync-collection is supported. Hrefs use upper-case percent-encoding (%C3%A9).
 * - A second object with a UID already in the collection: 409; several UIDs in one object: 400.
 * - Objects are parsed and re-serialised by python3-vobject: a DTSTAMP is added where missing, long
 *   lines are folded anew, `EXDATE;VALUE=DATE` on a DATE-TIME series becomes a DATE-TIME, and a TZID
 *   without VTIMEZONE gets one, from a process-wide map that the VTIMEZONEs of earlier objects fill
 *   (one object's odd Europe/Berlin then serves all later ones; see test/oracle/server-differences.ts).
 *   What vobject cannot read is a plain 400 (the reason only in Radicale's log), e.g. a VEVENT
 *   without UID, RDATE;VALUE=PERIOD, DTSTART and DTEND of different types, overrides it cannot
 *   combine with their RRULE ("Overwritten recurrence with RRULESET"); 83 of the 236 corpus files.
 * - GET / redirects to the web interface (/.web), so follow the well-known redirect with PROPFIND.
 * - A PROPFIND of something missing is a plain 404.
 * - Basic auth only; 401 with `WWW-Authenticate: Basic realm="Radicale - Password Required"`, sent
 *   about a second late after a wrong password (Radicale's [auth] delay).
 */

/**
 * Rights of owner_only, except that the named calendars of alice are read-only for her:
 * Radicale then reports only DAV:read in their current-user-privilege-set and answers a PUT with 403.
 */
function writeRights(folder: string, readOnly: string[]): string {
  const file = path.join(folder, 'rights');
  const names = readOnly.map((name) => name.replace(/[^\w-]/g, (c) => `\\${c}`)).join('|');
  writeFileSync(
    file,
    [
      ...['[root]', 'user: .+', 'collection:', 'permissions: R'],
      ...['[principal]', 'user: .+', 'collection: {user}', 'permissions: RW'],
      ...['[read-only]', 'user: .+', `collection: {user}/(${names})`, 'permissions: r'],
      ...['[calendars]', 'user: .+', 'collection: {user}/[^/]+', 'permissions: rw'],
    ].join('\n'),
  );
  return file;
}

/** A calendar collection in Radicale's multifilesystem storage, written before Radicale starts (alice cannot write it). */
function writeReadOnlyCalendar(folder: string, ics: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, '.Radicale.props'), JSON.stringify({ tag: 'VCALENDAR', 'C:supported-calendar-component-set': 'VEVENT' }));
  for (const object of splitIcs(ics)) writeFileSync(path.join(folder, `${object.uid.replace(/[^\w@.-]/g, '_')}.ics`), object.text);
}

/** Debian's python3 has the radicale module; the first python3 on PATH may not. */
const PYTHON = '/usr/bin/python3';

/** A Radicale CalDAV server started for a test file, on a free loopback port, with throwaway storage. */
export interface RadicaleServer extends CalDavTestServer {
  kind: 'radicale';
}

/** Whether Radicale can be started here. */
export function radicaleInstalled(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import radicale'], { stdio: 'ignore' }).status === 0;
}

let version: string | undefined;

/** Radicale's version, e.g. '3.1.8' (asked once per process). */
export function radicaleVersion(): string {
  version ??= spawnSync(PYTHON, ['-c', 'import radicale; print(radicale.VERSION)'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
  return version;
}

/**
 * Where Radicale is missing, the end-to-end suites are skipped with a loud message, except under
 * CI, where a missing Radicale fails the run so that CI never passes without it.
 */
export function describeWithRadicale(name: string, body: () => void): void {
  if (radicaleInstalled()) return describe(name, body);
  const message = `Radicale is not installed, so the CalDAV end-to-end suite "${name}" cannot run. Install it with: sudo apt-get install -y radicale`;
  if (process.env.CI) {
    describe(name, () =>
      it('needs Radicale', () => {
        throw new Error(message);
      }),
    );
    return;
  }
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
  describe.skip(name, body);
}

/**
 * Starts Radicale with htpasswd (plain) auth for one user and owner-only rights. Radicale has no
 * Digest auth, so `auth: 'digest'` is refused.
 */
export async function startRadicale(options: { auth?: 'basic' | 'digest'; readOnly?: Record<string, string> } = {}): Promise<RadicaleServer> {
  if (options.auth === 'digest') throw new Error('Radicale 3.1 has no Digest authentication; start it with Basic');
  const folder = mkdtempSync(path.join(tmpdir(), 'calsync-radicale-'));
  const readOnly = Object.keys(options.readOnly ?? {});
  for (const [name, ics] of Object.entries(options.readOnly ?? {}))
    writeReadOnlyCalendar(path.join(folder, 'collections', 'collection-root', 'alice', name), ics);
  const port = await freePort();
  const username = 'alice';
  const password = 'correct horse battery staple';
  const users = path.join(folder, 'users');
  writeFileSync(users, `${username}:${password}\n`);
  writeFileSync(
    path.join(folder, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${users}`,
      'htpasswd_encryption = plain',
      '[storage]',
      `filesystem_folder = ${path.join(folder, 'collections')}`,
      '[rights]',
      ...(readOnly.length === 0 ? ['type = owner_only'] : ['type = from_file', `file = ${writeRights(folder, readOnly)}`]),
      '[logging]',
      'level = error',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}/`;
  const args = moduleWithoutFsync('radicale', ['--config', path.join(folder, 'config')]);
  const radicale = await startServerProcess({ name: 'Radicale', command: PYTHON, args, folder, probeUrl: url });
  const server = createCalDavTestServer(
    {
      kind: 'radicale',
      label: `Radicale ${radicaleVersion()}`,
      url,
      username,
      password,
      auth: 'basic',
      principalUrl: `${url}${username}/`,
      calendarHomeUrl: `${url}${username}/`,
      // Radicale reads the htpasswd file on each request.
      changePassword: async (newPassword) => writeFileSync(users, `${username}:${newPassword}\n`),
      diagnostics: () => radicale.logTail(),
      async stop() {
        await radicale.kill();
        rmSync(folder, { recursive: true, force: true });
      },
    },
    {
      // Without chosen object names, the whole file goes up in one PUT to the collection URL, which
      // Radicale splits into `<uid>.ics` objects itself, as the suites written before the other
      // servers expect (and it keeps X-WR-CALNAME as the collection's displayname).
      async putCalendar(name, ics, putOptions, { request, expectOk, generic }) {
        if (putOptions?.objectName) return generic(name, ics, putOptions);
        const collection = `${url}${username}/${encodeURIComponent(name)}/`;
        await request('DELETE', collection);
        expectOk('PUT', collection, await request('PUT', collection, { headers: { 'content-type': 'text/calendar; charset=utf-8' }, body: ics }));
        return collection;
      },
    },
  );
  return server as RadicaleServer;
}
