import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { badInput } from '../common/errors';

/** The path (`input.items[3].title`) of the first string in `value` holding U+0000, or null. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = nulAt(value[index], `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, child] of Object.entries(value)) {
      const found = nulAt(child, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses a NUL character (U+0000) in any string argument, variable or literal, with
 * BAD_USER_INPUT naming the argument (`extensions.field`, e.g. `input.items[3].title`), before
 * the resolver runs: PostgreSQL cannot store it in text or jsonb, so it failed as an
 * INTERNAL_SERVER_ERROR from the database. Refused rather than stripped: what a client sends is
 * stored as sent or not at all (provider text, which no client chose, is stripped by the sync).
 * Wraps, in place, the resolvers (and subscription `subscribe`s) of every field with arguments.
 * @see https://www.postgresql.org/docs/current/datatype-character.html
 */
export function refuseNulInArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const guard =
        (resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> =>
        (source, args, context, info) => {
          for (const [name, value] of Object.entries(args)) {
            const path = nulAt(value, name);
            if (path) throw badInput(path, `${path} must not contain the NUL character (U+0000)`);
          }
          return resolve(source, args, context, info);
        };
      field.resolve = guard(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guard(field.subscribe);
    }
  }
  return schema;
}
