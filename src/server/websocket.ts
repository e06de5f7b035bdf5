import type http from 'node:http';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AppError } from '../common/errors';
import { Tenant } from '../modules/tenancy/tenant.entity';
import { authenticate } from './auth';
import { tenantContext, type AppDeps } from './context';
import { createErrorFormatter } from './format-error';

/** What `connection_init` carries: the API key as in the HTTP header, under either spelling. */
type ConnectionParams = { authorization?: unknown; Authorization?: unknown };

/** Set on the connection by a successful `connection_init`. */
type ConnectionExtra = { tenantId: string };

/**
 * Serves the schema over the GraphQL over WebSocket protocol (graphql-ws, subprotocol
 * `graphql-transport-ws`) on the HTTP server's `/graphql`, next to Apollo's POST.
 *
 * `connection_init` must carry `{ "authorization": "Bearer csk_..." }` (or `Authorization`).
 * A missing, unknown or revoked key closes the socket with 4401 Unauthorized, which
 * graphql-ws clients treat as fatal instead of retrying (as they would after 4403 Forbidden).
 * Every operation gets its own EntityManager fork scoped to the connection's tenant, as an HTTP
 * request does; execution errors are shaped by the same formatter as over HTTP. `dispose()`
 * closes every socket (1001 Going away), completing its subscriptions.
 * @see https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
 */
export function serveGraphqlWs(httpServer: http.Server, schema: GraphQLSchema, deps: AppDeps): Disposable {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const formatError = createErrorFormatter(deps.logger);
  return useServer<ConnectionParams, ConnectionExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const { authorization, Authorization } = ctx.connectionParams ?? {};
        const header = authorization ?? Authorization;
        try {
          const tenant = await authenticate(deps.orm.em.fork(), typeof header === 'string' ? header : undefined);
          ctx.extra.tenantId = tenant.id;
          return true;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          ctx.extra.socket.close(CloseCode.Unauthorized, error.message);
          // Not acknowledged, so any `subscribe` already on the wire is refused; graphql-ws's own
          // close with 4403 that follows is a no-op on a socket already closing.
          return false;
        }
      },
      // graphql-ws runs operations only on acknowledged connections, whose onConnect set tenantId.
      context: async (ctx) => {
        const em = deps.orm.em.fork();
        return tenantContext(deps, em, await em.findOneOrFail(Tenant, { id: ctx.extra.tenantId! }));
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error: GraphQLError) => formatError(error.toJSON(), error)) } : undefined,
    },
    wsServer,
  );
}
