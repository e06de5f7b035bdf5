import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../../src/server/schema';

describe('committed SDL', () => {
  it('matches the schema built from the resolvers (run `npm run schema` after changing the API)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(committed).toEqual(await schemaSdl());
  });
});
