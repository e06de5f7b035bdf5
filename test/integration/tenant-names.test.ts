import { randomBytes, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormConfig } from '../../src/db/orm';
import { buildGateway, runCli, runCliWith } from '../helpers/processes';

/** The server's URL with another database name. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('tenant names unique ignoring case', () => {
  beforeAll(() => buildGateway(), 120_000);

  describe('the migration', () => {
    const scratch = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_tenant_names`;
    const admin = new Client({ connectionString: databaseUrl('postgres') });
    let orm: MikroORM;

    beforeAll(async () => {
      await admin.connect();
      await admin.query(`drop database if exists ${scratch} with (force)`);
      await admin.query(`create database ${scratch}`);
      orm = await MikroORM.init(ormConfig(databaseUrl(scratch)));
    });
    afterAll(async () => {
      await orm?.close();
      await admin.query(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    });

    it('renames the younger duplicates with -2, -3, ... (past taken names), then refuses new ones', async () => {
      await orm.getMigrator().up({ to: 'Migration20261202120000_sync_run_lists' });
      const sql = orm.em.getConnection();
      // name, minutes after the first: insertion order is not creation order.
      const tenants: [string, number][] = [
        ['Acme', 2],
        ['acme', 1],
        ['acme-2', 3],
        ['ACME', 4],
        ['beta', 0],
        ['Beta', 5],
        ['solo', 6],
      ];
      for (const [name, minutes] of tenants) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, minutes));
        await sql.execute('insert into tenant (id, created_at, updated_at, name) values (?, ?, ?, ?)', [randomUUID(), at, at, name]);
      }
      await orm.getMigrator().up();
      const rows = (await sql.execute('select name from tenant order by created_at')) as { name: string }[];
      // acme keeps its name; Acme's -2 is taken by acme-2, so -3; ACME's -3 is then taken, so -4.
      expect(rows.map((row) => row.name)).toEqual(['beta', 'acme', 'Acme-3', 'acme-2', 'ACME-4', 'Beta-2', 'solo']);
      await expect(sql.execute('insert into tenant (id, created_at, updated_at, name) values (?, now(), now(), ?)', [randomUUID(), 'SOLO'])).rejects.toThrow(
        /tenant_name_lower_unique/,
      );
    });
  });

  describe('the CLI', () => {
    const name = `Unique-${randomBytes(3).toString('hex')}`;

    it('tenant create refuses a name taken ignoring case, exit code 1; key create and key list find the tenant ignoring case', async () => {
      const apiKey = (await runCli('tenant', 'create', name)).trim();
      expect(apiKey).toMatch(/^csk_/);
      expect(
        await runCliWith({ CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' }, 'tenant', 'create', name.toUpperCase()),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr: `A tenant named '${name.toUpperCase()}' exists already (tenant names are unique, ignoring case)\n`,
      });
      const secret = (await runCli('key', 'create', name.toLowerCase(), '--name', 'second')).trim();
      const keys = (await runCli('key', 'list', name.toUpperCase()))
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      expect(keys.map((columns) => [columns[1], columns[5]])).toEqual([
        [apiKey.slice(0, 8), 'default'],
        [secret.slice(0, 8), 'second'],
      ]);
    });
  });
});
