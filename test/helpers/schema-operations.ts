import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  parse,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** The root operation kinds. */
export type RootKind = 'Query' | 'Mutation' | 'Subscription';

/** One root field of the committed schema. */
export interface RootField {
  kind: RootKind;
  name: string;
  field: GraphQLField<unknown, unknown>;
}

/** The committed SDL (schema/schema.graphql), which a test keeps equal to the resolvers' schema. */
export function committedSchema(): GraphQLSchema {
  return buildSchema(readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8'));
}

/** Every root field of the schema: queries, mutations and subscriptions. */
export function rootFields(schema: GraphQLSchema = committedSchema()): RootField[] {
  const roots: [RootKind, ReturnType<GraphQLSchema['getQueryType']>][] = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([kind, type]) => (type ? Object.values(type.getFields()).map((field) => ({ kind, name: field.name, field })) : []));
}

/**
 * Picks a value for an argument or input field: `pick(path, type)` may return one (e.g. an id of
 * the right kind); `undefined` lets the builder make one up from the type.
 */
export type ValuePicker = (path: string, type: GraphQLInputType) => unknown;

const SCALARS: Record<string, unknown> = {
  ID: '00000000-0000-4000-8000-000000000000',
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2030-01-07T00:00:00Z',
  LocalTime: '09:00',
};

/** A value of `type` with every required field filled (optional ones only when `pick` gives one). */
export function sampleValue(type: GraphQLInputType, pathName: string, pick: ValuePicker, required = true): unknown {
  const picked = pick(pathName, type);
  if (picked !== undefined) return picked;
  if (!required) return undefined;
  if (isNonNullType(type)) return sampleValue(type.ofType, pathName, pick, true);
  if (isListType(type)) {
    const item = sampleValue(type.ofType, `${pathName}[]`, pick, true);
    return item === undefined ? [] : [item];
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      const fieldValue = sampleValue(field.type, `${pathName}.${field.name}`, pick, isNonNullType(field.type) && field.defaultValue === undefined);
      if (fieldValue !== undefined) value[field.name] = fieldValue;
    }
    return value;
  }
  if (type.name in SCALARS) return SCALARS[type.name];
  throw new Error(`No sample value for scalar ${type.name} at ${pathName}: add it to SCALARS in test/helpers/schema-operations.ts`);
}

/**
 * A selection of a result type: `__typename`, its scalar and enum fields and, `depth` levels down,
 * the same of its object fields that take no required argument (so counters, ids and list lengths
 * of a result are visible).
 */
export function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (isUnionType(type)) return '{ __typename }';
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) {
      if (depth > 0) parts.push(`${field.name} ${selectionOf(named, depth - 1)}`);
    } else parts.push(field.name);
  }
  return `{ ${parts.join(' ')} }`;
}

/**
 * A document calling one root field with variables for all of its arguments (required ones always,
 * optional ones when `pick` names a value), selecting the result with {@link selectionOf} (one level
 * deep). Paths given to `pick` are `<field>.<arg>` and `<field>.<arg>.<inputField>...`.
 */
export function operationFor(
  root: RootField,
  pick: ValuePicker = () => undefined,
): { document: TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  const uses: string[] = [];
  for (const arg of root.field.args) {
    const value = sampleValue(arg.type, `${root.name}.${arg.name}`, pick, isNonNullType(arg.type) && arg.defaultValue === undefined);
    if (value === undefined) continue;
    variables[arg.name] = value;
    declarations.push(`$${arg.name}: ${String(arg.type)}`);
    uses.push(`${arg.name}: $${arg.name}`);
  }
  const selection = selectionOf(getNamedType(root.field.type), 1);
  const text = `${root.kind.toLowerCase()} ${declarations.length ? `(${declarations.join(', ')})` : ''} { ${root.name}${uses.length ? `(${uses.join(', ')})` : ''} ${selection} }`;
  return { document: parse(text) as TypedDocumentNode<Record<string, unknown>, Record<string, unknown>>, variables };
}
