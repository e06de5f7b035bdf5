import { radicaleInstalled, radicaleVersion, startRadicale } from './radicale';
import { sabreDavInstalled, sabreDavVersion, startSabreDav } from './sabredav';
import { startXandikos, xandikosInstalled, xandikosVersion } from './xandikos';
import type { CalDavServerKind, CalDavTestServer } from './caldav-test-server';

export type { CalDavServerKind, CalDavTestServer, PutCalendarOptions, StoredObject } from './caldav-test-server';

/** Every kind, in the order suites run them. */
export const CALDAV_SERVER_KINDS: readonly CalDavServerKind[] = ['radicale', 'xandikos', 'sabredav'];

interface KindInfo {
  installed(): boolean;
  /** The label without starting a server, for test names. */
  label(): string;
  /** The Debian packages that provide it. */
  packages: string;
  start(options: { auth?: 'basic' | 'digest' }): Promise<CalDavTestServer>;
}

const KINDS: Record<CalDavServerKind, KindInfo> = {
  radicale: { installed: radicaleInstalled, label: () => `Radicale ${radicaleVersion()}`, packages: 'radicale', start: startRadicale },
  xandikos: { installed: xandikosInstalled, label: () => `Xandikos ${xandikosVersion() ?? ''}`.trim(), packages: 'xandikos', start: startXandikos },
  sabredav: {
    installed: sabreDavInstalled,
    label: () => `SabreDAV ${sabreDavVersion() ?? ''}`.trim(),
    packages: 'php-sabre-dav php-cli php-sqlite3',
    start: startSabreDav,
  },
};

/**
 * Starts a CalDAV server of `kind` on a free loopback port with throwaway storage and user alice.
 * `auth: 'digest'` is only available for SabreDAV (Radicale 3.1 and the Xandikos proxy speak Basic).
 */
export function startCalDavServer(kind: CalDavServerKind, options: { auth?: 'basic' | 'digest' } = {}): Promise<CalDavTestServer> {
  return KINDS[kind].start(options);
}

/** Which kinds can start here (binary/module present). */
export function installedCalDavServers(): CalDavServerKind[] {
  return CALDAV_SERVER_KINDS.filter((kind) => KINDS[kind].installed());
}

/**
 * `describe` once per server kind, named `<name> [<label>]`. A kind that is not installed is skipped
 * with a loud warning naming the Debian packages, except under CI (process.env.CI set), where it is
 * a failing test, so that CI never passes without every server (as describeWithRadicale does).
 */
export function describeEachCalDavServer(name: string, body: (kind: CalDavServerKind) => void): void {
  for (const kind of CALDAV_SERVER_KINDS) {
    const info = KINDS[kind];
    if (info.installed()) {
      describe(`${name} [${info.label()}]`, () => body(kind));
      continue;
    }
    const message = `${kind} is not installed, so the CalDAV suite "${name}" cannot run against it. Install it with: sudo apt-get install -y ${info.packages}`;
    if (process.env.CI) {
      describe(`${name} [${kind}]`, () =>
        it(`needs ${kind}`, () => {
          throw new Error(message);
        }));
      continue;
    }
    console.warn(`\n*** SKIPPED: ${message} ***\n`);
    describe.skip(`${name} [${kind}]`, () => body(kind));
  }
}
