import WebSocket from 'ws';

/** Tries of one handshake before {@link SubscriberFleet.connect} gives up. */
const MAX_ATTEMPTS = 3;

/** What a graphql-ws `next` message carries, as far as the bench reads it. */
export type NextMessage = { id: string; type: 'next'; payload: { data?: Record<string, { occurredAt?: string }> } };

/**
 * Many websocket clients in this process speaking the graphql-ws protocol by hand (subprotocol
 * `graphql-transport-ws`): `connection_init` with the key, `connection_ack`, one `subscribe`.
 * The same clients connect to the gateway and to the bare baseline, so that both sides pay the
 * same client work (one JSON.parse per message) and only the servers differ.
 * @see https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
 */
export class SubscriberFleet {
  readonly sockets: WebSocket[] = [];
  /** Handshakes that failed (a reset under load) and were tried again, since the fleet was made. */
  retries = 0;
  private onNext: (message: NextMessage, socket: WebSocket) => void = () => undefined;

  /**
   * Connects `count` clients to `url`, `concurrency` handshakes at a time (thousands at once
   * overflow the listen backlog and then measure SYN retries), each sending `query` after its
   * `connection_ack`; resolves when every client has been acknowledged and has subscribed. A failed
   * handshake is tried again up to {@link MAX_ATTEMPTS} times (counted in {@link retries}).
   */
  async connect(url: string, apiKey: string, query: string, count: number, concurrency = 100): Promise<void> {
    let started = 0;
    const worker = async () => {
      while (started < count) {
        started++;
        for (let attempt = 1; ; attempt++) {
          try {
            this.sockets.push(await this.connectOne(url, apiKey, query));
            break;
          } catch (error) {
            if (attempt === MAX_ATTEMPTS) throw error;
            this.retries++;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  }

  /** Resolves when every client has received a `next` for which `matches` holds, once each. */
  receiveAll(matches: (message: NextMessage) => boolean, timeoutMs = 120_000): Promise<void> {
    const pending = new Set(this.sockets);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${pending.size} of ${this.sockets.length} clients received nothing in ${timeoutMs} ms`)), timeoutMs);
      this.onNext = (message, socket) => {
        if (!matches(message) || !pending.delete(socket) || pending.size > 0) return;
        clearTimeout(timer);
        this.onNext = () => undefined;
        resolve();
      };
      if (pending.size === 0) resolve();
    });
  }

  /** Closes every client and waits until each socket has closed. */
  async close(): Promise<void> {
    const sockets = this.sockets.splice(0);
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(1000);
          }),
      ),
    );
  }

  private connectOne(url: string, apiKey: string, query: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      const refused = (reason: unknown) => reject(new Error(`a subscriber could not connect: ${String(reason)}`));
      socket.once('error', refused);
      socket.once('close', refused);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'next') return this.onNext(message as NextMessage, socket);
        if (message.type !== 'connection_ack') return;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        socket.off('error', refused).off('close', refused);
        resolve(socket);
      });
    });
  }
}
