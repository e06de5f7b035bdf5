/**
 * Runs test/oracle/expand.py, an independent expansion of iCalendar files by Debian's
 * python3-recurring-ical-events, and returns its answers typed. See expand.py for what each
 * field means and how floating times and dates are placed in the zone.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The interpreter Debian's packages are installed for (not a pyenv or venv shim on PATH); CALSYNC_ORACLE_PYTHON names another. */
export const ORACLE_PYTHON = process.env.CALSYNC_ORACLE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'expand.py');

/** One occurrence as recurring_ical_events yields it; instants are UTC ISO strings. */
export interface OracleOccurrence {
  uid: string | null;
  /** The expander's form: UTC `YYYYMMDDTHHMMSSZ`, `YYYYMMDD` for all-day series, null for single events. */
  recurrenceId: string | null;
  summary: string | null;
  start: string;
  end: string;
  allDay: boolean;
  /** STATUS upper-cased, null when absent. */
  status: string | null;
}

/** A file (uid null) or a UID the library could not read or expand. */
export interface OracleError {
  error: string;
  uid: string | null;
}

export interface OracleResult {
  occurrences: OracleOccurrence[];
  errors: OracleError[];
}

/** One expansion: a file, a UTC window [from, to) as ISO instants, the zone of floating times and dates. */
export interface OracleRequest {
  file: string;
  from: string;
  to: string;
  timeZone: string;
}

let installed: string | null | undefined;

/** Why the oracle cannot run here (no /usr/bin/python3, or the module is missing), or null when it can. */
export function oracleMissing(): string | null {
  if (installed !== undefined) return installed;
  if (!existsSync(ORACLE_PYTHON)) installed = `${ORACLE_PYTHON} does not exist`;
  else {
    const probe = spawnSync(ORACLE_PYTHON, ['-c', 'import recurring_ical_events, icalendar, x_wr_timezone'], { encoding: 'utf8', timeout: 30_000 });
    const why = (probe.stderr || probe.error?.message || `exit status ${probe.status}`).trim().split('\n').pop();
    installed = probe.status === 0 ? null : `${ORACLE_PYTHON} cannot import recurring_ical_events (${why}); apt-get install python3-recurring-ical-events`;
  }
  return installed;
}

/** Whether the oracle can run: /usr/bin/python3 with python3-recurring-ical-events (apt-get install python3-recurring-ical-events). */
export function oracleInstalled(): boolean {
  return oracleMissing() === null;
}

/** Expands one file over one window. */
export function oracleExpand(request: OracleRequest): OracleResult {
  return oracleExpandAll([request])[0];
}

/**
 * Expands many requests in one Python process (its start-up and imports cost ~0.1 s).
 * @returns one result per request, in order.
 * @throws Error when the process itself fails; errors of single files come back as OracleError.
 */
export function oracleExpandAll(requests: OracleRequest[]): OracleResult[] {
  const output = execFileSync(ORACLE_PYTHON, [SCRIPT, '--batch'], { input: batchInput(requests), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600_000 });
  return batchResults(requests, output);
}

/**
 * {@link oracleExpandAll} without blocking the event loop, for suites that talk to servers
 * (or proxies in the test process) meanwhile.
 */
export function oracleExpandAllAsync(requests: OracleRequest[]): Promise<OracleResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(ORACLE_PYTHON, [SCRIPT, '--batch'], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(batchResults(requests, stdout));
    });
    child.stdin?.end(batchInput(requests));
  });
}

function batchInput(requests: OracleRequest[]): string {
  return requests.map((request, id) => JSON.stringify({ id, path: request.file, from: request.from, to: request.to, timeZone: request.timeZone })).join('\n');
}

function batchResults(requests: OracleRequest[], output: string): OracleResult[] {
  const results = requests.map((): OracleResult => ({ occurrences: [], errors: [] }));
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const { id, ...answer } = JSON.parse(line) as (OracleOccurrence | OracleError) & { id: number };
    if ('error' in answer) results[id].errors.push({ error: answer.error, uid: answer.uid });
    else results[id].occurrences.push(answer);
  }
  return results;
}
