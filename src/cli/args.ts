import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the command cannot take: printed to stderr with the command's usage, exit code 1. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The usage lines of the command, shown after the message. */
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The options of a command, as `node:util` parseArgs takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommand} returns: the positionals by name and the option values. */
export interface ParsedCommand<TOptions extends OptionSpec> {
  positionals: Record<string, string>;
  values: ReturnType<typeof parseArgs<{ options: TOptions; strict: true; allowPositionals: true }>>['values'];
}

/**
 * Parses the words after a command with `node:util` parseArgs, strictly: exactly the positionals
 * named in `positionals` (in order), and only the options in `options`.
 * @throws UsageError naming the unknown option, the option missing its value, the missing
 *   positional or the word too many, with `usage` attached.
 */
export function parseCommand<TOptions extends OptionSpec>(
  args: string[],
  spec: { positionals: string[]; options: TOptions; usage: string },
): ParsedCommand<TOptions> {
  let parsed: { values: ParsedCommand<TOptions>['values']; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
  } catch (error) {
    // Node's message goes on with advice about `--` that only confuses here.
    throw new UsageError((error as Error).message.split('. To specify a positional')[0], spec.usage);
  }
  const [missing] = spec.positionals.slice(parsed.positionals.length);
  if (missing) throw new UsageError(`Missing <${missing}>`, spec.usage);
  const [extra] = parsed.positionals.slice(spec.positionals.length);
  if (extra !== undefined) throw new UsageError(`Unexpected argument '${extra}'`, spec.usage);
  return { positionals: Object.fromEntries(spec.positionals.map((name, at) => [name, parsed.positionals[at]])), values: parsed.values };
}
