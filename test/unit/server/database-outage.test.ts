import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { isDatabaseUnavailable } from '../../../src/server/database-outage';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a pooled connection that died', new Error('Connection terminated unexpectedly')],
    ['an administrator shutdown (57P01)', coded('terminating connection due to administrator command', '57P01')],
    ['too many connections (53300)', coded('sorry, too many clients already', '53300')],
    ['a connection exception class (08006)', coded('connection failure', '08006')],
    ["MikroORM's ConnectionException", new ConnectionException(new Error('gone'))],
    ['a pool that could not give a connection in time', Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' })],
    ['any of these wrapped by GraphQL', new GraphQLError('Context creation failed', { originalError: coded('connect ECONNREFUSED', 'ECONNREFUSED') })],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new UniqueConstraintViolationException(coded('duplicate key value', '23505'))],
    ['a syntax error (42601)', coded('syntax error at or near', '42601')],
    ['a NUL in text (22021)', coded('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a plain error', new Error('something else')],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
