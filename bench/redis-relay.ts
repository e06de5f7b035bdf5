/**
 * `node dist/bench/redis-relay.js <redis-url> <channel>`: the baseline of the Redis fan-out
 * measure (bench/measures/redis-fanout.ts), a bare relay in its own process. It subscribes to
 * `channel` with ioredis and sends every message, as it came (already a graphql-ws `next` frame),
 * to each websocket client; a client's `connection_init` is answered with `connection_ack` and
 * nothing else is read. Prints `{"port":N}` once it listens and is subscribed; SIGTERM ends it.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';

async function main(): Promise<void> {
  const [redisUrl, channel] = process.argv.slice(2);
  if (!redisUrl || !channel) throw new Error('usage: redis-relay <redis-url> <channel>');
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('connection', (socket) => socket.on('message', (data) => String(data).includes('connection_init') && socket.send('{"type":"connection_ack"}')));
  await once(server, 'listening');
  const redis = new Redis(redisUrl);
  redis.on('message', (_channel: string, message: string) => {
    for (const client of server.clients) client.send(message);
  });
  await redis.subscribe(channel);
  process.once('SIGTERM', () => {
    redis.disconnect();
    server.close(() => process.exit(0));
    for (const client of server.clients) client.terminate();
  });
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
