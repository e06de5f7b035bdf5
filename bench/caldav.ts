/**
 * CalDAV sync benchmark: `npm run bench`. Starts Radicale (Debian's python3-radicale) on a free
 * loopback port with throwaway storage, stores 1,000 calendar objects (a quarter of them weekly
 * series, the rest single events) and times, median of 5 rounds, the adapter's
 * - full sync: collection state, the members with their ETags, a calendar-query of every object, expansion over a year;
 * - incremental sync with nothing changed (one sync-collection REPORT);
 * against a baseline measured in the same run: the same HTTP requests sent with bare `fetch`
 * (two PROPFINDs and the calendar-query REPORT), bodies read as text and nothing parsed.
 * Skipped with a message when Radicale is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { OutboundPolicy } from '../src/common/outbound';
import { CalDavAdapter } from '../src/providers/caldav/caldav.adapter';

const PYTHON = '/usr/bin/python3';
const OBJECTS = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const USER = 'bench';
const PASSWORD = 'bench password';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function object(index: number): string {
  const day = String(1 + (index % 28)).padStart(2, '0');
  const month = String(1 + (index % 12)).padStart(2, '0');
  const rule = index % 4 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=20'] : [];
  return [
    ...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calsync bench//EN', 'BEGIN:VEVENT', `UID:bench-${index}@calsync`, 'DTSTAMP:20270101T000000Z'],
    ...[`DTSTART;TZID=Europe/Berlin:2027${month}${day}T${String(8 + (index % 9)).padStart(2, '0')}0000`, 'DURATION:PT45M', ...rule, `SUMMARY:Event ${index}`],
    ...['END:VEVENT', 'END:VCALENDAR', ''],
  ].join('\r\n');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The requests of a full sync, with bare fetch and no parsing: the wire's own cost. */
async function bareFetch(collection: string): Promise<void> {
  const headers = { authorization: AUTH, 'content-type': 'application/xml; charset=utf-8' };
  await (
    await fetch(collection, { method: 'PROPFIND', headers: { ...headers, depth: '0' }, body: '<propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>' })
  ).text();
  await (
    await fetch(collection, {
      method: 'PROPFIND',
      headers: { ...headers, depth: '1' },
      body: '<propfind xmlns="DAV:"><prop><resourcetype/><getetag/></prop></propfind>',
    })
  ).text();
  const query =
    '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>';
  await (await fetch(collection, { method: 'REPORT', headers: { ...headers, depth: '1' }, body: query })).text();
}

async function main(): Promise<void> {
  if (spawnSync(PYTHON, ['-c', 'import radicale'], { stdio: 'ignore' }).status !== 0) {
    console.log('caldav: skipped, Radicale is not installed (apt-get install radicale)');
    return;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'calsync-bench-radicale-'));
  const port = await freePort();
  writeFileSync(path.join(folder, 'users'), `${USER}:${PASSWORD}\n`);
  const config = [
    '[server]',
    `hosts = 127.0.0.1:${port}`,
    '[auth]',
    'type = htpasswd',
    `htpasswd_filename = ${path.join(folder, 'users')}`,
    'htpasswd_encryption = plain',
  ];
  writeFileSync(
    path.join(folder, 'config'),
    [...config, '[storage]', `filesystem_folder = ${path.join(folder, 'collections')}`, '[logging]', 'level = error'].join('\n'),
  );
  const radicale = spawn(PYTHON, ['-m', 'radicale', '--config', path.join(folder, 'config')], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/`;
  try {
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(base).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (attempt > 150) throw new Error('Radicale did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const collection = `${base}${USER}/bench/`;
    const created = await fetch(collection, {
      method: 'MKCOL',
      headers: { authorization: AUTH, 'content-type': 'application/xml' },
      body: '<mkcol xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><set><prop><resourcetype><collection/><C:calendar/></resourcetype></prop></set></mkcol>',
    });
    if (!created.ok) throw new Error(`MKCOL ${collection}: HTTP ${created.status}`);
    for (let index = 0; index < OBJECTS; index++) {
      const href = `/${USER}/bench/bench-${index}.ics`;
      const put = await fetch(new URL(href, base), { method: 'PUT', headers: { authorization: AUTH, 'content-type': 'text/calendar' }, body: object(index) });
      if (!put.ok) throw new Error(`PUT ${href}: HTTP ${put.status}`);
    }

    // Radicale listens on loopback, which the outbound policy opens only on request.
    const adapter = new CalDavAdapter({
      policy: new OutboundPolicy({ allowPrivate: true, allowCidrs: [] }),
      maxResponseBytes: 20 * 1024 * 1024,
      requestTimeoutMs: 30_000,
    });
    const credentials = { serverUrl: base, username: USER, password: PASSWORD };
    const options = { window: { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2028-01-01T00:00:00Z') }, timeZone: 'Europe/Berlin' };
    const full: number[] = [];
    const bare: number[] = [];
    const quiet: number[] = [];
    let events = 0;
    let cursor: string | null = null;
    await adapter.fetchChanges(credentials, collection, null, options);
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await timed(() => bareFetch(collection)));
      full.push(
        await timed(async () => {
          const changes = await adapter.fetchChanges(credentials, collection, null, options);
          events = changes.events.length;
          cursor = changes.nextCursor;
        }),
      );
      quiet.push(await timed(() => adapter.fetchChanges(credentials, collection, cursor, options)));
    }
    const [fullMs, bareMs, quietMs] = [median(full), median(bare), median(quiet)];
    console.log(`caldav (Radicale, ${OBJECTS} objects, ${events} occurrences in a year, median of ${ROUNDS}):`);
    console.log(
      `  full sync            ${fullMs.toFixed(0).padStart(6)} ms   bare fetch of the same requests ${bareMs.toFixed(0).padStart(6)} ms   ratio ${(fullMs / bareMs).toFixed(2)}`,
    );
    console.log(`  incremental, no change ${quietMs.toFixed(0).padStart(4)} ms   (one sync-collection REPORT)`);
  } finally {
    radicale.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
