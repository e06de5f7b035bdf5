import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const LOCAL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function parseLocalTime(value: unknown): string {
  if (typeof value !== 'string' || !LOCAL_TIME.test(value)) {
    throw new GraphQLError(`LocalTime must be "HH:mm" between 00:00 and 24:00, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** A wall-clock time of day, `HH:mm` (24-hour), `24:00` meaning the end of the day. */
export const LocalTimeScalar = new GraphQLScalarType({
  name: 'LocalTime',
  description: 'A wall-clock time of day, `HH:mm` (24-hour); `24:00` is the end of the day.',
  serialize: parseLocalTime,
  parseValue: parseLocalTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parseLocalTime(undefined);
    return parseLocalTime(ast.value);
  },
});
