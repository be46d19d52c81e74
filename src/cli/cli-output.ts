export interface OutputOptions {
  readonly json?: boolean;
}

/** The command's result on stdout: one JSON line with --json, else a short text for people. */
export function printResult(options: OutputOptions, result: object, text: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${text}\n`);
}
