/**
 * `npm run bench [-- --events 10000,100000 --subscribers 5000 --rounds 3 --database NAME --only availability]`:
 * runs every measure of bench/measures against its baseline in this one process, on a throwaway
 * database (a new `calsync_bench_<random>` unless `--database` names one that does not exist
 * yet; the run creates it and drops only what it created), prints one table
 * `measure | calsync | baseline | ratio | goal | met` and writes it as JSON to
 * bench/results/<time>.json, so that runs can be compared. DATABASE_URL names the server
 * (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { initOrm } from '../src/db/orm';
import { ratioOf, type BenchContext, type Measure, type Measurement } from './harness';

/**
 * Every measure is the `measure` export of a file of bench/measures, run in the order of the file
 * names, so that a new measure is one new file.
 */
async function measures(): Promise<Measure[]> {
  const folder = path.join(__dirname, 'measures');
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.js'))
    .sort();
  return Promise.all(files.map(async (file) => ((await import(path.join(folder, file))) as { measure: Measure }).measure));
}

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function table(rows: Measurement[]): string {
  const header = ['measure', 'calsync', 'baseline', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    const figure = (value: number) => `${value.toFixed(value >= 100 ? 0 : 2)} ${row.unit}`;
    return [row.measure, figure(row.calsync), figure(row.baseline), `${ratio.toFixed(2)}x`, `<= ${row.goal}x`, ratio <= row.goal ? 'yes' : 'NO'];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      subscribers: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '3' },
      database: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const database = values.database ?? `calsync_bench_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`--database must be a plain lower-case name, not ${database}`);
  const exists = await admin(async (client) => (await client.query('select 1 from pg_database where datname = $1', [database])).rowCount);
  if (exists) throw new Error(`The database ${database} exists already; the bench only uses (and drops) a database it creates`);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const context: BenchContext = {
    databaseUrl: url.toString(),
    events: values.events.split(',').map(Number),
    subscribers: Number(values.subscribers),
    rounds: Number(values.rounds),
    log: (message) => console.log(message),
  };
  const only = values.only?.split(',');
  const rows: Measurement[] = [];
  await admin((client) => client.query(`create database ${database}`));
  try {
    await (await initOrm(context.databaseUrl)).close();
    for (const measure of (await measures()).filter((candidate) => !only || only.includes(candidate.name))) {
      context.log(`\n== ${measure.name}`);
      rows.push(...(await measure.run(context)));
    }
  } finally {
    await admin((client) => client.query(`drop database if exists ${database} with (force)`));
  }
  console.log(`\n${table(rows)}\n`);
  for (const row of rows.filter((candidate) => candidate.detail)) console.log(`- ${row.measure}: ${row.detail}`);
  const folder = path.resolve(__dirname, '../../bench/results');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, options: values, rows: rows.map((row) => ({ ...row, ratio: ratioOf(row), met: ratioOf(row) <= row.goal })) }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
