/**
 * Everything the gateway's pino loggers write in a test file, whatever their destination: with
 *
 *     jest.mock('pino', () => jest.requireActual('../helpers/log-capture').capturingPino());
 *
 * the real logger (src/common/logger.ts, with its redaction and scope) is created through a
 * wrapper of pino that sends its lines to {@link capturedLogLines} instead of stdout.
 */
export const capturedLogLines: string[] = [];

/** pino, writing to {@link capturedLogLines} when no destination is given. */
export function capturingPino(): unknown {
  const actual = jest.requireActual('pino');
  const wrapped = (options: unknown, destination?: unknown) => actual(options, destination ?? { write: (line: string) => void capturedLogLines.push(line) });
  Object.assign(wrapped, actual);
  (wrapped as unknown as { default: unknown }).default = wrapped;
  return wrapped;
}

/** The captured lines parsed, those whose `msg` is `message` (and that have every field of `fields`). */
export function loggedLines(message: string, fields: Record<string, unknown> = {}): Record<string, unknown>[] {
  return capturedLogLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === message && Object.entries(fields).every(([key, value]) => line[key] === value));
}
