import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, as it came, with what verified it. */
export interface ReceivedWebhook {
  /** `webhook-id` */
  id: string;
  /** `webhook-timestamp`, seconds since the epoch. */
  timestamp: number;
  /** `webhook-signature` split into its space-separated signatures (`v1,<base64>` each). */
  signatures: string[];
  /** The payload's `type`. */
  type: string;
  /** The raw body. */
  body: string;
  payload: { type: string; version: number; timestamp: string; data: Record<string, unknown> };
  /** Date.now() when the request's body had arrived. */
  receivedAt: number;
  /** The secrets (of {@link WebhookReceiver.secrets}) with which `new Webhook(secret).verify(body, headers)` accepted the request. */
  verifiedBy: string[];
  /** What it was answered: a status, or `held` while held open (then the status it got on release). */
  answer: number | 'held';
}

/**
 * One scripted answer: a status; a status with headers (`Retry-After`) and body; or `hold`, which
 * keeps the request open, unanswered, until {@link WebhookReceiver.release} (or until the sender
 * goes away).
 */
export type ScriptedAnswer = number | { status: number; headers?: Record<string, string>; body?: string } | 'hold';

/** A loopback HTTP receiver of webhooks, verifying each request as a partner would, with the `standardwebhooks` package. */
export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order. */
  readonly requests: ReceivedWebhook[];
  /** The secrets requests are verified with (a receiver knows the current one, and the previous one while it switches). */
  secrets: string[];
  /** Answers the next requests with these, in order; once they are used up, every request is answered 200. */
  script(...answers: ScriptedAnswer[]): void;
  /** Answers every held request with `status` (200 by default); returns how many were held. */
  release(status?: number): number;
  /** Requests held open now. */
  held(): number;
  /** Waits until `count` requests match `match` (all requests by default) and returns them. */
  waitFor(count: number, match?: (request: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 at a random port; `secrets` may be set later (before the first request). */
export async function startWebhookReceiver(secrets: string[] = []): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const answers: ScriptedAnswer[] = [];
  const holding = new Set<{ request: ReceivedWebhook; res: ServerResponse }>();
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();

  const receiver: WebhookReceiver = {
    url: '',
    requests,
    secrets,
    script: (...next) => void answers.push(...next),
    release(status = 200) {
      const count = holding.size;
      for (const entry of holding) {
        entry.request.answer = status;
        if (!entry.res.destroyed) entry.res.writeHead(status).end();
      }
      holding.clear();
      return count;
    },
    held: () => holding.size,
    async waitFor(count, match = () => true, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = requests.filter(match);
        if (found.length >= count) return found;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `Timed out waiting for ${count} webhook requests; got ${found.length}: ${JSON.stringify(found.map(summary))}; all: ${JSON.stringify(requests.map(summary))}`,
          );
        }
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 1_000));
          waiters.add(wake);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': header(req, 'webhook-id'),
      'webhook-timestamp': header(req, 'webhook-timestamp'),
      'webhook-signature': header(req, 'webhook-signature'),
    };
    const verifiedBy = receiver.secrets.filter((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
    let payload: ReceivedWebhook['payload'];
    try {
      payload = JSON.parse(body) as ReceivedWebhook['payload'];
    } catch {
      payload = { type: '', version: 0, timestamp: '', data: {} };
    }
    const answer = answers.shift() ?? 200;
    const request: ReceivedWebhook = {
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      signatures: headers['webhook-signature'].split(' ').filter(Boolean),
      type: payload.type,
      body,
      payload,
      receivedAt: Date.now(),
      verifiedBy,
      answer: answer === 'hold' ? 'held' : typeof answer === 'number' ? answer : answer.status,
    };
    requests.push(request);
    for (const wake of [...waiters]) wake();
    if (answer === 'hold') {
      const entry = { request, res };
      holding.add(entry);
      res.once('close', () => holding.delete(entry));
      return;
    }
    if (typeof answer === 'number') res.writeHead(answer).end();
    else res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

function summary(request: ReceivedWebhook) {
  return { id: request.id, type: request.type, answer: request.answer, verified: request.verifiedBy.length };
}
