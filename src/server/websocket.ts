import type http from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../common/errors';
import { authenticate, invalidKeys, reauthenticate } from './auth';
import type { AppDeps } from '../runtime';
import { tenantContext, type GraphQLContext } from '../modules/shared/context';
import { MAX_REQUEST_BYTES, type EdgeLimits } from './limits';
import { clientAddress } from './client-address';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-outage';
import { EdgeError, serviceUnavailable } from './edge-errors';
import type { EdgeRateLimiter } from './rate-limit';
import { limitFrames, UNAUTHENTICATED_FRAME_BYTES } from './ws-frames';
import { operationChecker, type CheckedOperation } from './ws-operations';
import { sharedSubscribe } from './shared-execution';

/** The edge's checks that websocket operations pass like HTTP requests (src/server/app.ts). */
export interface WebSocketEdge {
  limits: EdgeLimits;
  rateLimiter: EdgeRateLimiter;
  /** The formatter of Apollo's answers (src/server/edge-errors.ts, format-error.ts): same codes, same hints hidden. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** What `connection_init` carries: the API key as in the HTTP header, under either spelling. */
type ConnectionParams = { authorization?: unknown; Authorization?: unknown };

/** Set on the connection by a successful `connection_init`: the key and its hash at that moment, and its tenant. */
type ConnectionExtra = { apiKeyId: string; keyHash: string; tenantId: string };

/** RFC 6455's "Try Again Later": graphql-ws clients reconnect after it, unlike after 4xxx codes. */
const TRY_AGAIN_LATER = 1013;

/** The websocket server of an app: disposed on shutdown, counted on every metrics scrape. */
export interface WebSocketService extends Disposable {
  /** Authenticated connections open now, and the subscriptions running on them. */
  stats(): { connections: number; subscriptions: number };
}

/** How often the keys of open connections are checked for revocation and rotation. */
export const KEY_RECHECK_MS = 2_000;

/**
 * Serves the schema over the GraphQL over WebSocket protocol (graphql-ws, subprotocol
 * `graphql-transport-ws`) on the HTTP server's `/graphql`, next to Apollo's POST.
 *
 * `connection_init` must carry `{ "authorization": "Bearer csk_..." }` (or `Authorization`).
 * A missing, unknown or revoked key closes the socket with 4401 Unauthorized, which
 * graphql-ws clients treat as fatal instead of retrying (as they would after 4403 Forbidden),
 * and counts as a failed authentication of the client's address: an address refused for too
 * many of them gets HTTP 429 with `Retry-After` to its upgrade request, as to its POSTs. While
 * the database cannot be reached, `connection_init` closes the socket with 1013 (Try Again
 * Later) and an operation gets SERVICE_UNAVAILABLE, as HTTP answers 503.
 * Every operation gets its own EntityManager fork scoped to the connection's tenant and key
 * scope (a resource key sees only its resource), as an HTTP request does, after checking the
 * key again. Every {@link KEY_RECHECK_MS} the keys of the open connections are checked: a
 * connection whose key was revoked or rotated is closed with 4401, ending its subscriptions.
 * Each operation passes the edge's checks first, as over HTTP: it takes one request from its
 * key's rate-limit bucket (RATE_LIMITED), is parsed with the token limit and validated with the
 * same rules (no introspection when it is off), and must stay within the depth, cost, aliases and
 * directives limits (BAD_USER_INPUT); a refused operation gets an `error` message and nothing runs.
 * Those checks run once per operation text, name and variables (src/server/ws-operations.ts), and
 * a subscription event executes once for every subscriber with the same document, variables and
 * key, each of them being sent that one answer (src/server/shared-execution.ts).
 * Every error is shaped by the same formatter as over HTTP (no "Did you mean" hints when
 * introspection is off). Frames are held to the HTTP body limit ({@link MAX_REQUEST_BYTES},
 * `maxPayload`), and to {@link UNAUTHENTICATED_FRAME_BYTES} until `connection_init` has
 * authenticated; a longer frame closes the socket with 1009. `dispose()` stops the checks and
 * closes every socket (1001 Going away), completing its subscriptions. `stats()` counts the open
 * authenticated connections and their running subscriptions (the metrics' websocket gauges).
 * @see https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
 */
export function serveGraphqlWs(httpServer: http.Server, schema: GraphQLSchema, deps: AppDeps, edge: WebSocketEdge): WebSocketService {
  const addressOf = (request: http.IncomingMessage) => clientAddress(request, deps.config.TRUST_PROXY);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: (info, done) => {
      edge.rateLimiter.checkAddress(addressOf(info.req)).then(
        () => done(true),
        (error: unknown) =>
          error instanceof EdgeError ? done(false, 429, 'Too Many Requests', { 'Retry-After': String(error.details.retryAfter) }) : done(false, 500),
      );
    },
  });
  // Registered before graphql-ws's own listener, so before the socket reads anything.
  wsServer.on('connection', (socket) => limitFrames(socket, UNAUTHENTICATED_FRAME_BYTES));
  const formatError = (error: GraphQLError) => edge.formatError(error.toJSON(), error);
  const checkOperation = operationChecker(schema, edge.limits);
  // Subscribers with the same key see the same answers: an event runs once for all of them.
  const executeOncePerScope = sharedSubscribe((context) => {
    const { tenant, key } = (context ?? {}) as Partial<GraphQLContext>;
    return tenant && key ? JSON.stringify([tenant.id, key]) : null;
  });
  const open = new Map<WebSocket, ConnectionExtra>();
  /** The ids of the subscriptions running on each socket, from graphql-ws's onOperation to its onComplete or the socket's close. */
  const subscriptions = new Map<WebSocket, Set<string>>();
  const revoked = (socket: WebSocket) => socket.close(CloseCode.Unauthorized, 'The API key was revoked or rotated');

  let checking = false;
  const timer = setInterval(() => {
    if (checking || open.size === 0) return;
    checking = true;
    invalidKeys(deps.orm.em.fork(), [...open.values()])
      .then((invalid) => {
        for (const [socket, key] of open) if (invalid.has(key.apiKeyId)) revoked(socket);
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not check the API keys of open websockets'))
      .finally(() => (checking = false));
  }, KEY_RECHECK_MS);
  timer.unref();

  const server = useServer<ConnectionParams, ConnectionExtra>(
    {
      schema,
      subscribe: executeOncePerScope,
      onConnect: async (ctx) => {
        const { authorization, Authorization } = ctx.connectionParams ?? {};
        const header = authorization ?? Authorization;
        try {
          const caller = await authenticate(deps.orm.em.fork(), typeof header === 'string' ? header : undefined);
          ctx.extra.apiKeyId = caller.key.apiKeyId!;
          ctx.extra.keyHash = caller.keyHash;
          ctx.extra.tenantId = caller.tenant.id;
          const socket = ctx.extra.socket;
          limitFrames(socket, MAX_REQUEST_BYTES);
          open.set(socket, { apiKeyId: ctx.extra.apiKeyId, keyHash: ctx.extra.keyHash, tenantId: ctx.extra.tenantId });
          socket.once('close', () => {
            open.delete(socket);
            subscriptions.delete(socket);
          });
          return true;
        } catch (error) {
          if (isDatabaseUnavailable(error)) {
            ctx.extra.socket.close(TRY_AGAIN_LATER, 'The service is unavailable; retry later');
            return false;
          }
          if (!(error instanceof AppError)) throw error;
          await edge.rateLimiter.authenticationFailed(addressOf(ctx.extra.request));
          ctx.extra.socket.close(CloseCode.Unauthorized, error.message);
          // Not acknowledged, so any `subscribe` already on the wire is refused; graphql-ws's own
          // close with 4403 that follows is a no-op on a socket already closing.
          return false;
        }
      },
      // Parsed and validated here rather than by graphql-ws, whose validation knows no introspection
      // switch; the context too (graphql-ws runs operations only on acknowledged connections, whose
      // onConnect set the key), so that a revoked key or a database outage is an answer, not a crash.
      onSubscribe: async (ctx, _id, payload) => {
        let checked: CheckedOperation;
        const em = deps.orm.em.fork();
        let caller: Awaited<ReturnType<typeof reauthenticate>>;
        try {
          await edge.rateLimiter.consume({ keyHash: ctx.extra.keyHash!, tenantId: ctx.extra.tenantId! });
          checked = checkOperation(payload);
          if (checked.errors) return [...checked.errors];
          caller = await reauthenticate(em, ctx.extra.apiKeyId!, ctx.extra.keyHash!);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          if (isDatabaseUnavailable(error)) return [serviceUnavailable(DATABASE_RETRY_AFTER_SECONDS)];
          if (!(error instanceof AppError)) throw error;
          revoked(ctx.extra.socket);
          return [new GraphQLError(error.message, { extensions: { code: error.code } })];
        }
        return {
          schema,
          document: checked.document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: tenantContext(deps, em, caller),
        };
      },
      onOperation: (ctx, id, _payload, _args, result) => {
        if (!(Symbol.asyncIterator in result) || !open.has(ctx.extra.socket)) return;
        const ids = subscriptions.get(ctx.extra.socket) ?? new Set<string>();
        subscriptions.set(ctx.extra.socket, ids.add(id));
      },
      onComplete: (ctx, id) => void subscriptions.get(ctx.extra.socket)?.delete(id),
      onError: (_ctx, _id, _payload, errors) => errors.map(formatError),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(formatError) } : undefined),
    },
    wsServer,
  );
  return {
    dispose: async () => {
      clearInterval(timer);
      await server.dispose();
    },
    stats: () => ({ connections: open.size, subscriptions: [...subscriptions.values()].reduce((sum, ids) => sum + ids.size, 0) }),
  };
}
