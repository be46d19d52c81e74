import { Command } from 'commander';
import { registerApiKeysCommand } from './commands/api-keys.command.js';
import { registerEventsCommand } from './commands/events.command.js';
import { registerProjectsCommand } from './commands/projects.command.js';
import { registerWorkspacesCommand } from './commands/workspaces.command.js';
import type { CliSession } from './cli-session.js';

/** Every command; parse errors throw (a CommanderError) rather than exit, for main to report. */
export function cliProgram(session: CliSession): Command {
  const program = new Command('agents-api-cli')
    .description("Administer the Agents API's database: workspaces, projects, API keys")
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  // Subcommands inherit the settings above, so they must come after them.
  registerWorkspacesCommand(program, session);
  registerProjectsCommand(program, session);
  registerApiKeysCommand(program, session);
  registerEventsCommand(program);
  return program;
}
