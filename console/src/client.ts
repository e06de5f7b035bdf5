import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { isUnauthenticated } from './errors';
import { signOut } from './session';

/** graphql-ws closes a socket whose key is unknown, revoked or rotated with 4401 (src/server/websocket.ts). */
const UNAUTHORIZED = 4401;

/**
 * The urql client of one signed-in key: HTTP POST /graphql with `Authorization: Bearer <key>`,
 * subscriptions over graphql-ws on the same path with the key in `connectionParams`. Any
 * UNAUTHENTICATED answer (HTTP 401) or a 4401 close signs the user out.
 */
export function createApiClient(apiKey: string): { client: Client; dispose: () => void } {
  const ws: WsClient = createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    lazy: true,
    retryAttempts: 5,
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === UNAUTHORIZED),
    on: {
      closed: (event) => {
        if (event instanceof CloseEvent && event.code === UNAUTHORIZED) signOut(`You were signed out: ${event.reason || 'the API key was revoked'}`);
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${apiKey}` } }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) signOut(`You were signed out: ${error.graphQLErrors[0]?.message ?? 'the API key is not accepted'}`);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}
