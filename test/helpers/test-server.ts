import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config';
import { SecretBox } from '../../src/common/crypto';
import { createLogger } from '../../src/common/logger';
import { initOrm } from '../../src/db/orm';
import { TenantService } from '../../src/modules/tenancy/tenant.service';
import { createApp } from '../../src/server/app';
import { createDeps, type AppDeps } from '../../src/runtime';
import { SyncQueue } from '../../src/modules/sync/sync.jobs';
import { startWorker, workerOptions } from '../../src/worker';
import { GetSyncRunDocument, type SyncRunFieldsFragment } from '../graphql/generated';
import { freePort } from './free-port';

/** The GraphQL response of one request. */
export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

/** A running gateway on a random loopback port, on the test database, with a fresh tenant. */
export interface TestServer {
  url: string;
  /** graphql-ws endpoint: `ws://127.0.0.1:<port>/graphql`. */
  wsUrl: string;
  orm: MikroORM;
  /** The server's process-wide dependencies, e.g. `deps.publish` to publish live notifications. */
  deps: AppDeps;
  /** The server's secret box, to read and write sealed credentials. */
  secrets: SecretBox;
  apiKey: string;
  tenantId: string;
  /** Runs a typed operation with the tenant's key (or `apiKey` when given). */
  gql<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables, apiKey?: string | null): Promise<GraphQLResult<TResult>>;
  /** Like {@link gql} but fails the test on any error, returning the data. */
  ok<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables): Promise<TResult>;
  /** Waits until the sync run has finished (a worker runs it) and returns it as `syncRun(id)` shows it. */
  finished(runId: string): Promise<SyncRunFieldsFragment>;
  /** Another tenant on the same server, with its key; named `name` and a random suffix (names are unique). */
  createTenant(name: string): Promise<{ apiKey: string; tenantId: string }>;
  close(): Promise<void>;
}

/**
 * Starts the real app (Express + Apollo + MikroORM) against DATABASE_URL, as set by global-setup.
 * `onQuery` sees every SQL statement the ORM sends; `env` adds configuration (e.g. provider base
 * URLs of fakes). A sync worker runs in the same process, as with `npm start`, unless `worker: false`;
 * it does not enqueue scheduled syncs (tests count the runs they ask for; schedule.test.ts runs the
 * schedule task itself).
 */
export async function startTestServer(options: { onQuery?: (sql: string) => void; env?: Record<string, string>; worker?: boolean } = {}): Promise<TestServer> {
  // The port is chosen first so that PUBLIC_URL, and with it the OAuth redirect URI, is this server.
  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The tests' CalDAV servers listen on loopback; suites about the policy itself set it back.
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...options.env,
  });
  const orm = await initOrm(config.DATABASE_URL!, options.onQuery ? { debug: ['query'], logger: options.onQuery } : {});
  const logger = createLogger(config.LOG_LEVEL);
  const secrets = new SecretBox(Buffer.from(config.CALSYNC_ENCRYPTION_KEY!, 'base64'));
  const queue = await SyncQueue.open(config.DATABASE_URL!);
  const deps = createDeps(config, orm, secrets, logger, queue);
  const app = await createApp(deps);
  // Two slots unless a test asks for more (WORKER_CONCURRENCY): the machine is shared.
  const slots = options.env?.WORKER_CONCURRENCY ? config.WORKER_CONCURRENCY : 2;
  const worker =
    options.worker === false
      ? null
      : await startWorker(config.DATABASE_URL!, orm, deps, logger, { ...workerOptions(config), concurrency: slots, schedule: false });
  await new Promise<void>((resolve) => app.httpServer.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${port}`;
  const createTenant = async (name: string) => {
    // Tenant names are unique: files sharing the test database may ask for the same one.
    const created = await new TenantService(orm.em.fork()).create(`${name}-${randomBytes(3).toString('hex')}`);
    return { apiKey: created.apiKey, tenantId: created.tenant.id };
  };
  const { tenant, apiKey } = await new TenantService(orm.em.fork()).create(`test-${randomBytes(4).toString('hex')}`);

  async function gql<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables, key: string | null = apiKey) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TResult; errors?: GraphQLFormattedError[] };
    return { status: response.status, ...body };
  }

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    orm,
    deps,
    secrets,
    apiKey,
    tenantId: tenant.id,
    gql,
    async ok(document, variables) {
      const result = await gql(document, variables);
      if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data!;
    },
    createTenant,
    async finished(runId) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { syncRun } = (await gql(GetSyncRunDocument, { id: runId })).data!;
        if (syncRun && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(syncRun.status)) return syncRun;
        if (Date.now() > deadline) throw new Error(`Sync run ${runId} did not finish within 60 s (${syncRun?.status})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await worker?.stop();
      await app.stop();
      await deps.pubSub.close();
      await queue.close();
      await orm.close();
    },
  };
}
