import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import express from 'express';
import type { Registry } from 'prom-client';
import { withLogScope } from '../common/logger';
import { BoundedLabel, createScrapeRegistry, metrics, secondsSince, type ScrapeSources } from '../common/metrics';
import { countConnections } from '../modules/connections/connection-lifecycle';
import type { AppDeps } from '../runtime';
import type { GraphQLContext } from '../modules/shared/context';

/** A request id a client may choose: 1 to 128 characters of letters, digits, `.`, `_` and `-`. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The request id middleware: the client's `x-request-id` when it is sane ({@link SANE_REQUEST_ID}),
 * a random UUID otherwise, echoed in the response's `x-request-id` and added to every log line
 * written while the request is handled (`requestId`, through the logger's scope). Use it first,
 * and again after a body parser: a parser's stream callbacks run outside the scope.
 */
export function requestScope(): express.RequestHandler {
  return (req, res, next) => {
    let id = res.locals.requestId as string | undefined;
    if (!id) {
      const given = req.headers['x-request-id'];
      id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
      res.locals.requestId = id;
      res.setHeader('x-request-id', id);
    }
    withLogScope({ requestId: id }, next);
  };
}

/** The routes of the gateway; any other path is counted as `other`, so that scanners add no series. */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/oauth/callback', '/webhooks/google', '/webhooks/microsoft']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts every HTTP request and its latency (`calsync_http_requests_total`, `calsync_http_request_duration_seconds`) when its response ends or its client goes. */
export function httpMetrics(): express.RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    const route = ROUTES.has(req.path) ? req.path : 'other';
    const method = METHODS.has(req.method) ? req.method : 'OTHER';
    res.once('close', () => {
      const labels = { method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpRequestDuration.observe(labels, secondsSince(start));
    });
    next();
  };
}

/** An error code fit for a label: the gateway's codes are upper-case words; anything else is `OTHER`. */
function outcomeOf(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z_]{0,39}$/.test(code) ? code : 'OTHER';
}

/**
 * The Apollo Server plugin that counts every GraphQL operation over HTTP and its latency
 * (`calsync_graphql_operations_total`, `calsync_graphql_operation_duration_seconds`) by operation
 * name (`anonymous` when unnamed; at most 200 names of at most 64 characters, then `other`),
 * operation type (`query`, `mutation`, `subscription`, or `unknown` when it did not parse or
 * validate) and outcome (`ok`, or the code of the first error in the response). Requests refused
 * before Apollo (no or a bad API key, a rate limit) are counted by {@link httpMetrics} only.
 * @see https://www.apollographql.com/docs/apollo-server/integrations/plugins
 */
export function graphqlMetricsPlugin(): ApolloServerPlugin<GraphQLContext> {
  const names = new BoundedLabel(200, 64);
  return {
    async requestDidStart() {
      const start = performance.now();
      return {
        async willSendResponse({ operation, operationName, request, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const labels = {
            operation_name: names.valueOf(operationName ?? request.operationName, 'anonymous'),
            operation_type: operation?.operation ?? 'unknown',
            outcome: errors && errors.length > 0 ? outcomeOf(errors[0].extensions?.code) : 'ok',
          };
          metrics.graphqlOperations.inc(labels);
          metrics.graphqlOperationDuration.observe(labels, secondsSince(start));
        },
      };
    },
  };
}

/** What a process's scrape reads from the database: graphile-worker's jobs and the connections. */
export function databaseSources(deps: AppDeps): ScrapeSources {
  return { jobQueue: () => deps.queue.stats(), connections: () => countConnections(deps.orm.em.fork()) };
}

/** Whether an `Authorization` header holds `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /metrics`: the registry in the Prometheus text exposition format (version 0.0.4). No API
 * key; with METRICS_TOKEN it asks for `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise).
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export function metricsEndpoint(registry: Registry, token: string | undefined): express.RequestHandler {
  return async (req, res) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    res.set('content-type', registry.contentType).send(await registry.metrics());
  };
}

/**
 * The metrics server of a process without the API (the `worker` command): `GET /metrics` alone on
 * METRICS_PORT, with the job and connection gauges, when METRICS_ENABLED and METRICS_PORT are set;
 * null otherwise. It listens until the process exits (unref'd: it does not hold the process up).
 */
export async function startMetricsServer(deps: AppDeps): Promise<http.Server | null> {
  const { METRICS_ENABLED, METRICS_PORT, METRICS_TOKEN } = deps.config;
  if (!METRICS_ENABLED || !METRICS_PORT) return null;
  const app = express();
  app.get('/metrics', metricsEndpoint(createScrapeRegistry(databaseSources(deps), deps.logger), METRICS_TOKEN));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(METRICS_PORT, resolve));
  // It never keeps the process up: the worker's shutdown needs not close it.
  server.unref();
  deps.logger.info({ url: `http://localhost:${METRICS_PORT}/metrics` }, 'serving metrics');
  return server;
}
