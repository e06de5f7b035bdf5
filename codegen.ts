import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests and the web console: the operations in `test/graphql/*.graphql`
 * and the `.graphql` files under `console/src/` are checked against the committed SDL and compiled to
 * TypedDocumentNodes with their result and variable types.
 */
const typed = {
  plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
  config: {
    scalars: { DateTime: 'string', LocalTime: 'string' },
    enumsAsTypes: true,
    useTypeImports: true,
  },
};

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  generates: {
    'test/graphql/generated.ts': { documents: ['test/graphql/*.graphql'], ...typed },
    // The web console's operations (console/, issue 19), bundled by Vite.
    'console/src/generated.ts': { documents: ['console/src/**/*.graphql'], ...typed },
  },
};

export default config;
