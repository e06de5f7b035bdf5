import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * One graphql-ws subscription on its own connection, recording what it receives. `apiKey` goes
 * in `connection_init` as `{ [header]: 'Bearer <key>' }`; null sends no key.
 */
export class LiveSubscription<TResult> {
  /** Every `next` payload's data, in arrival order. */
  readonly received: TResult[] = [];
  /** Resolves with what ended the subscription: a close event, an error list, or null when it completed. */
  readonly ended: Promise<unknown>;
  private readonly client: Client;
  private readonly listeners = new Set<() => void>();

  constructor(
    wsUrl: string,
    apiKey: string | null,
    document: TypedDocumentNode<TResult, Record<string, unknown>>,
    variables: Record<string, unknown> = {},
    header = 'authorization',
  ) {
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: apiKey ? { [header]: `Bearer ${apiKey}` } : {},
      retryAttempts: 0,
    });
    this.ended = new Promise((resolve) => {
      this.client.subscribe<TResult>(
        { query: print(document), variables },
        {
          next: (result) => {
            if (result.errors) return resolve(result.errors);
            this.received.push(result.data as TResult);
            for (const listener of this.listeners) listener();
          },
          error: resolve,
          complete: () => resolve(null),
        },
      );
    });
  }

  /** The first received payload matching `predicate`, waiting up to `timeoutMs` for it. */
  waitFor(predicate: (data: TResult) => boolean, timeoutMs = 5_000): Promise<TResult> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find(predicate);
        if (found === undefined) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`No matching event within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /**
   * graphql-ws does not acknowledge a `subscribe`, so a test cannot know when the server listens.
   * This publishes a marker (`publish`) until the stream shows it (`isMarker`): after that no
   * event published later is missed, and, since the bus keeps publish order, every event
   * published before the marker that passes the subscription's filter has arrived.
   */
  async sync(publish: () => Promise<void>, isMarker: (data: TResult) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await publish();
      try {
        await this.waitFor(isMarker, 100);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
