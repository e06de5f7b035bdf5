import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

/** Debian's python3 has the radicale module; the first python3 on PATH may not. */
const PYTHON = '/usr/bin/python3';

/** A Radicale CalDAV server started for a test file, on a free loopback port, with throwaway storage. */
export interface RadicaleServer {
  /** Server root URL, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  username: string;
  password: string;
  /** Creates (or replaces) the calendar collection `name` holding every event of `ics`; returns its URL. */
  putCalendar(name: string, ics: string): Promise<string>;
  /** Deletes a whole collection. */
  deleteCalendar(collectionUrl: string): Promise<void>;
  /** Replaces one event resource inside a collection. */
  putEvent(collectionUrl: string, uid: string, ics: string): Promise<void>;
  /** Changes the user's password in the htpasswd file, which Radicale reads on each request. */
  setPassword(password: string): Promise<void>;
  /** Deletes one event resource of a collection. */
  deleteEvent(collectionUrl: string, uid: string): Promise<void>;
  stop(): Promise<void>;
}

/** Whether Radicale can be started here. */
export function radicaleInstalled(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import radicale'], { stdio: 'ignore' }).status === 0;
}

/**
 * Where Radicale is missing, the end-to-end suites are skipped with a loud message, except under
 * CI, where a missing Radicale fails the run so that CI never passes without it.
 */
export function describeWithRadicale(name: string, body: () => void): void {
  if (radicaleInstalled()) return describe(name, body);
  const message = `Radicale is not installed, so the CalDAV end-to-end suite "${name}" cannot run. Install it with: sudo apt-get install -y radicale`;
  if (process.env.CI) {
    describe(name, () => it('needs Radicale', () => { throw new Error(message); }));
    return;
  }
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
  describe.skip(name, body);
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Radicale exited with code ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('Radicale did not start within 15 s');
}

/** Starts Radicale with htpasswd (plain) auth for one user and owner-only rights. */
export async function startRadicale(): Promise<RadicaleServer> {
  const folder = mkdtempSync(path.join(tmpdir(), 'calsync-radicale-'));
  const port = await freePort();
  const username = 'alice';
  const password = 'correct horse battery staple';
  writeFileSync(path.join(folder, 'users'), `${username}:${password}\n`);
  writeFileSync(
    path.join(folder, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(folder, 'users')}`,
      'htpasswd_encryption = plain',
      '[storage]',
      `filesystem_folder = ${path.join(folder, 'collections')}`,
      '[rights]',
      'type = owner_only',
      '[logging]',
      'level = error',
    ].join('\n'),
  );
  const child = spawn(PYTHON, ['-m', 'radicale', '--config', path.join(folder, 'config')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  await waitUntilUp(url, child);
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  async function request(method: string, target: string, body?: string): Promise<void> {
    const response = await fetch(target, {
      method,
      headers: { authorization, 'content-type': 'text/calendar; charset=utf-8' },
      body,
    });
    if (!response.ok) throw new Error(`${method} ${target}: HTTP ${response.status} ${await response.text()}`);
  }

  return {
    url,
    username,
    password,
    async putCalendar(name, ics) {
      const collection = `${url}${username}/${name}/`;
      await request('DELETE', collection).catch(() => undefined);
      await request('PUT', collection, ics);
      return collection;
    },
    deleteCalendar: (collectionUrl) => request('DELETE', collectionUrl),
    putEvent: (collectionUrl, uid, ics) => request('PUT', `${collectionUrl}${encodeURIComponent(uid)}.ics`, ics),
    setPassword: async (newPassword) => writeFileSync(path.join(folder, 'users'), `${username}:${newPassword}\n`),
    deleteEvent: (collectionUrl, uid) => request('DELETE', `${collectionUrl}${encodeURIComponent(uid)}.ics`),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
