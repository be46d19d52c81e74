/** Where the CLI tells what it does on the way: stderr, so stdout carries only the result. */
export interface CliLogger {
  log(message: string): void;
}

export const stderrLogger: CliLogger = {
  log: (message) => process.stderr.write(`${message}\n`),
};
