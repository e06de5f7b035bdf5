import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Kind, parse, print, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Fuzzing the public edge: a few thousand random and malformed GraphQL requests (random text,
 * mutated valid documents from test/graphql, random variables, malformed HTTP bodies). None may
 * answer 5xx or INTERNAL_SERVER_ERROR, and the process must see no unhandled rejection.
 * FUZZ_SEED replays a run; FUZZ_RUNS changes its size.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.FUZZ_RUNS ?? 750);
const CONCURRENCY = 8;

/** Operations that reach outside the gateway (OAuth, CalDAV servers, syncs) are left out. */
const EXTERNAL = /Connect|Ingest|Regenerate|SyncCalendar|Disconnect/;

/** Each operation of test/graphql/*.graphql with the fragments it spreads, as one document. */
function seedDocuments(): string[] {
  const folder = path.join(__dirname, '../graphql');
  const definitions: DefinitionNode[] = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(path.join(folder, file), 'utf8')).definitions);
  const fragments = definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'subscription')
    .filter((operation) => !EXTERNAL.test(operation.name?.value ?? ''))
    .map((operation) => [print(operation), ...fragments.map(print)].join('\n'));
}

/** A request as sent: a raw body and its content type. */
interface FuzzCase {
  kind: string;
  body: string;
  contentType: string;
}

const json = (kind: string, payload: unknown): FuzzCase => ({ kind, body: JSON.stringify(payload), contentType: 'application/json' });

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '$',
  '!',
  ':',
  '...',
  '@include(if: $x)',
  '@skip',
  '"',
  '"""',
  '#',
  '\\u0000',
  'query',
  'mutation',
  'fragment',
  'on',
  'null',
  '__schema',
  '__typename',
  '1e999',
  '-0',
  '$undefined',
  ',',
];

/** A mutated copy of `document`: characters cut, tokens inserted, slices duplicated or swapped. */
const mutatedDocument = (documents: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...documents),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 40 }),
          fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }), fc.constant('')),
          fc.constantFrom('cut', 'insert', 'duplicate', 'replace'),
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
    )
    .map(([document, edits]) => {
      let text = document;
      for (const [at, length, token, edit] of edits) {
        const i = at % (text.length + 1);
        if (edit === 'cut') text = text.slice(0, i) + text.slice(i + length);
        else if (edit === 'insert') text = text.slice(0, i) + token + text.slice(i);
        else if (edit === 'duplicate') text = text.slice(0, i + length) + text.slice(i, i + length) + text.slice(i + length);
        else text = text.slice(0, i) + token + text.slice(i + token.length);
      }
      return text;
    });

/** Random JSON values, sometimes shaped like this API's inputs. */
const variables = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.constantFrom('id', 'input', 'filter', 'first', 'after', 'from', 'to', 'resourceIds', 'runId'), fc.jsonValue({ maxDepth: 3 })),
  fc.record({
    id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
    first: fc.oneof(fc.integer(), fc.double(), fc.string()),
    input: fc.record({
      name: fc.string(),
      timeZone: fc.oneof(fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Olympus'), fc.string()),
      from: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
      ),
      to: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
      ),
      resourceId: fc.oneof(fc.uuid(), fc.string()),
      slotMinutes: fc.oneof(fc.integer(), fc.constant(0), fc.constant(-1)),
    }),
  }),
);

function fuzzCases(documents: string[]): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    // Random text as the query.
    fc.fullUnicodeString({ maxLength: 200 }).map((query) => json('random query', { query })),
    // Valid operations with random variables.
    fc.tuple(fc.constantFrom(...documents), variables).map(([query, vars]) => json('random variables', { query, variables: vars })),
    // Mutated valid documents, with or without random variables.
    fc.tuple(mutatedDocument(documents), fc.option(variables)).map(([query, vars]) => json('mutated document', { query, variables: vars ?? undefined })),
    // Well-formed JSON of the wrong shape.
    fc.jsonValue({ maxDepth: 3 }).map((value) => json('random JSON body', value)),
    fc
      .record({
        query: fc.jsonValue({ maxDepth: 2 }),
        variables: fc.jsonValue({ maxDepth: 2 }),
        operationName: fc.jsonValue({ maxDepth: 1 }),
        extensions: fc.jsonValue({ maxDepth: 2 }),
      })
      .map((body) => json('wrong types', body)),
    fc.array(fc.record({ query: fc.oneof(fc.constantFrom(...documents), fc.string()) }), { maxLength: 4 }).map((batch) => json('batch', batch)),
    // Bodies that are not JSON, or not declared as JSON.
    fc
      .tuple(
        fc.string({ maxLength: 100 }),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/graphql',
          'application/x-www-form-urlencoded',
          'multipart/form-data',
          'application/json; charset=utf-7',
        ),
      )
      .map(([body, contentType]) => ({ kind: 'malformed body', body, contentType })),
    fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ kind: 'random bytes', body: Buffer.from(bytes).toString('latin1'), contentType: 'application/json' })),
  );
}

describe('fuzzing the GraphQL edge', () => {
  let server: TestServer;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    server = await startTestServer({ worker: false, env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(async () => {
    await server.close();
    process.off('unhandledRejection', onRejection);
  });

  it(`survives ${RUNS * 4} random and malformed requests without a 5xx (seed ${SEED})`, async () => {
    const documents = seedDocuments();
    expect(documents.length).toBeGreaterThan(15);
    const cases = fc.sample(fuzzCases(documents), { numRuns: RUNS * 4, seed: SEED });
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < cases.length && Date.now() - started < 55_000) {
        const fuzz = cases[next++];
        const response = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': fuzz.contentType, authorization: `Bearer ${server.apiKey}` },
          body: fuzz.body,
        });
        const text = await response.text();
        if (response.status >= 500 || text.includes('INTERNAL_SERVER_ERROR')) {
          failures.push(`${fuzz.kind} -> ${response.status} ${text.slice(0, 300)}\n  body: ${fuzz.body.slice(0, 500)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await new Promise((resolve) => setImmediate(resolve));
    expect(next).toBe(cases.length);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(rejections).toEqual([]);
    // The server still answers normally.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 90_000);
});
