import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createCalDavTestServer, type CalDavTestServer } from './caldav-test-server';
import { freePort } from './free-port';
import { startServerProcess } from './server-process';

/*
 * SabreDAV 1.8.12 (Debian php-sabre-dav, with sabre/vobject 2.1.7) built as Baïkal builds it
 * (test/sabredav/server.php: SQLite PDO backends, auth + ACL + CalDAV plugins) under /dav.php/, served
 * by `php -S`. What a CalDAV client meets (found by hand with curl):
 * - /.well-known/caldav (router, no credentials needed, any method) answers 301 Location: /dav.php/;
 *   the host root itself is a 404. PROPFIND /dav.php/ gives current-user-principal
 *   /dav.php/principals/alice/, whose calendar-home-set is /dav.php/calendars/alice/. The home also
 *   holds a schedule outbox (resourcetype schedule-outbox), so filter members by resourcetype calendar.
 *   A depth-1 PROPFIND on the principal also lists its calendar-proxy-read/-write principals, each
 *   with a calendar-home-set of its own (/dav.php/calendars/calendar-proxy-read/): read the principal's
 *   own response, not the first one. DAV:owner is set on the home, calendars and objects.
 * - No sync-collection in 1.8 (that came with 2.0): no sync-token property, supported-report-set
 *   lists only expand-property, principal-property-search, principal-search-property-set,
 *   calendar-multiget, calendar-query, free-busy-query, and a sync-collection REPORT is refused with
 *   403 and `<d:supported-report/>`. Collections have getctag (an integer, +1 per change) and no getetag.
 * - current-user-privilege-set is flattened: every aggregate and its parts (write, write-content,
 *   bind, unbind, read, read-acl, …). Caution: in it SabreDAV rebinds the prefix `d:` to the CalDAV
 *   namespace (`<d:privilege xmlns:d="DAV:"><d:schedule-post-vevent xmlns:d="urn:ietf:params:xml:ns:caldav"/>`),
 *   so XML must be read by namespace, not by prefix.
 * - MKCALENDAR defaults to VEVENT,VTODO (honours supported-calendar-component-set); an existing one is 405.
 * - PUT stores the text as sent; the ETag is its md5 (returned on PUT). Several UIDs in one object: 400;
 *   a VEVENT without UID, or a VFREEBUSY or other component it does not store: 400; some input that
 *   sabre/vobject 2.1 throws on (e.g. invalid dates and durations, binary or URI values): 500, empty body;
 *   the same UID in two objects is accepted; unparsable data 415; PUT on a collection 409;
 *   If-None-Match: * on an existing object and a wrong If-Match: 412; DELETE of a missing object 404.
 * - Object names need no .ics: any name is a calendar object (text/calendar; charset=utf-8).
 * - Hrefs use lower-case percent-encoding (%c3%a9), unlike Radicale and Xandikos (%C3%A9).
 * - Basic auth (default, as Baïkal's PDOBasicAuth: checked against digesta1 = md5(user:realm:pass))
 *   or Digest (SabreDAV's PDO backend; qop=auth, MD5; the nonce is not checked against anything the
 *   server issued). Realm 'SabreDAV'. 401 bodies are SabreDAV XML errors.
 * - php -S answers one request at a time and closes every connection; its per-request log lines and
 *   PHP 8's warning about 1.8's `private final` methods go to the log file in the throwaway folder.
 */

const PHP = existsSync('/usr/bin/php') ? '/usr/bin/php' : 'php';
const SABRE = '/usr/share/php/Sabre';
const SCRIPTS = path.resolve(__dirname, '../sabredav');
const REALM = 'SabreDAV';

/** Lines php -S and SabreDAV 1.8 print on every request. */
const NOISE = /Accepted$|Closing$|\]: \w+ \/|Development Server .* started|Private methods cannot be final/;

let version: string | null | undefined;

/** SabreDAV's version, e.g. '1.8.12', or null when it cannot run here: php, Sabre's autoload and PDO SQLite are all needed. */
export function sabreDavVersion(): string | null {
  if (version === undefined) {
    const check = spawnSync(PHP, ['-r', `require '${SABRE}/autoload.php'; exit(in_array('sqlite', PDO::getAvailableDrivers()) ? 0 : 1);`], { stdio: 'ignore' });
    version = check.status === 0 ? (/VERSION\s*=\s*'([^']+)'/.exec(readFileSync(`${SABRE}/DAV/Version.php`, 'utf8'))?.[1] ?? 'unknown') : null;
  }
  return version;
}

/** Whether SabreDAV can be started here. */
export function sabreDavInstalled(): boolean {
  return sabreDavVersion() !== null;
}

/** Starts SabreDAV 1.8 with a fresh SQLite database and user alice; Basic auth unless `auth: 'digest'`. */
export async function startSabreDav(options: { auth?: 'basic' | 'digest' } = {}): Promise<CalDavTestServer> {
  const auth = options.auth ?? 'basic';
  const folder = mkdtempSync(path.join(tmpdir(), 'calsync-sabredav-'));
  const username = 'alice';
  const password = 'correct horse battery staple';
  const env = { SABREDAV_DB: path.join(folder, 'dav.sqlite'), SABREDAV_USER: username, SABREDAV_REALM: REALM, SABREDAV_AUTH: auth };
  const admin = (command: string, userPassword: string) =>
    promisify(execFile)(PHP, [path.join(SCRIPTS, 'admin.php'), command], { env: { ...process.env, ...env, SABREDAV_PASSWORD: userPassword } });
  try {
    await admin('init', password);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const php = await startServerProcess({
    name: 'SabreDAV',
    command: PHP,
    args: ['-S', `127.0.0.1:${port}`, path.join(SCRIPTS, 'router.php')],
    cwd: SCRIPTS,
    env,
    folder,
    probeUrl: `${url}.well-known/caldav`,
    noise: NOISE,
  });
  return createCalDavTestServer({
    kind: 'sabredav',
    label: `SabreDAV ${sabreDavVersion()}${auth === 'digest' ? ' (Digest)' : ''}`,
    url,
    username,
    password,
    auth,
    principalUrl: `${url}dav.php/principals/${username}/`,
    calendarHomeUrl: `${url}dav.php/calendars/${username}/`,
    changePassword: async (newPassword) => {
      await admin('set-password', newPassword);
    },
    diagnostics: () => php.logTail(),
    async stop() {
      await php.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  });
}
