import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';

/** Wall-clock milliseconds minus `performance.timeOrigin + performance.now()`, fixed at the edge of a millisecond. */
const offset = (() => {
  const first = Date.now();
  let now = Date.now();
  while (now === first) now = Date.now();
  return now - (performance.timeOrigin + performance.now());
})();

/**
 * Wall-clock time in fractional milliseconds since the epoch (`Date.now()` has whole ones):
 * comparable with a `Date` stamped in another process of this machine, finer than it.
 */
export function wallClock(): number {
  return performance.timeOrigin + performance.now() + offset;
}

/** Which event a message is, and when (wall clock, ms) that event was sent; null for other messages. */
export type ReadMessage = (text: string) => { marker: string; sentAt: number } | null;

/**
 * Latencies of one fleet's sockets (or of a Redis subscriber), in milliseconds: for every message
 * `read` recognises, the time from its `sentAt` to its receipt here, taken before it is parsed.
 */
export class Arrivals {
  private readonly latencies = new Map<string, number[]>();
  private readonly waiting = new Map<string, { count: number; resolve: () => void }>();

  constructor(
    sockets: WebSocket[],
    private readonly read: ReadMessage,
  ) {
    for (const socket of sockets) socket.on('message', (data) => this.receive(String(data)));
  }

  /** Records a message received now from another source than the sockets (a Redis subscriber). */
  receive(text: string, at = wallClock()): void {
    const message = this.read(text);
    if (message) this.add(message.marker, at - message.sentAt);
  }

  /** The first `count` latencies of `marker`, once they have arrived (ms); rejects after `timeoutMs`. */
  waitFor(marker: string, count: number, timeoutMs: number): Promise<number[]> {
    const first = () => this.latencies.get(marker)!.slice(0, count);
    if ((this.latencies.get(marker)?.length ?? 0) >= count) return Promise.resolve(first());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(marker);
        reject(new Error(`${this.latencies.get(marker)?.length ?? 0} of ${count} receipts of ${marker} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(marker, {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(first());
        },
      });
    });
  }

  private add(marker: string, latency: number): void {
    const list = this.latencies.get(marker) ?? [];
    list.push(latency);
    this.latencies.set(marker, list);
    const waiter = this.waiting.get(marker);
    if (waiter && list.length >= waiter.count) {
      this.waiting.delete(marker);
      waiter.resolve();
    }
  }
}
