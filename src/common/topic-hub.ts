/** Payloads a subscriber may have waiting before it is ended as too slow (as a Repeater refuses its 1,025th pending push). */
export const MAX_WAITING = 1024;

/** What feeds a hub a topic's payloads from elsewhere (Redis); returns how to stop. */
export type Upstream = (topic: string, deliver: (payload: unknown) => void) => () => void;

/**
 * This process's subscribers of each topic, each an async iterator with its own queue, handed
 * every payload delivered on the topic: the same object to all of them, in one loop. Instead of
 * an EventTarget listener and a Repeater per subscriber (`@graphql-yoga/subscription`), whose
 * dispatch and pushes cost more than executing the event once it is shared (src/server/shared-execution.ts).
 * With `upstream`, a topic is listened to there while it has a subscriber here, once for all of them.
 */
export class TopicHub {
  private readonly subscribers = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stops = new Map<string, () => void>();

  constructor(private readonly upstream?: Upstream) {}

  /** Hands `payload` to every current subscriber of `topic`. */
  deliver(topic: string, payload: unknown): void {
    const subscribers = this.subscribers.get(topic);
    if (subscribers) for (const subscriber of subscribers) subscriber(payload);
  }

  /**
   * The payloads delivered on `topic` from now on, in order; `return()` unsubscribes at once, even
   * while a `next()` waits. A subscriber with more than {@link MAX_WAITING} payloads waiting is
   * ended: its next `next()` rejects, and nothing is kept for it.
   */
  subscribe(topic: string): AsyncIterableIterator<unknown> {
    const waiting: unknown[] = [];
    let reader: ((step: IteratorResult<unknown>) => void) | null = null;
    let failure: Error | null = null;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      waiting.length = 0;
      this.leave(topic, receive);
      reader?.({ value: undefined, done: true });
      reader = null;
    };
    const receive = (payload: unknown) => {
      if (reader) {
        const read = reader;
        reader = null;
        return read({ value: payload, done: false });
      }
      if (waiting.push(payload) <= MAX_WAITING) return;
      end();
      failure = new Error(`A subscriber of ${topic} fell more than ${MAX_WAITING} events behind and was ended`);
    };
    this.join(topic, receive);
    return {
      next: () => {
        if (failure) return Promise.reject(failure);
        if (waiting.length > 0) return Promise.resolve({ value: waiting.shift(), done: false });
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (reader = resolve));
      },
      return: () => {
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private join(topic: string, subscriber: (payload: unknown) => void): void {
    let subscribers = this.subscribers.get(topic);
    if (!subscribers) {
      this.subscribers.set(topic, (subscribers = new Set()));
      if (this.upstream)
        this.stops.set(
          topic,
          this.upstream(topic, (payload) => this.deliver(topic, payload)),
        );
    }
    subscribers.add(subscriber);
  }

  private leave(topic: string, subscriber: (payload: unknown) => void): void {
    const subscribers = this.subscribers.get(topic);
    if (!subscribers?.delete(subscriber) || subscribers.size > 0) return;
    this.subscribers.delete(topic);
    this.stops.get(topic)?.();
    this.stops.delete(topic);
  }
}
