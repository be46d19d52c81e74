import type { Command } from 'commander';
import { printResult, type OutputOptions } from '../cli-output.js';
import type { CliSession } from '../cli-session.js';
import { parseText } from '../option-parsers.js';

interface CreateOptions extends OutputOptions {
  readonly workspace: string;
  readonly name: string;
}

/** `projects create`. */
export function registerProjectsCommand(program: Command, session: CliSession): void {
  const projects = program.command('projects').description("Add projects to a workspace (agents and keys belong to one)");

  projects
    .command('create')
    .description('Create a project in a workspace')
    .requiredOption('--workspace <id>', 'the workspace id', parseText)
    .requiredOption('--name <name>', 'the project name', parseText)
    .option('--json', 'print the result as one JSON line')
    .action((options: CreateOptions) =>
      session(async ({ workspaces }) => {
        const id = await workspaces.createProject(options.workspace, options.name);
        printResult(
          options,
          { id, workspaceId: options.workspace, name: options.name },
          `Created the project ${id} (${JSON.stringify(options.name)}) in workspace ${options.workspace}`,
        );
      }),
    );
}
