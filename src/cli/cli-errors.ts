import { CommanderError } from 'commander';

/** Arguments that parse but do not make sense together: reported like commander's own, exit code 2. */
export class UsageError extends Error {}

/** The command ran but did not do what was asked (nothing to revoke, say): exit code 1. */
export class CommandFailedError extends Error {}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Reports an error on stderr and returns the exit code it calls for. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already written its message (or the help) to stderr.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  process.stderr.write(`error: ${describe(error)}\n`);
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

function describe(error: unknown): string {
  // A refused connection to a name with several addresses is an AggregateError without a message.
  if (error instanceof AggregateError && !error.message) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
