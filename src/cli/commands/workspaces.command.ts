import { Option, type Command } from 'commander';
import { TIERS, type Tier } from '../../shared/domain/tier.js';
import { CommandFailedError } from '../cli-errors.js';
import { printResult, type OutputOptions } from '../cli-output.js';
import type { CliSession } from '../cli-session.js';
import { parseModels, parseProviderType, parseText } from '../option-parsers.js';

interface CreateOptions extends OutputOptions {
  readonly name: string;
  readonly tier: Tier;
}

interface SetTierOptions extends OutputOptions {
  readonly workspace: string;
  readonly tier: Tier;
}

interface DefaultModelOptions extends OutputOptions {
  readonly workspace: string;
  readonly model: string;
}

interface ProviderOptions extends OutputOptions {
  readonly workspace: string;
  readonly provider: string;
  readonly models?: string[];
}

/** `workspaces create | set-tier | set-default-model | connect-provider | disconnect-provider`. */
export function registerWorkspacesCommand(program: Command, session: CliSession): void {
  const workspaces = program.command('workspaces').description('Create workspaces, change their tier, connect model providers');

  workspaces
    .command('create')
    .description('Create a workspace, with its default project')
    .requiredOption('--name <name>', 'the workspace name', parseText)
    .addOption(new Option('--tier <tier>', 'its tier').choices(TIERS).default('free'))
    .option('--json', 'print the result as one JSON line')
    .action((options: CreateOptions) =>
      session(async ({ workspaces }) => {
        const workspace = await workspaces.create(options.name, options.tier);
        printResult(
          options,
          { id: workspace.id, name: workspace.name, tier: workspace.tier, projectId: workspace.projectId },
          `Created the ${workspace.tier} workspace ${workspace.id} (${JSON.stringify(workspace.name)}) with the project ${workspace.projectId}`,
        );
      }),
    );

  workspaces
    .command('set-tier')
    .description("Change a workspace's tier")
    .requiredOption('--workspace <id>', 'the workspace id', parseText)
    .addOption(new Option('--tier <tier>', 'the new tier').choices(TIERS).makeOptionMandatory())
    .option('--json', 'print the result as one JSON line')
    .action((options: SetTierOptions) =>
      session(async ({ workspaces }) => {
        await workspaces.setTier(options.workspace, options.tier);
        printResult(options, { workspaceId: options.workspace, tier: options.tier }, `Workspace ${options.workspace} is now on the ${options.tier} tier`);
      }),
    );

  workspaces
    .command('set-default-model')
    .description('Choose the model of agents created without one (a managed model the tier reaches)')
    .requiredOption('--workspace <id>', 'the workspace id', parseText)
    .requiredOption('--model <id>', 'a managed model id, such as gemini-3-flash', parseText)
    .option('--json', 'print the result as one JSON line')
    .action((options: DefaultModelOptions) =>
      session(async ({ workspaces }) => {
        await workspaces.setDefaultModel(options.workspace, options.model);
        printResult(options, { workspaceId: options.workspace, defaultModel: options.model }, `Agents of workspace ${options.workspace} created without a model now get ${options.model}`);
      }),
    );

  workspaces
    .command('connect-provider')
    .description('Connect a model provider to a workspace, or replace the models of a connected one')
    .requiredOption('--workspace <id>', 'the workspace id', parseText)
    .requiredOption('--provider <type>', 'the provider type, such as openai', parseProviderType)
    .option('--models <ids>', 'the model ids it offers, comma-separated', parseModels)
    .option('--json', 'print the result as one JSON line')
    .action((options: ProviderOptions) =>
      session(async ({ workspaces }) => {
        const models = options.models ?? [];
        await workspaces.connectProvider(options.workspace, options.provider, models);
        printResult(
          options,
          { workspaceId: options.workspace, providerType: options.provider, models },
          `Connected ${options.provider} to workspace ${options.workspace} (models: ${models.length > 0 ? models.join(', ') : 'none'})`,
        );
      }),
    );

  workspaces
    .command('disconnect-provider')
    .description('Disconnect a model provider from a workspace')
    .requiredOption('--workspace <id>', 'the workspace id', parseText)
    .requiredOption('--provider <type>', 'the provider type', parseProviderType)
    .option('--json', 'print the result as one JSON line')
    .action((options: ProviderOptions) =>
      session(async ({ workspaces }) => {
        const disconnected = await workspaces.disconnectProvider(options.workspace, options.provider);
        printResult(
          options,
          { workspaceId: options.workspace, providerType: options.provider, disconnected },
          disconnected ? `Disconnected ${options.provider} from workspace ${options.workspace}` : 'Nothing disconnected',
        );
        if (!disconnected) throw new CommandFailedError(`Workspace ${options.workspace} has no ${options.provider} provider connected`);
      }),
    );
}
