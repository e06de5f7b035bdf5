import 'reflect-metadata';
import { Client } from 'pg';
import { createLogger } from '../../src/common/logger';
import { startEmbeddedDatabase } from '../../src/db/embedded';

/** The database the tests own; CALSYNC_TEST_DATABASE lets two runs share one server without meeting. */
const TEST_DATABASE = process.env.CALSYNC_TEST_DATABASE ?? 'calsync_test';

/**
 * Once per `npm test`: picks the PostgreSQL server (DATABASE_URL, or an embedded one under
 * `.calsync/test` when unset), recreates an empty `calsync_test` database on it and hands its
 * URL to the test files through DATABASE_URL. The migrations are applied by the first test file
 * that opens the ORM (initOrm serialises them with an advisory lock); MikroORM itself must not
 * be loaded here, because jest runs files in this same process and MikroORM's metadata does not
 * survive crossing into the test sandbox (mikro-orm/mikro-orm#3783).
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
}
