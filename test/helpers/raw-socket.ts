import WebSocket from 'ws';

/** One raw graphql-transport-ws connection, recording every message and how it closed. */
export class RawSocket {
  readonly messages: any[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.opened.catch(() => undefined);
    this.socket.on('error', () => undefined);
    this.socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Resolves once open; rejects with the upgrade's failure (`Unexpected server response: 429`). */
  open(): Promise<void> {
    return this.opened;
  }

  async send(message: unknown): Promise<void> {
    await this.opened;
    this.socket.send(JSON.stringify(message));
  }

  /** The first message matching `predicate`, within 5 s. */
  async next(predicate: (message: any) => boolean): Promise<any> {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 10))) {
      const found = this.messages.find(predicate);
      if (found) return found;
    }
    throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
  }

  /** Sends connection_init with the key and waits for the ack. */
  async init(apiKey: string): Promise<void> {
    await this.send({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } });
    await this.next((message) => message.type === 'connection_ack');
  }

  /** Runs one operation; resolves with its `next` payloads, and the `error` payload if it ended with one. */
  async run(id: string, query: string, variables?: Record<string, unknown>): Promise<{ next: any[]; error?: any[] }> {
    await this.send({ id, type: 'subscribe', payload: { query, variables } });
    const end = await this.next((message) => message.id === id && (message.type === 'complete' || message.type === 'error'));
    const next = this.messages.filter((message) => message.id === id && message.type === 'next').map((message) => message.payload);
    return end.type === 'error' ? { next, error: end.payload } : { next };
  }

  close(): void {
    this.socket.close();
  }
}
