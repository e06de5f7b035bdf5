import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The compiled gateway (`node dist/src/main.js <command>`, as scripts/calsync.js runs it); this file is dist/bench/processes.js. */
export const GATEWAY_MAIN = path.resolve(__dirname, '../src/main.js');

/** A child process of the bench, with everything it printed. */
export interface BenchProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10,000); resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Every child still running: killed when the bench exits, should a `finally` not have run. */
const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', killAll);
// A signal ends the bench without 'exit': the children go first, then the signal is raised again, now with its default action.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** Starts `node <script> ...args` with `env` over this process's environment. */
export function startProcess(script: string, args: string[], env: Record<string, string>): BenchProcess {
  let output = '';
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return {
    child,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Polls `probe` every 100 ms until it returns something truthy; fails after `timeoutMs`, or at
 * once when `owner` has exited (with what it printed).
 */
export async function until<T>(what: string, owner: BenchProcess, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (owner.child.exitCode !== null) throw new Error(`${what}: the process exited (${owner.child.exitCode}):\n${owner.output()}`);
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${owner.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
