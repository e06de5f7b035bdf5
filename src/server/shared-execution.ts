import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
// What graphql-js 16's own `subscribe` maps its source stream with (return() ends the source at once).
import { mapAsyncIterator } from 'graphql/execution/mapAsyncIterator';

type Execution = ExecutionResult | Promise<ExecutionResult>;

/**
 * graphql-js `subscribe`, except that an event is executed once for every subscription that
 * would get the same answer, instead of once per subscriber: the same event object (the bus hands
 * every listener the one it received), the same document (src/server/ws-operations.ts hands out
 * one per text), operation name and variables, and the same `scopeOf(context)`: the caller, as far
 * as resolvers can tell callers apart. The answer is then one object, which graphql-ws sends to
 * each subscriber. A context whose scope is null is never shared. Answers are kept per event in a
 * WeakMap, so they go when the event does.
 */
export function sharedSubscribe(
  scopeOf: (context: unknown) => string | null,
): (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const executions = new WeakMap<object, Map<string, Execution>>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let documents = 0;
  const documentId = (document: DocumentNode) => {
    let id = documentIds.get(document);
    if (id === undefined) documentIds.set(document, (id = documents++));
    return id;
  };
  return async (args) => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream;
    const scope = scopeOf(args.contextValue);
    const key = scope === null ? null : JSON.stringify([documentId(args.document), args.operationName ?? null, args.variableValues ?? null, scope]);
    return mapAsyncIterator(stream, (event: unknown): Execution => {
      if (key === null || typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
      let byKey = executions.get(event);
      if (!byKey) executions.set(event, (byKey = new Map()));
      let execution = byKey.get(key);
      if (!execution) byKey.set(key, (execution = execute({ ...args, rootValue: event })));
      return execution;
    });
  };
}
