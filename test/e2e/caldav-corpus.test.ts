/**
 * The whole fixture corpus through every CalDAV server: each file is imported as a client does
 * (a new collection, one PUT per UID), read back through Calsync's CalDavAdapter, and compared
 * occurrence by occurrence with the oracle (python3-recurring-ical-events) run on what the server
 * now holds, object by object, with the same machinery and documented differences as the unit
 * comparison (test/unit/ical/expand-calendar-oracle.test.ts), plus what each server does to the
 * data (test/oracle/server-differences.ts). Objects a server refuses are counted, not compared.
 * Windows: the year of the first DTSTART in Europe/Berlin, and spring 2036 for unbounded series
 * (the unit comparison runs the others). CALSYNC_CORPUS_DUMP=<folder> writes what each server
 * holds there, <kind>/<collection>/<n>.ics, to find out what a server did to a file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CalDavAdapter } from '../../src/providers/caldav/caldav.adapter';
import type { FetchResult } from '../../src/providers/provider';
import { describeEachCalDavServer, installedCalDavServers, startCalDavServer, type CalDavServerKind, type StoredObject } from '../helpers/caldav-servers';
import { uploadAsClient, type RefusedObject } from '../helpers/caldav-upload';
import { describeWithFixtures, FIXTURES, fixtureFiles, fixtureFolder, type Requirement } from '../helpers/fixtures';
import { splitIcs } from '../helpers/ics-split';
import { compare, ourRow, type Difference } from '../oracle/compare';
import { DIFFERENCES } from '../oracle/differences';
import { oracleExpandAllAsync, oracleMissing, type OracleResult } from '../oracle/oracle';
import { rewriteObjects } from '../oracle/rewrites';
import { NOT_OCCURRING, SERVER_DIFFERENCES } from '../oracle/server-differences';
import { mainWindows, type Window } from '../oracle/windows';
import { loopbackTransport } from '../helpers/outbound';

const MARGIN_MS = 2 * 86_400_000;
/** Files loaded at once per server: enough to keep a server busy while the test process reads answers. */
const CONCURRENCY = 3;
/**
 * Files with this many UIDs are loaded first: their PUTs go one after the other, and the largest
 * (issue_173, 496 objects, about 15 s on Xandikos or Radicale, which look for UID conflicts in the
 * whole collection on each PUT) would otherwise trail the rest. The others keep their name order,
 * which Radicale's time zone leak depends on (test/oracle/server-differences.ts).
 */
const LARGE = 100;

/** One file as a server took it and Calsync read it back. */
interface Loaded {
  file: string;
  objects: number;
  refused: RefusedObject[];
  held: StoredObject[];
  windows: Window[];
  /** Per window, what fetchEvents returned, or what it threw. */
  fetched: (FetchResult | Error)[];
}

/** The comparison of one file on one server. */
interface Checked {
  objects: number;
  refused: RefusedObject[];
  windows: number;
  matched: number;
  explained: number;
  problems: string[];
}

/** What one server's run found. */
interface ServerRun {
  label: string;
  checked: Map<string, Checked>;
  /** Each documented difference that explained something, with how often. */
  used: Map<Difference, number>;
  /** Wall-clock seconds of the upload and read-back, and of the oracle and comparison. */
  seconds: { load: number; compare: number };
}

const files = fixtureFiles();
const oracle: Requirement = { missing: oracleMissing };
const readFixture = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8');
/** A collection name per file, unique and safe in a URL path segment. */
const collectionName = (file: string) =>
  file
    .replace(/\.ics$/, '')
    .replace(/\//g, '__')
    .replace(/[^\w.-]/g, '_');

/** The UID of a calendar object, for the oracle's answer on it (null when it has none). */
function uidOf(ics: string): string | null {
  return /^UID(?:;[^:\r\n]*)?:(.*)$/im.exec(ics.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim() ?? null;
}

/** Runs `work` on every item, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Uploads every file to a fresh server of `kind`, reads each back through Calsync and as stored, then stops the server. */
async function load(kind: CalDavServerKind): Promise<{ label: string; loaded: Loaded[] }> {
  const server = await startCalDavServer(kind);
  const adapter = new CalDavAdapter(loopbackTransport());
  const credentials = { serverUrl: server.url, username: server.username, password: server.password };
  try {
    const texts = new Map(files.map((file) => [file, readFixture(file)]));
    const large = files.filter((file) => splitIcs(texts.get(file)!).length >= LARGE);
    const loaded = await mapLimited([...large, ...files.filter((file) => !large.includes(file))], CONCURRENCY, async (file): Promise<Loaded> => {
      const text = texts.get(file)!;
      const upload = await uploadAsClient(server, collectionName(file), text);
      const held = await server.listObjects(upload.collectionUrl);
      if (process.env.CALSYNC_CORPUS_DUMP) {
        const dir = path.join(process.env.CALSYNC_CORPUS_DUMP, kind, collectionName(file));
        fs.mkdirSync(dir, { recursive: true });
        held.forEach((object, index) => fs.writeFileSync(path.join(dir, `${index}.ics`), object.data));
      }
      const windows = mainWindows(text);
      const fetched: (FetchResult | Error)[] = [];
      for (const window of windows) {
        const options = { window: { from: new Date(window.from), to: new Date(window.to) }, timeZone: window.timeZone };
        fetched.push(await adapter.fetchEvents(credentials, upload.collectionUrl, options).catch((error: Error) => error));
      }
      return { file, objects: upload.objects, refused: upload.refused, held, windows, fetched };
    });
    return { label: server.label, loaded };
  } finally {
    await server.stop();
  }
}

/** The oracle's answers for every held object of every file and window, merged per file and window. */
async function expected(kind: CalDavServerKind, loaded: Loaded[], used: Map<Difference, number>): Promise<OracleResult[][]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `calsync-corpus-${kind}-`));
  try {
    const requests = loaded.flatMap(({ file, held, windows }, fileIndex) => {
      // A rewrite the oracle needs for the file is applied to each object the server holds.
      let texts = held.map((object) => object.data);
      for (const entry of [...DIFFERENCES, ...SERVER_DIFFERENCES[kind]].filter((candidate) => candidate.file === file && candidate.rewrite)) {
        const rewritten = rewriteObjects(texts, entry.rewrite!);
        texts = rewritten.texts;
        if (rewritten.changed) used.set(entry, (used.get(entry) ?? 0) + 1);
      }
      const paths = texts.map((text, objectIndex) => {
        const target = path.join(scratch, `${fileIndex}-${objectIndex}.ics`);
        fs.writeFileSync(target, text);
        return target;
      });
      return windows.flatMap((window, windowIndex) =>
        paths.map((target, objectIndex) => ({
          key: [fileIndex, windowIndex, objectIndex] as const,
          request: {
            file: target,
            from: new Date(Date.parse(window.from) - MARGIN_MS).toISOString(),
            to: new Date(Date.parse(window.to) + MARGIN_MS).toISOString(),
            timeZone: window.timeZone,
          },
        })),
      );
    });
    const answers = await oracleExpandAllAsync(requests.map(({ request }) => request));
    const merged = loaded.map(({ windows }) => windows.map((): OracleResult => ({ occurrences: [], errors: [] })));
    requests.forEach(({ key: [fileIndex, windowIndex, objectIndex] }, index) => {
      const into = merged[fileIndex]![windowIndex]!;
      const answer = answers[index]!;
      const uid = uidOf(loaded[fileIndex]!.held[objectIndex]!.data);
      into.occurrences.push(...answer.occurrences);
      // An unreadable object hides the occurrences of its own UID only, not those of the whole file.
      into.errors.push(...answer.errors.map((error) => (error.uid === null && error.error.startsWith('unreadable:') ? { ...error, uid } : error)));
    });
    return merged;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Loads the corpus on one server and compares every file and window. */
async function corpusRun(kind: CalDavServerKind): Promise<ServerRun> {
  const started = Date.now();
  const { label, loaded } = await load(kind);
  const loadedAt = Date.now();
  const used = new Map<Difference, number>();
  const answers = await expected(kind, loaded, used);
  const differences = [...DIFFERENCES, ...SERVER_DIFFERENCES[kind]];
  const checked = new Map<string, Checked>();
  loaded.forEach(({ file, objects, refused, windows, fetched }, fileIndex) => {
    const result: Checked = { objects, refused, windows: windows.length, matched: 0, explained: 0, problems: [] };
    checked.set(file, result);
    windows.forEach((window, windowIndex) => {
      const ours = fetched[windowIndex]!;
      if (ours instanceof Error) {
        result.problems.push(`${window.kind}: fetchEvents threw ${ours.message}`);
        return;
      }
      const comparison = compare(ours.events.map(ourRow), ours.skipped, answers[fileIndex]![windowIndex]!, file, window, differences);
      result.problems.push(...comparison.problems);
      result.matched += comparison.matched;
      result.explained += comparison.explained;
      for (const entry of comparison.used) used.set(entry, (used.get(entry) ?? 0) + 1);
    });
  });
  return { label, checked, used, seconds: { load: (loadedAt - started) / 1000, compare: (Date.now() - loadedAt) / 1000 } };
}

const runs = new Map<CalDavServerKind, Promise<ServerRun>>();

/**
 * The run of `kind`. The first call starts the runs of every installed server at once: each server
 * is a process of its own (Xandikos and php -S answer one request at a time), so together they keep
 * two cores busy, where one after the other takes about twice as long.
 */
function runOn(kind: CalDavServerKind): Promise<ServerRun> {
  if (runs.size === 0) {
    for (const each of installedCalDavServers()) {
      const run = corpusRun(each);
      // Awaited by that server's suite; until then, a failure must not count as unhandled.
      run.catch(() => undefined);
      runs.set(each, run);
    }
  }
  return runs.get(kind) ?? corpusRun(kind);
}

/** The differences of the unit comparison that do not occur on the server although it holds all objects of their file, and have no stated cause. */
function absent(run: ServerRun, causes: Readonly<Record<string, string>> = {}): Difference[] {
  return DIFFERENCES.filter((entry) => !run.used.has(entry) && !causes[entry.file] && (run.checked.get(entry.file)?.refused.length ?? 0) === 0);
}

/** The afterAll report of one server: counts, refusals, the differences that explained rows (by cause) and those not needed here. */
function summary(run: ServerRun, kind: CalDavServerKind): string {
  const all = [...run.checked.values()];
  const sum = (pick: (result: Checked) => number) => all.reduce((total, result) => total + pick(result), 0);
  const refusedFiles = [...run.checked].filter(([, result]) => result.refused.length > 0);
  const statuses = new Map<string, number>();
  for (const { why } of all.flatMap((result) => result.refused)) {
    const status = why.split(' ').slice(0, 2).join(' ');
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const own = new Set(SERVER_DIFFERENCES[kind]);
  const causes = new Map<string, string[]>();
  for (const [entry, count] of run.used) {
    const cause = `${own.has(entry) ? `[${kind}] ` : ''}${entry.what} (${entry.rfc}; ${entry.right} right)`;
    causes.set(cause, [...(causes.get(cause) ?? []), `${entry.file} x${count}`]);
  }
  const notNeeded = DIFFERENCES.filter((entry) => !run.used.has(entry) && (run.checked.get(entry.file)?.refused.length ?? 0) > 0);
  return [
    `${run.label} (load ${run.seconds.load.toFixed(1)} s, oracle and comparison ${run.seconds.compare.toFixed(1)} s): ` +
      `${run.checked.size} files uploaded as ${sum((result) => result.objects)} objects, ` +
      `${sum((result) => result.refused.length)} refused (${[...statuses].map(([status, count]) => `${status} x${count}`).join(', ') || 'none'}) ` +
      `in ${refusedFiles.length} files; ${sum((result) => result.windows)} windows, ${sum((result) => result.matched)} occurrences matched, ` +
      `${sum((result) => result.explained)} rows explained by ${run.used.size} documented differences (${causes.size} causes):`,
    `- refused: ${refusedFiles.map(([file, result]) => `${file} ${result.refused.length}/${result.objects}`).join(', ') || 'nothing'}`,
    ...[...causes].map(([cause, where]) => `- ${cause}\n    ${where.join(', ')}`),
    `- not needed here: ${notNeeded.length} differences of the unit comparison, in files with refused objects; those of these files, because:`,
    ...Object.entries(NOT_OCCURRING[kind]).map(([file, why]) => `    ${file}: ${why}`),
  ].join('\n');
}

describeWithFixtures(
  'the fixture corpus through CalDAV servers agrees with recurring_ical_events',
  () => {
    describeEachCalDavServer('the fixture corpus on a CalDAV server', (kind) => {
      let run: ServerRun | undefined;

      beforeAll(async () => {
        run = await runOn(kind);
      }, 300_000);

      if (files.length > 0) {
        it.each(files)('%s', (file) => {
          expect(run?.checked.get(file)?.problems ?? ['not compared']).toEqual([]);
        });
      }

      it('stores most of the corpus and compares its occurrences', () => {
        const all = [...run!.checked.values()];
        const objects = all.reduce((total, result) => total + result.objects, 0);
        const refused = all.reduce((total, result) => total + result.refused.length, 0);
        expect(refused / objects).toBeLessThan(0.25);
        expect(all.reduce((total, result) => total + result.matched, 0)).toBeGreaterThan(3000);
      });

      it('lists only server differences that occur', () => {
        expect(SERVER_DIFFERENCES[kind].filter((entry) => !run?.used.has(entry)).map((entry) => `${entry.file}: ${entry.what}`)).toEqual([]);
      });

      it('has a cause for each difference of the unit comparison that does not occur here', () => {
        expect(absent(run!, NOT_OCCURRING[kind]).map((entry) => `${entry.file}: ${entry.what}`)).toEqual([]);
        const stale = Object.keys(NOT_OCCURRING[kind]).filter((file) => !DIFFERENCES.some((entry) => entry.file === file && !run!.used.has(entry)));
        expect(stale).toEqual([]);
      });

      afterAll(() => {
        if (run) console.log(summary(run, kind));
      });
    });
  },
  [fixtureFolder, oracle],
);
