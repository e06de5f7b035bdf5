import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { SecretBox } from '../src/common/crypto';
import { createLogger } from '../src/common/logger';
import { loadConfig } from '../src/config';
import { initOrm } from '../src/db/orm';
import { SyncQueue } from '../src/modules/sync/sync.jobs';
import { TenantService } from '../src/modules/tenancy/tenant.service';
import { createDeps, type AppDeps } from '../src/runtime';
import { createApp } from '../src/server/app';

/** A gateway API (no worker) in this process on a free loopback port, with one tenant and its key. */
export interface BenchGateway {
  url: string;
  apiKey: string;
  tenantId: string;
  orm: MikroORM;
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * Starts the gateway as `npm start` would, on the bench's database, silent and without rate
 * limits (the bench is the only client), with `env` on top.
 */
export async function startBenchGateway(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchGateway> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_TENANT_PER_MINUTE: '0',
    ...env,
  });
  const orm = await initOrm(databaseUrl);
  const queue = await SyncQueue.open(databaseUrl);
  const deps = createDeps(config, orm, new SecretBox(Buffer.from(config.CALSYNC_ENCRYPTION_KEY!, 'base64')), createLogger(config.LOG_LEVEL), queue);
  const app = await createApp(deps);
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { tenant, apiKey } = await new TenantService(orm.em.fork()).create(`bench-${randomBytes(4).toString('hex')}`);
  return {
    url: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`,
    apiKey,
    tenantId: tenant.id,
    orm,
    deps,
    async close() {
      await app.stop();
      await deps.pubSub.close();
      await queue.close();
      await orm.close();
    },
  };
}
