import type { ClassType } from 'type-graphql';
import { Field, ObjectType } from 'type-graphql';
import { badInput } from '../../common/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/page-size';
import { COUNTED_BY_PARENT, FREE } from '../../common/query-cost';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/** Relay PageInfo (https://relay.dev/graphql/connections.htm#sec-undefined.PageInfo). */
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: pages go forward only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A page of nodes with the cursor of each. */
export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
}

/**
 * Builds the Relay `<Name>Connection` and `<Name>Edge` object types for a node type.
 * @see https://relay.dev/graphql/connections.htm
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class Edge {
    @Field(() => nodeType)
    node!: T;

    @Field(() => String, { description: 'Opaque cursor; pass it as `after` to read the next page.' })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection).` })
  class Connection {
    @Field(() => [Edge], { complexity: COUNTED_BY_PARENT })
    edges!: Edge[];

    @Field(() => PageInfo, { complexity: FREE })
    pageInfo!: PageInfo;
  }
  return Connection;
}

/**
 * Validates `first` (1..100, default 20).
 * @throws AppError BAD_USER_INPUT naming `first`.
 */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** A keyset position: the sort value (an ISO instant) and the row id. */
export interface KeysetCursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

/**
 * Reads an `after` cursor.
 * @throws AppError BAD_USER_INPUT naming `after` when it was not issued by this API.
 */
export function decodeCursor(after: string | null | undefined): KeysetCursor | null {
  if (after === null || after === undefined) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw badInput('after', 'after is not a valid cursor');
  }
}

/**
 * Turns `limit + 1` rows fetched in keyset order into a page: the extra row only says that a
 * next page exists.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => KeysetCursor): Page<T> {
  const nodes = rows.slice(0, limit);
  // Cursors are encoded when a client asks for them; most pages read the nodes only.
  const edges = nodes.map((node) => ({
    node,
    get cursor() {
      return encodeCursor(keyOf(node));
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: false,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}
