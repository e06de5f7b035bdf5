/**
 * A worker's lease on a row it works on (a sync run, an appointment export): it writes a
 * heartbeat every `heartbeatSeconds` while it works, and a row whose heartbeat is older than
 * {@link MISSED_HEARTBEATS} beats has lost its worker, whose graphile-worker jobs are then
 * released (graphile-worker itself would wait for its 4-hour lock timeout). The rows and what
 * a takeover does to them belong to the caller.
 */

/** Missed heartbeats after which a lease's worker is taken for dead. */
export const MISSED_HEARTBEATS = 6;

/** Heartbeats before this instant are stale: their worker died. */
export function staleBefore(heartbeatSeconds: number): Date {
  return new Date(Date.now() - MISSED_HEARTBEATS * heartbeatSeconds * 1000);
}

/**
 * Calls `beat` (which writes the heartbeat) every `heartbeatSeconds` until the returned function
 * is called. A failed beat is ignored: the next one tries again, and a worker that cannot write
 * for six beats is rightly taken for dead.
 */
export function keepAlive(heartbeatSeconds: number, beat: () => Promise<unknown>): () => void {
  const timer = setInterval(() => {
    void beat().catch(() => undefined);
  }, heartbeatSeconds * 1000);
  return () => clearInterval(timer);
}

/** The distinct worker ids of stale leases, for {@link releaseWorkers}. */
export function workersOf(holders: Iterable<string | null>): string[] {
  return [...new Set([...holders].filter((id): id is string => id !== null))];
}

/** Releases the jobs that the dead workers held, so that a live worker takes them at once. */
export async function releaseWorkers(queue: { forceUnlockWorkers(workerIds: string[]): Promise<void> }, workerIds: string[]): Promise<void> {
  if (workerIds.length > 0) await queue.forceUnlockWorkers(workerIds);
}
