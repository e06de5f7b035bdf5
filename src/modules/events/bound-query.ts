import type { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/knex';

/**
 * Runs one statement in the EntityManager's transaction (when it has one) with its parameters
 * bound by the pg driver, and returns its rows. `em.execute` formats every parameter into the SQL
 * text first (MikroORM's formatQuery, character by character): for the event store's 500-row JSON
 * parameters that took longer than PostgreSQL took to run the statements.
 * @param sql - with `?` placeholders (knex raw bindings), one per element of `params`.
 * @returns the rows, as the pg driver parses them (timestamptz as Date, bigint as string).
 * @throws MikroORM's DriverException subclasses (converted as `em.execute` converts them), so that
 *   callers and logs see the same errors whichever path ran the statement.
 */
export async function boundQuery<T>(em: EntityManager, sql: string, params: Knex.RawBinding[]): Promise<T[]> {
  const query = em.getConnection().getKnex().raw(sql, params);
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) void query.transacting(transaction);
  try {
    return ((await query) as { rows: T[] }).rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
