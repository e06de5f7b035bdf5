import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { isStoredList } from '../common/query-cost';
import { fanOutExceeded } from './edge-errors';

/** Items counted so far in one execution: one operation, or one event of a subscription. */
type Budget = { items: number };

/** Per context (request or websocket operation), per root value (each subscription event executes with its payload as root). */
const budgets = new WeakMap<object, WeakMap<object, Budget>>();

function budgetOf(context: object, info: GraphQLResolveInfo): Budget {
  let byRoot = budgets.get(context);
  if (!byRoot) budgets.set(context, (byRoot = new WeakMap()));
  const root = typeof info.rootValue === 'object' && info.rootValue !== null ? info.rootValue : context;
  let budget = byRoot.get(root);
  if (!budget) byRoot.set(root, (budget = { items: 0 }));
  return budget;
}

/**
 * Holds every execution to the cost budget with the lists' real lengths. The cost limit
 * (src/server/operation-cost.ts) assumes that a list of stored rows holds its declared size
 * (src/common/query-cost.ts `storedListCost`), but a tenant can store more than that: 50
 * connections on one resource would let a query nesting `externalCalendars` four deep resolve
 * 50^4 objects under an estimate of 10^4. So the items those lists really return are added up per
 * execution, and once they pass `maxItems` (GRAPHQL_MAX_COST) each further such list fails with
 * BAD_USER_INPUT and `extensions.limit: "cost"`, instead of multiplying the work. Wraps the
 * resolvers in place and returns the same schema.
 */
export function applyFanOutBudget(schema: GraphQLSchema, maxItems: number): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isStoredList(field.extensions.complexity)) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const charge = (items: unknown, context: unknown, info: GraphQLResolveInfo) => {
        if (!Array.isArray(items) || typeof context !== 'object' || context === null) return items;
        const budget = budgetOf(context, info);
        budget.items += items.length;
        if (budget.items > maxItems) throw fanOutExceeded(maxItems);
        return items;
      };
      field.resolve = (source, args, context, info) => {
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then((items) => charge(items, context, info)) : charge(result, context, info);
      };
    }
  }
  return schema;
}
