import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { AppError } from '../common/errors';
import { authenticate } from './auth';
import { consoleRoutes } from './console';
import type { AppDeps } from '../runtime';
import { tenantContext, type GraphQLContext } from '../modules/shared/context';
import { DATABASE_RETRY_AFTER_SECONDS, databaseOutagePlugin, isDatabaseUnavailable } from './database-outage';
import { serviceUnavailable, withEdgeErrors } from './edge-errors';
import { applyFanOutBudget } from './fan-out-budget';
import { createErrorFormatter } from './format-error';
import { createEdgeLimits, MAX_REQUEST_BYTES } from './limits';
import { oauthCallback } from './oauth-callback';
import { createEdgeRateLimiter } from './rate-limit';
import { createScrapeRegistry } from '../common/metrics';
import { databaseSources, graphqlMetricsPlugin, httpMetrics, metricsEndpoint, requestScope } from './observability';
import { createSchema } from './schema';
import { googleWebhook, microsoftWebhook } from './webhooks';
import { serveGraphqlWs } from './websocket';

/** The HTTP server of the gateway, not yet listening. */
export interface App {
  httpServer: http.Server;
  /**
   * Stops taking requests, lets the open ones finish (Apollo's drain, 10 s at most) and closes the
   * websockets (1001 Going away). The pub/sub is the caller's: a worker may still publish.
   */
  stop(): Promise<void>;
}

/**
 * Wires Express, Apollo Server, graphql-ws and the health endpoints: `POST /graphql` (Bearer
 * API key), websockets on `/graphql` (subscriptions; the key in `connection_init`),
 * `GET /healthz` (process up), `GET /readyz` (database reachable), `GET /oauth/callback`, and the
 * push webhooks `POST /webhooks/google` and `POST /webhooks/microsoft` (src/server/webhooks.ts),
 * `GET /metrics` (Prometheus, no API key; off with METRICS_ENABLED=false, src/server/observability.ts),
 * and the web console at `/console` (src/server/console.ts).
 * @see https://www.apollographql.com/docs/apollo-server/data/subscriptions
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const app = express();
  // req.ip, by which failed authentications are counted, names the client behind these proxies.
  app.set('trust proxy', deps.config.TRUST_PROXY);
  // Express would hash every answer for an ETag no GraphQL POST is revalidated with, and name itself in x-powered-by.
  app.set('etag', false);
  app.disable('x-powered-by');
  // Every request gets an id (x-request-id) that its log lines carry, and is counted (README "Observability").
  app.use(requestScope(), httpMetrics());
  const httpServer = http.createServer(app);
  const schema = applyFanOutBudget(await createSchema(deps.pubSub), deps.config.GRAPHQL_MAX_COST);
  // The hardened edge (README "A hardened edge"): query limits, rate limits per API key, per tenant and on failed authentication, over HTTP and websockets.
  const limits = createEdgeLimits(deps.config);
  const rateLimiter = createEdgeRateLimiter(deps.config, deps.logger);
  const formatError = withEdgeErrors(createErrorFormatter(deps.logger), { hideSuggestions: !limits.introspection });
  const websockets = serveGraphqlWs(httpServer, schema, deps, { limits, rateLimiter, formatError });
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process's shutdown (src/serve.ts) stops the server; Apollo's own handler would re-raise the signal and exit 130.
    stopOnTerminationSignals: false,
    introspection: limits.introspection,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    parseOptions: limits.parseOptions,
    // Apollo pretty-prints answers by default: twice the bytes and the CPU for no reader.
    stringifyResult: (result) => JSON.stringify(result),
    plugins: [
      // Nothing here sets cache hints, and the cache-control plugin's willResolveField hook would make Apollo wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin(),
      limits.plugin,
      databaseOutagePlugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Upgraded sockets are no longer HTTP requests, so the drain above does not see them.
      { serverWillStart: async () => ({ drainServer: async () => websockets.dispose() }) },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  if (deps.config.METRICS_ENABLED) {
    const registry = createScrapeRegistry({ ...databaseSources(deps), websockets: () => websockets.stats() }, deps.logger);
    app.get('/metrics', metricsEndpoint(registry, deps.config.METRICS_TOKEN));
  }
  app.get('/oauth/callback', oauthCallback(deps));
  // The web console (issue 19): static files built by `npm install`, under a strict CSP (src/server/console.ts).
  app.use('/console', consoleRoutes());
  app.post('/webhooks/google', ...googleWebhook(deps));
  app.post('/webhooks/microsoft', ...microsoftWebhook(deps));
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.orm.em.execute('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).json({ status: 'database unavailable' });
    }
  });
  app.use(
    '/graphql',
    rateLimiter.addressGate,
    express.json({ limit: MAX_REQUEST_BYTES }),
    // Again: the body parser's callbacks left the request's log scope.
    requestScope(),
    limits.bodyErrors,
    limits.batchGuard,
    expressMiddleware(apollo, {
      context: rateLimiter.afterAuthentication(async ({ req }) => {
        const em = deps.orm.em.fork();
        try {
          return tenantContext(deps, em, await authenticate(em, req.headers.authorization));
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw serviceUnavailable(DATABASE_RETRY_AFTER_SECONDS);
          if (!(error instanceof AppError)) throw error;
          throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
        }
      }),
    }),
  );
  // Express's default handler would print a stack trace outside production.
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The OAuth callback and the webhooks without their database: 503, so that providers retry.
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'the database is unavailable');
      res.status(503).set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).json({ error: 'service unavailable' });
      return;
    }
    deps.logger.error({ err: error }, 'unexpected error in an HTTP handler');
    res.status(500).json({ error: 'internal server error' });
  });
  return {
    httpServer,
    stop: async () => {
      await apollo.stop();
      await rateLimiter.close();
    },
  };
}
