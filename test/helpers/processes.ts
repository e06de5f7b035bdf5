import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');

/** Held while one test file brings dist/ up to date, so that no other one runs it half-written. */
const BUILD_LOCK = path.join(ROOT, 'dist/.build-lock');
/** A lock older than this was left by a killed test run, milliseconds. */
const STALE_LOCK_MS = 120_000;

/**
 * Brings dist/ up to date for tests that run the gateway as separate processes, as `npm start`
 * does (scripts/calsync.js: compiled only when a source is newer than the build), one test file
 * at a time.
 */
export function buildGateway(): void {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_LOCK_MS)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/calsync.js'), '--build'], { cwd: ROOT });
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** A gateway process (`node dist/src/main.js <args>`), with everything it printed. */
export interface GatewayProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has ended by itself. */
  exited: Promise<number | null>;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

export function startGatewayProcess(args: string[], env: Record<string, string>): GatewayProcess {
  let output = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `probe` every 100 ms until it returns something truthy, or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs the compiled CLI (`node dist/src/main.js <args>`, as `npm run cli` does; build it with
 * {@link buildGateway} first) to its end, on the test database, and returns what it printed.
 */
export async function runCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/src/main.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' },
  });
  return stdout;
}

/**
 * The environment of gateway processes that share the test database with a test's in-process
 * API: a fresh encryption key (the processes and the API must be given the same env), 1-second
 * heartbeats so that a killed worker is noticed within seconds, private addresses allowed, and
 * `extra` (e.g. fake base URLs).
 */
export function gatewayEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SYNC_HEARTBEAT_SECONDS: '1',
    LOG_LEVEL: 'warn',
    // The tests' CalDAV servers listen on loopback.
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...extra,
  };
}

/** How a CLI run ended: its exit code and what it printed on each stream. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled CLI to its end with `env` over the test process's environment (give the
 * gateway's {@link gatewayEnv} to share its encryption key), stdout a pipe (not a TTY), and
 * returns its exit code and output whatever the code.
 */
export async function runCliWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/src/main.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
