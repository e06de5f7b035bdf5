import { MAX_WAITING, TopicHub } from '../../../src/common/topic-hub';

describe('TopicHub', () => {
  it('hands every subscriber of a topic the same payload object, in order, and only of its topic', async () => {
    const hub = new TopicHub();
    const a = hub.subscribe('A');
    const b = hub.subscribe('A');
    const other = hub.subscribe('B');
    const first = { n: 1 };
    hub.deliver('A', first);
    hub.deliver('A', { n: 2 });
    expect((await a.next()).value).toBe(first);
    expect((await b.next()).value).toBe(first);
    expect((await a.next()).value).toEqual({ n: 2 });
    const waiting = other.next();
    hub.deliver('B', 'b');
    expect(await waiting).toEqual({ value: 'b', done: false });
  });

  it('ends a subscriber at once on return(), even while its next() waits, and delivers nothing to it after', async () => {
    const hub = new TopicHub();
    const subscriber = hub.subscribe('A');
    const waiting = subscriber.next();
    await subscriber.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    hub.deliver('A', 1);
    expect(await subscriber.next()).toEqual({ value: undefined, done: true });
  });

  it(`ends a subscriber that falls more than ${MAX_WAITING} payloads behind, with an error`, async () => {
    const hub = new TopicHub();
    const slow = hub.subscribe('A');
    for (let i = 0; i <= MAX_WAITING; i++) hub.deliver('A', i);
    await expect(slow.next()).rejects.toThrow(/fell more than 1024 events behind/);
  });

  it('listens upstream to a topic while it has subscribers here, once for all of them', async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    let deliver: (payload: unknown) => void = () => undefined;
    const hub = new TopicHub((topic, to) => {
      started.push(topic);
      deliver = to;
      return () => stopped.push(topic);
    });
    const a = hub.subscribe('A');
    const b = hub.subscribe('A');
    deliver('from redis');
    expect((await b.next()).value).toBe('from redis');
    await a.return!();
    expect(stopped).toEqual([]);
    await b.return!();
    expect({ started, stopped }).toEqual({ started: ['A'], stopped: ['A'] });
  });
});
