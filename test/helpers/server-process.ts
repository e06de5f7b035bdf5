import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { waitUntilAnswering } from './http-send';

/** A server process started for a test, logging into its throwaway folder. */
export interface ServerProcess {
  child: ChildProcess;
  /** The last lines the process printed, without lines `noise` matches, for error messages. */
  logTail(lines?: number): string;
  /** Kills the process (SIGTERM, SIGKILL after 5 s) and waits for its exit; does not remove the folder. */
  kill(): Promise<void>;
}

/**
 * Spawns `command` with its output going to `<folder>/<name>.log` (not to the test's console: PHP's
 * built-in server logs every request), then waits until `probeUrl` answers. When it does not, the
 * process is killed, `folder` removed, and the error carries the log's tail.
 */
export async function startServerProcess(options: {
  name: string;
  command: string;
  args: string[];
  folder: string;
  probeUrl: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Log lines that are expected on every request and say nothing, e.g. PHP's `Accepted`/`Closing`. */
  noise?: RegExp;
}): Promise<ServerProcess> {
  const logFile = path.join(options.folder, `${options.name.toLowerCase()}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logTail = (lines = 20) => {
    if (!existsSync(logFile)) return '';
    const kept = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !options.noise?.test(line));
    return kept.slice(-lines).join('\n');
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitUntilAnswering(options.probeUrl, options.name, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    await kill();
    const tail = logTail();
    rmSync(options.folder, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}${tail ? `\n${options.name} printed:\n${tail}` : ''}`, { cause: error });
  }
  return { child, logTail, kill };
}
