import type { Config } from '../config';
import type { Logger } from '../common/logger';

/** One command of `calsync` (src/main.ts dispatches on its name). */
export interface Command {
  /** Its lines in the usage text, each indented by two spaces. */
  usage: string;
  /**
   * Logs go to stderr, at `warn` unless LOG_LEVEL is set: the command's stdout is live progress
   * for people and must not have JSON lines in it.
   */
  quietLogs?: boolean;
  /**
   * Runs the command with the words after its name.
   * @returns the exit code (0 when nothing is returned).
   * @throws UsageError for arguments it cannot take, any Error to print (exit code 1).
   */
  run(config: Config, logger: Logger, args: string[]): Promise<number | void>;
}
