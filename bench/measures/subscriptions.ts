import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { SyncRunKind, SyncRunStatus } from '../../src/modules/sync/sync-run.entity';
import { SyncTopic, type SyncRunChangedPayload } from '../../src/modules/sync/sync.topics';
import { startBenchGateway } from '../gateway';
import { median, timed, type Measure } from '../harness';
import { SubscriberFleet } from '../subscribers';

const QUERY = `subscription { syncStatusChanged { syncRunId resourceId externalCalendarId kind status pages fetched upserted deleted skipped error errorCode startedAt finishedAt occurredAt } }`;

/** Distinct instants (the schema's DateTime refuses other strings): the `n`th second of 2030. */
const instant = (n: number) => new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString();

/** A bare `ws` server answering `connection_init` with `connection_ack` and nothing else: the handshake without GraphQL. */
async function startBareServer(): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('connection', (socket) => socket.on('message', (data) => String(data).includes('connection_init') && socket.send('{"type":"connection_ack"}')));
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Subscriptions: (a) connecting N subscribers (`--subscribers`) over graphql-ws to the gateway —
 * `connection_init` with the tenant's key, `connection_ack`, `subscribe` to `syncStatusChanged` —
 * against the same clients doing the same handshake with a bare `ws` server that only acknowledges;
 * (b) delivering one published `SYNC_RUN_CHANGED` payload to all N (from `publish` until every
 * client has parsed its `next`) against the bare server sending the same message bytes to each
 * client in a loop. Clients and servers share this process, so both sides include the clients'
 * work. One fleet is open at a time (fds); each connect round connects and closes the bare fleet,
 * then connects the gateway's, which the delivery rounds of the last use before the bare fleet
 * connects again for its own (one warm-up each, then the median).
 */
export const measure: Measure = {
  name: 'subscriptions',
  async run({ databaseUrl, subscribers, rounds, log }) {
    const gateway = await startBenchGateway(databaseUrl);
    const bare = await startBareServer();
    const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    const ours = new SubscriberFleet();
    const theirs = new SubscriberFleet();
    try {
      // Both fleets at once would be 4 sockets per subscriber in this process: 20,000 at 5,000, the fd limit here.
      const connectOurs: number[] = [];
      const connectTheirs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        await ours.close();
        connectTheirs.push(await timed(() => theirs.connect(bare.url, 'bench', QUERY, subscribers)));
        await theirs.close();
        connectOurs.push(await timed(() => ours.connect(wsUrl, gateway.apiKey, QUERY, subscribers)));
        log(`connect round ${round + 1}: gateway ${connectOurs.at(-1)!.toFixed(0)} ms, bare ws ${connectTheirs.at(-1)!.toFixed(0)} ms`);
      }

      const payload = (occurredAt: string): SyncRunChangedPayload => ({
        tenantId: gateway.tenantId,
        syncRunId: randomUUID(),
        resourceId: randomUUID(),
        externalCalendarId: null,
        kind: SyncRunKind.INCREMENTAL,
        status: SyncRunStatus.RUNNING,
        pages: 1,
        fetched: 250,
        upserted: 240,
        deleted: 3,
        skipped: 0,
        calendars: [],
        error: null,
        errorCode: null,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        occurredAt,
      });
      const publishedAt = (occurredAt: string) => (message: { payload: { data?: Record<string, { occurredAt?: string }> } }) =>
        message.payload.data?.syncStatusChanged?.occurredAt === occurredAt;
      // graphql-ws acknowledges no `subscribe`: markers are published until every subscription has shown one.
      let marker = 1_000_000;
      const ready = ours.receiveAll(() => true);
      const markers = setInterval(() => void gateway.deps.pubSub.publish(SyncTopic.SYNC_RUN_CHANGED, payload(instant(marker++))), 250);
      await ready.finally(() => clearInterval(markers));
      await new Promise((resolve) => setTimeout(resolve, 500));

      let sample = '';
      ours.sockets[0]!.on('message', (data) => (sample = String(data)));
      let sequence = 0;
      /** The median of `rounds` deliveries after one warm-up, in ms. */
      const deliveries = async (deliver: (occurredAt: string) => void, fleet: SubscriberFleet) => {
        const times: number[] = [];
        for (let round = 0; round <= rounds; round++) {
          const occurredAt = instant(sequence++);
          const received = fleet.receiveAll(publishedAt(occurredAt));
          const took = await timed(async () => {
            deliver(occurredAt);
            await received;
          });
          if (round > 0) times.push(took);
        }
        return median(times);
      };
      const delivery = {
        calsync: await deliveries((occurredAt) => void gateway.deps.pubSub.publish(SyncTopic.SYNC_RUN_CHANGED, payload(occurredAt)), ours),
        baseline: 0,
      };
      await ours.close();
      await theirs.connect(bare.url, 'bench', QUERY, subscribers);
      delivery.baseline = await deliveries((occurredAt) => {
        // The gateway's own bytes, with this round's marker: the baseline sends what Calsync sends.
        const bytes = sample.replace(/"occurredAt":"[^"]*"/, `"occurredAt":"${occurredAt}"`);
        for (const client of bare.server.clients) client.send(bytes);
      }, theirs);
      log(`delivery: gateway ${delivery.calsync.toFixed(0)} ms, bare ws ${delivery.baseline.toFixed(0)} ms; message ${sample.length} bytes`);
      const detail = `${subscribers} subscribers in this process, median of ${rounds}`;
      return [
        {
          measure: `connect ${subscribers} subscribers`,
          calsync: median(connectOurs),
          baseline: median(connectTheirs),
          unit: 'ms',
          goal: 3,
          detail: `${detail}; 100 handshakes in flight; graphql-ws init/ack/subscribe vs the same frames to a bare ws server; handshakes retried after a reset: ${ours.retries} vs ${theirs.retries}`,
        },
        {
          measure: `deliver 1 event to ${subscribers} subscribers`,
          calsync: delivery.calsync,
          baseline: delivery.baseline,
          unit: 'ms',
          goal: 2,
          detail: `${detail}; publish until every client parsed its next (${sample.length} bytes) vs a bare ws loop sending the same bytes`,
        },
      ];
    } finally {
      await ours.close();
      await theirs.close();
      await new Promise((resolve) => bare.server.close(resolve));
      await gateway.close();
    }
  },
};
