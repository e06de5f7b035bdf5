import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { NextFunction, Request, Response } from 'express';
import {
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { operationCost, type CostedRequest } from './operation-cost';
import { ErrorCode } from '../common/errors';
import type { Config } from '../config';
import { overLimit, type EdgeLimit } from './edge-errors';

/** Largest request: a JSON body over HTTP (`express.json`), a frame over websockets (`maxPayload`). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The part of the configuration that shapes the GraphQL edge. */
export type EdgeLimitsConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'GRAPHQL_INTROSPECTION'
  | 'GRAPHQL_MAX_DEPTH'
  | 'GRAPHQL_MAX_COST'
  | 'GRAPHQL_MAX_ALIASES'
  | 'GRAPHQL_MAX_DIRECTIVES'
  | 'GRAPHQL_MAX_TOKENS'
  | 'GRAPHQL_MAX_BATCH'
>;

/** Options for `new ApolloServer(...)` and the express middleware that enforce the limits. */
export interface EdgeLimits {
  /** Whether the schema may be introspected: GRAPHQL_INTROSPECTION, else on outside production. */
  introspection: boolean;
  /**
   * graphql-js's validation rules plus, with introspection off, its NoSchemaIntrospectionCustomRule:
   * for the websocket path, where Apollo's `introspection` option does not reach.
   */
  validationRules: readonly ValidationRule[];
  /** Batched HTTP requests (a JSON array body) are allowed only when GRAPHQL_MAX_BATCH > 1. */
  allowBatchedHttpRequests: boolean;
  /** graphql-js stops parsing after GRAPHQL_MAX_TOKENS tokens (GRAPHQL_PARSE_FAILED, HTTP 400). */
  parseOptions: { maxTokens: number };
  /** Refuses operations over the depth, cost, aliases or directives limit, before execution. */
  plugin: ApolloServerPlugin;
  /**
   * The same check for one parsed operation (the websocket path, src/server/websocket.ts); the
   * variables and operation name are those of the request, since `first: $n` sets a page's cost.
   * @throws EdgeError BAD_USER_INPUT with `extensions.limit` naming the first limit exceeded.
   */
  check(schema: GraphQLSchema, document: DocumentNode, request?: CostedRequest): void;
  /** Express middleware (after the JSON body parser) refusing batches longer than GRAPHQL_MAX_BATCH. */
  batchGuard(req: Request, res: Response, next: NextFunction): void;
  /**
   * Express error middleware (right after the JSON body parser): a body that is not JSON, too
   * large or in an unknown charset answers 400 / 413 / 415 with a GraphQL error (BAD_REQUEST), not 500.
   */
  bodyErrors(error: unknown, req: Request, res: Response, next: NextFunction): void;
}

/**
 * The query limits of the public edge: graphql-armor's validation rules for depth, aliases and
 * directives, and a cost that multiplies by list sizes (src/server/operation-cost.ts). They run once
 * the operation is resolved (Apollo's `didResolveOperation`), so a violation answers HTTP 400 with
 * BAD_USER_INPUT and `extensions.limit` naming the limit, and no resolver runs. Introspection
 * fields are neither counted for depth nor for cost.
 * @see https://escape.tech/graphql-armor/docs/
 */
export function createEdgeLimits(config: EdgeLimitsConfig): EdgeLimits {
  const rules = (report: (limit: EdgeLimit, error: GraphQLError) => void): ValidationRule[] => {
    const common = (limit: EdgeLimit) => ({
      exposeLimits: true,
      propagateOnRejection: false,
      onReject: [(_: unknown, error: GraphQLError) => report(limit, error)],
    });
    return [
      maxDepthRule({ n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...common('depth') }),
      maxAliasesRule({ n: config.GRAPHQL_MAX_ALIASES, ...common('aliases') }),
      maxDirectivesRule({ n: config.GRAPHQL_MAX_DIRECTIVES, ...common('directives') }),
    ];
  };
  const maxBatch = config.GRAPHQL_MAX_BATCH;
  const maxCost = config.GRAPHQL_MAX_COST;
  const check = (schema: GraphQLSchema, document: DocumentNode, request: CostedRequest = {}) => {
    const violations: { limit: EdgeLimit; message: string }[] = [];
    validate(
      schema,
      document,
      rules((limit, error) => violations.push({ limit, message: error.message.replace(/^Syntax Error: /, '') })),
    );
    const cost = operationCost(schema, document, request);
    if (cost !== null && cost > maxCost) {
      // After depth, as graphql-armor's rule was: a deep operation is told about its depth first.
      const message = Number.isFinite(cost)
        ? `Query Cost limit of ${maxCost} exceeded, found ${cost}.`
        : `Query Cost limit of ${maxCost} exceeded: too many selections to count.`;
      violations.splice(violations[0]?.limit === 'depth' ? 1 : 0, 0, { limit: 'cost', message });
    }
    if (violations.length > 0) {
      throw overLimit(violations[0].limit, `The operation is too large: ${violations.map((v) => v.message).join(' ')}`);
    }
  };
  const introspection = config.GRAPHQL_INTROSPECTION ?? config.NODE_ENV !== 'production';
  return {
    check,
    introspection,
    validationRules: introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule],
    allowBatchedHttpRequests: maxBatch > 1,
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ schema, document, request, operationName }) {
            check(schema, document, { variables: request.variables, operationName });
          },
        };
      },
    },
    bodyErrors(error, _req, res, next) {
      const status = (error as { status?: unknown } | null)?.status;
      if (typeof status !== 'number' || status < 400 || status >= 500) {
        next(error);
        return;
      }
      const message =
        status === 413 ? 'The request body is too large' : status === 415 ? 'Unsupported request body encoding' : 'The request body is not valid JSON';
      res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    },
    batchGuard(req, res, next) {
      if (maxBatch > 1 && Array.isArray(req.body) && req.body.length > maxBatch) {
        res.status(400).json({
          errors: [
            {
              message: `A batch may hold at most ${maxBatch} operations, got ${req.body.length}`,
              extensions: { code: ErrorCode.BAD_USER_INPUT, limit: 'batch' },
            },
          ],
        });
        return;
      }
      next();
    },
  };
}
