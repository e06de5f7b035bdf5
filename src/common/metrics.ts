import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * The process's Prometheus metrics (prom-client), recorded by the server, the modules and the
 * worker alike. Labels are bounded sets chosen by the gateway (methods, routes, statuses, kinds,
 * providers, error codes, task identifiers), never tenant data: no ids, titles or URLs. The one
 * client-chosen label, the GraphQL operation name, goes through {@link BoundedLabel}.
 * Standard process metrics (`process_*`, `nodejs_*`, prom-client's collectDefaultMetrics) come with them.
 * @see https://github.com/siimon/prom-client
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export const sharedRegistry = new Registry();
collectDefaultMetrics({ register: sharedRegistry });

/** Latency buckets of requests and operations, seconds: 5 ms to 10 s. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Duration buckets of sync runs, seconds: 50 ms to 30 min. */
const RUN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const registers = [sharedRegistry];

/** The metrics recorded as things happen; names and labels are listed in README "Observability". */
export const metrics = {
  httpRequests: new Counter({
    name: 'calsync_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  }),
  httpRequestDuration: new Histogram({
    name: 'calsync_http_request_duration_seconds',
    help: 'Time from an HTTP request to the end of its response, seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  }),
  graphqlOperations: new Counter({
    name: 'calsync_graphql_operations_total',
    help: 'GraphQL operations over HTTP, by operation name and type and outcome (ok or the first error code)',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers,
  }),
  graphqlOperationDuration: new Histogram({
    name: 'calsync_graphql_operation_duration_seconds',
    help: 'Time a GraphQL operation over HTTP took, from parsing to the response, seconds',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  }),
  syncRuns: new Counter({
    name: 'calsync_sync_runs_total',
    help: 'Sync runs finished, by kind, final status and provider ("multiple" for a run over connections of several providers)',
    labelNames: ['kind', 'status', 'provider'] as const,
    registers,
  }),
  syncRunDuration: new Histogram({
    name: 'calsync_sync_run_duration_seconds',
    help: 'Time from the start of a sync run to its end, takeovers included, seconds',
    labelNames: ['kind', 'status', 'provider'] as const,
    buckets: RUN_BUCKETS,
    registers,
  }),
  eventsFetched: new Counter({
    name: 'calsync_sync_events_fetched_total',
    help: 'Event occurrences fetched from providers by sync runs',
    labelNames: ['provider'] as const,
    registers,
  }),
  eventsStored: new Counter({
    name: 'calsync_sync_events_stored_total',
    help: 'Event occurrences written (inserted or updated) by sync runs',
    labelNames: ['provider'] as const,
    registers,
  }),
  eventsDeleted: new Counter({
    name: 'calsync_sync_events_deleted_total',
    help: 'Event occurrences deleted by sync runs',
    labelNames: ['provider'] as const,
    registers,
  }),
  providerErrors: new Counter({
    name: 'calsync_provider_errors_total',
    help: 'Provider failures that ended a calendar sync, a connection sync or an appointment export, by provider error code',
    labelNames: ['provider', 'code'] as const,
    registers,
  }),
  appointmentExports: new Counter({
    name: 'calsync_appointment_exports_total',
    help: 'Appointment exports settled, by provider and outcome (EXPORTED, REMOVED, SKIPPED, FAILED, or RETRY for a failure retried later)',
    labelNames: ['provider', 'outcome'] as const,
    registers,
  }),
  connectionStatusChanges: new Counter({
    name: 'calsync_connection_status_changes_total',
    help: 'Status transitions of external calendar connections, by provider, from, to and reason',
    labelNames: ['provider', 'from', 'to', 'reason'] as const,
    registers,
  }),
  webhookAttempts: new Counter({
    name: 'calsync_webhook_attempts_total',
    help: 'Webhook delivery attempts, by event type and outcome (succeeded, retrying, failed)',
    labelNames: ['event_type', 'outcome'] as const,
    registers,
  }),
  webhookAttemptDuration: new Histogram({
    name: 'calsync_webhook_attempt_duration_seconds',
    help: "Time from sending a webhook attempt to the receiver's answer (or the attempt's failure), seconds",
    labelNames: ['outcome'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  }),
  webhookDeliveryLag: new Histogram({
    name: 'calsync_webhook_delivery_lag_seconds',
    help: 'Time from recording a webhook event (the commit of its change), or from its redelivery, to its successful delivery, retries included, seconds',
    labelNames: ['event_type'] as const,
    buckets: RUN_BUCKETS,
    registers,
  }),
};

/** What a scrape reads at that moment: the job queue, the connections, the websockets of an API process. */
export interface ScrapeSources {
  /** Jobs of graphile-worker's queue, per task identifier. */
  jobQueue(): Promise<JobQueueStats[]>;
  /** External calendar connections, per provider and status. */
  connections(): Promise<{ provider: string; status: string; count: number }[]>;
  /** Open websocket connections and their running subscriptions (an API process only). */
  websockets?(): { connections: number; subscriptions: number };
}

/** The jobs of one task in the queue. */
export interface JobQueueStats {
  task: string;
  /** Due and not taken by a worker. */
  waiting: number;
  /** Due later (a retry's backoff, a debounce). */
  scheduled: number;
  /** Taken by a worker. */
  running: number;
  /** Out of attempts; kept by graphile-worker until removed. */
  failed: number;
  /** Seconds the oldest waiting job has been due; 0 when none waits. */
  oldestWaitingSeconds: number;
}

/**
 * The registry one process serves on `/metrics`: the shared metrics above and gauges read from
 * `sources` on every scrape (one GROUP BY each). A source that fails (the database away) leaves its
 * gauges empty for that scrape and logs a warning; the scrape still answers.
 */
export function createScrapeRegistry(sources: ScrapeSources, logger: Logger): Registry {
  const local = new Registry();
  /** `read` once per scrape, however many gauges it feeds: prom-client collects them all at once. */
  const scraped = <T>(name: string, read: () => Promise<T>, write: (value: T) => void) => {
    let pending: Promise<void> | null = null;
    return () =>
      (pending ??= read()
        .then(write, (error: unknown) => {
          logger.warn({ err: { message: (error as Error).message }, metric: name }, 'a metric could not be read for this scrape');
        })
        .finally(() => (pending = null)));
  };
  const collectQueue = scraped('calsync_job_queue_depth', sources.jobQueue, (rows) => {
    queueDepth.reset();
    oldestAge.reset();
    for (const row of rows) {
      for (const state of ['waiting', 'scheduled', 'running', 'failed'] as const) queueDepth.set({ task: row.task, state }, row[state]);
      oldestAge.set({ task: row.task }, row.oldestWaitingSeconds);
    }
  });
  const queueDepth = new Gauge({
    name: 'calsync_job_queue_depth',
    help: 'Jobs in the queue, by task identifier and state (waiting, scheduled, running, failed)',
    labelNames: ['task', 'state'] as const,
    registers: [local],
    collect: collectQueue,
  });
  const oldestAge = new Gauge({
    name: 'calsync_job_queue_oldest_job_age_seconds',
    help: 'Seconds the oldest waiting job of a task has been due',
    labelNames: ['task'] as const,
    registers: [local],
    collect: collectQueue,
  });
  const connections: Gauge<'provider' | 'status'> = new Gauge({
    name: 'calsync_connections',
    help: 'External calendar connections, by provider and status',
    labelNames: ['provider', 'status'] as const,
    registers: [local],
    collect: scraped('calsync_connections', sources.connections, (rows) => {
      connections.reset();
      for (const row of rows) connections.set({ provider: row.provider, status: row.status }, row.count);
    }),
  });
  const websockets = sources.websockets;
  if (websockets) {
    new Gauge({
      name: 'calsync_websocket_connections',
      help: 'Open authenticated websocket connections (graphql-ws)',
      registers: [local],
      collect() {
        this.set(websockets().connections);
      },
    });
    new Gauge({
      name: 'calsync_websocket_subscriptions',
      help: 'Running GraphQL subscriptions over websockets',
      registers: [local],
      collect() {
        this.set(websockets().subscriptions);
      },
    });
  }
  return Registry.merge([sharedRegistry, local]);
}

/**
 * A label whose values come from clients (GraphQL operation names), kept bounded: a value is cut
 * to `maxLength` characters, and once `maxValues` distinct values have been seen, new ones
 * become `other`, so that no client can grow the number of series without end.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxValues = 200,
    private readonly maxLength = 64,
  ) {}

  /** The label value for `value`; `fallback` when it is empty or not a plain name. */
  valueOf(value: string | null | undefined, fallback: string): string {
    if (!value || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return fallback;
    const cut = value.slice(0, this.maxLength);
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.maxValues) return 'other';
    this.seen.add(cut);
    return cut;
  }
}

/** Seconds since `startMs` (a `performance.now()` reading), for histograms. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
