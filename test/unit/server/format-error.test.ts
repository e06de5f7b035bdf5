import { GraphQLError } from 'graphql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError, ErrorCode } from '../../../src/common/errors';
import { createLogger } from '../../../src/common/logger';
import { createErrorFormatter } from '../../../src/server/format-error';

/** Shapes the pair Apollo hands to formatError for an error thrown in a resolver. */
function thrown(error: Error): [{ message: string; path: string[]; extensions: Record<string, unknown> }, GraphQLError] {
  const wrapped = new GraphQLError(error.message, { path: ['field'], originalError: error });
  return [{ message: error.message, path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1'] } }, wrapped];
}

describe('error formatter', () => {
  const logged: unknown[] = [];
  const logger = createLogger('error');
  logger.error = ((obj: unknown) => logged.push(obj)) as never;
  const format = createErrorFormatter(logger);

  it('keeps the code, message and field of an AppError', () => {
    const result = format(...thrown(new AppError(ErrorCode.BAD_USER_INPUT, 'to must be after from', 'input.to')));
    expect(result).toMatchObject({ message: 'to must be after from', extensions: { code: 'BAD_USER_INPUT', field: 'input.to' } });
  });

  it('masks anything unexpected, with no SQL or stack trace, and logs it', () => {
    const result = format(...thrown(new Error('insert into api_key values (csk_secret) failed')));
    expect(result).toEqual({ message: 'Internal server error', path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(result)).not.toMatch(/csk_secret|stacktrace|api_key/);
    expect(logged).toHaveLength(1);
  });

  it('turns a unique-constraint race into CONFLICT', () => {
    const result = format(...thrown(new UniqueConstraintViolationException(new Error('duplicate key value violates unique constraint "x"'))));
    expect(result.extensions).toEqual({ code: 'CONFLICT' });
    expect(result.message).not.toMatch(/duplicate key/);
  });

  it('passes request errors from graphql-js through', () => {
    const result = format(
      { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      new GraphQLError('Cannot query field "nope"'),
    );
    expect(result).toMatchObject({ message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});
