/** What may be logged of an error: its class and its code, never its message. */
export interface ErrorSummary {
  /** The error's class, e.g. `DriverException`, `ConnectionException`, `ProviderError`, `TypeError`. */
  name: string;
  /**
   * Its code when it has one: a PostgreSQL SQLSTATE (`57P01`), a Node system error (`ECONNRESET`),
   * a ProviderError or AppError code (`TEMPORARY`, `NOT_FOUND`); else null.
   */
  code: string | null;
}

/**
 * The loggable part of an error. Messages are left out on purpose: MikroORM's and pg's quote the
 * failed SQL with its parameters (event titles), providers' quote what a server answered.
 */
export function errorSummary(error: unknown): ErrorSummary {
  if (typeof error !== 'object' || error === null) return { name: typeof error, code: null };
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  const own = typeof code === 'string' || typeof code === 'number' ? String(code) : null;
  // MikroORM wraps the driver's error; its SQLSTATE may be on the cause only.
  const inner = own === null && cause !== undefined && cause !== error ? errorSummary(cause).code : null;
  return { name: typeof name === 'string' && /^[\w$.]{1,80}$/.test(name) ? name : 'Error', code: own ?? inner };
}

/** One line of it: `DriverException 23505`, `TypeError`. */
export function describeError(error: unknown): string {
  const { name, code } = errorSummary(error);
  return code ? `${name} ${code}` : name;
}
