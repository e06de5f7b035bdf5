import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/** Fields every log line written while handling one request or job carries, e.g. `{ requestId }`. */
export type LogScope = Record<string, string>;

const scopes = new AsyncLocalStorage<LogScope>();

/**
 * Runs `work` with `fields` added to every line the process logger writes meanwhile, in this
 * call and everything it awaits (AsyncLocalStorage), nested scopes adding to the outer one.
 */
export function withLogScope<T>(fields: LogScope, work: () => T): T {
  return scopes.run({ ...scopes.getStore(), ...fields }, work);
}

/** The fields of the current log scope ({@link withLogScope}); empty outside any. */
export function currentLogScope(): LogScope {
  return scopes.getStore() ?? {};
}

/**
 * The process logger (pino, JSON lines on stdout, or on `destination`: `pino.destination(2)` for
 * commands whose stdout is for people). Secrets are redacted by key wherever they appear in a
 * logged object, as a second line of defence: code never logs them on purpose.
 * Lines written inside {@link withLogScope} carry its fields (the request id of an HTTP request).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    // A copy: pino merges each line's fields into the object the mixin returns.
    mixin: () => ({ ...currentLogScope() }),
    redact: {
      paths: ['password', '*.password', 'authorization', '*.authorization', 'req.headers.authorization', 'credentials', '*.credentials', 'apiKey', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = pino.Logger;
