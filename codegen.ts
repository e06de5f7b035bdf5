import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests (and, later, a client SDK): the operations in
 * `test/graphql/*.graphql` are checked against the committed SDL and compiled to
 * TypedDocumentNodes with their result and variable types.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/graphql/*.graphql'],
  generates: {
    'test/graphql/generated.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        scalars: { DateTime: 'string', LocalTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
