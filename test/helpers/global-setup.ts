import 'reflect-metadata';
import { Client } from 'pg';
import { createLogger } from '../../src/common/logger';
import { startEmbeddedDatabase } from '../../src/db/embedded';
import { initOrm } from '../../src/db/orm';

const TEST_DATABASE = 'calsync_test';

/**
 * Once per `npm test`: picks the PostgreSQL server (DATABASE_URL, or an embedded one under
 * `.calsync/test` when unset), recreates an empty `calsync_test` database on it, applies the
 * migrations, and hands its URL to the test workers through DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase('.calsync/test', 54330, createLogger('warn'));
    (globalThis as { __embeddedDatabase?: unknown }).__embeddedDatabase = embedded;
    serverUrl = embedded.url;
  }
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEST_DATABASE} with (force)`);
  await admin.query(`create database ${TEST_DATABASE}`);
  await admin.end();

  const url = new URL(serverUrl);
  url.pathname = `/${TEST_DATABASE}`;
  process.env.DATABASE_URL = url.toString();
  const orm = await initOrm(process.env.DATABASE_URL);
  await orm.close();
}
