import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import type { Logger } from './logger';
import { TopicHub } from './topic-hub';

/** Topic name -> the one serialisable payload published on it (JSON: no Date, no class instances). */
export type TopicMap = { [topic: string]: [payload: unknown] };

/**
 * Publish/subscribe over a typed topic map, in the shape type-graphql 2's `buildSchema({ pubSub })`
 * expects (`publish(routingKey, ...args)`, `subscribe(routingKey) => AsyncIterable`).
 */
export interface PubSub<TTopics extends TopicMap> {
  /**
   * Delivers `payload` to every current subscriber of `topic`, in every process sharing the bus.
   * @throws Error when Redis refuses or stays unreachable (see {@link createPubSub}).
   */
  publish<TTopic extends keyof TTopics & string>(topic: TTopic, payload: TTopics[TTopic][0]): Promise<void>;
  /** The payloads published on `topic` from now on, in publish order; `return()` unsubscribes. */
  subscribe<TTopic extends keyof TTopics & string>(topic: TTopic): AsyncIterable<TTopics[TTopic][0]>;
  /** Quits the Redis connections (no-op in memory); open iterators stop receiving. */
  close(): Promise<void>;
}

/** Redis channels are `calsync:<topic>`, so that other applications sharing the Redis do not collide. */
const CHANNEL_PREFIX = 'calsync:';

/**
 * Without `redisUrl`, an in-memory bus ({@link TopicHub}) that reaches subscribers of this process
 * only. With it, Redis PUBLISH/SUBSCRIBE through `graphql-redis-subscriptions` on two ioredis
 * connections (a connection in subscriber mode can do nothing else), so an event published by a
 * worker reaches the API process holding the websocket; Redis feeds this process's hub, one
 * channel subscription per topic. Payloads cross Redis as JSON. Either way every subscriber of a
 * topic receives the same payload object, which lets the websocket execute an event once for
 * many subscribers.
 *
 * While Redis is unreachable ioredis reconnects forever; a publish waits for one reconnection
 * attempt and then rejects, so that the caller is not held for the default 20 attempts.
 * @see https://redis.io/docs/latest/develop/interact/pubsub/
 */
export function createPubSub<TTopics extends TopicMap>(options: { redisUrl?: string; logger: Logger }): PubSub<TTopics> {
  if (!options.redisUrl) {
    const memory = new TopicHub();
    return {
      publish: async (topic, payload) => memory.deliver(topic, payload),
      subscribe: (topic) => memory.subscribe(topic) as AsyncIterable<TTopics[typeof topic][0]>,
      close: async () => undefined,
    };
  }
  const connect = (role: string, redisOptions: { maxRetriesPerRequest?: number }) => {
    const client = new Redis(options.redisUrl!, redisOptions);
    // Without a listener ioredis prints every failed reconnection to the console.
    client.on('error', (error: Error) => options.logger.warn({ err: error, role }, 'Redis pub/sub connection error'));
    return client;
  };
  const redis = new RedisPubSub({ publisher: connect('publisher', { maxRetriesPerRequest: 1 }), subscriber: connect('subscriber', {}) });
  // One Redis listener per topic with subscribers in this process, which hands each message, parsed once, to all of them.
  const hub = new TopicHub((topic, deliver) => {
    const listening = redis.subscribe(CHANNEL_PREFIX + topic, deliver);
    listening.catch((error: unknown) => options.logger.warn({ err: error, topic }, 'could not subscribe to a Redis channel'));
    return () =>
      void listening.then(
        (id) => redis.unsubscribe(id),
        () => undefined,
      );
  });
  return {
    publish: (topic, payload) => redis.publish(CHANNEL_PREFIX + topic, payload),
    subscribe: (topic) => hub.subscribe(topic) as AsyncIterable<TTopics[typeof topic][0]>,
    close: async () => {
      await redis.close();
    },
  };
}

/**
 * Runs a publication and logs, instead of throwing, when it fails: a lost notification must not
 * fail a change that is already stored (subscribers can read the row again).
 */
export async function publishQuietly(logger: Logger, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    logger.warn({ err: error }, 'a live status event was not published');
  }
}
