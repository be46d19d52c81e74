import { Option, type Command } from 'commander';
import { randomBytes } from 'node:crypto';
import type { IssuedKey } from '../../modules/auth/api-key-issuer.js';
import { UnknownWorkspaceError, type WorkspaceAdmin } from '../../modules/workspaces/workspace-admin.js';
import type { Scope } from '../../shared/domain/caller.js';
import { TIERS, type Tier } from '../../shared/domain/tier.js';
import { CommandFailedError, UsageError } from '../cli-errors.js';
import type { CliLogger } from '../cli-logger.js';
import { printResult, type OutputOptions } from '../cli-output.js';
import type { CliSession } from '../cli-session.js';
import { parseFutureDate, parseScopes, parseText } from '../option-parsers.js';

const DEFAULT_SCOPES: readonly Scope[] = ['agents:read', 'agents:write'];

interface CreateOptions extends OutputOptions {
  readonly workspace?: string;
  readonly tier: Tier;
  readonly project?: string;
  readonly user?: string;
  readonly scopes: readonly Scope[];
  readonly expiresAt?: Date;
}

interface RevokeOptions extends OutputOptions {
  readonly token?: string;
  readonly id?: string;
}

/** `api-keys create | revoke`. */
export function registerApiKeysCommand(program: Command, session: CliSession): void {
  const apiKeys = program.command('api-keys').description('Mint and revoke API keys');

  apiKeys
    .command('create')
    .description('Mint an API key (its token is shown this once); without --workspace, for a new workspace')
    .addOption(new Option('--workspace <id>', 'the workspace of the key').argParser(parseText))
    .addOption(new Option('--tier <tier>', 'the tier of the new workspace').choices(TIERS).default('free').conflicts('workspace'))
    .option('--project <id>', "the project of the key (default: the workspace's first)", parseText)
    .option('--user <id>', 'the user the key acts for (default: a new usr_ id)', parseText)
    .addOption(
      new Option('--scopes <scopes>', 'comma-separated, of agents:read, agents:write, internal')
        .argParser(parseScopes)
        .default([...DEFAULT_SCOPES], DEFAULT_SCOPES.join(',')),
    )
    .option('--expires-at <date>', 'an ISO 8601 date in the future (default: never)', (value: string) => parseFutureDate(value))
    .option('--json', 'print the result as one JSON line')
    .action((options: CreateOptions) => {
      if (options.project && !options.workspace) throw new UsageError('--project needs --workspace (a new workspace has only its default project)');
      return session(async ({ workspaces, keys, logger }) => {
        const { workspaceId, projectId } = await keyTarget(workspaces, options, logger);
        const key = await keys.issue({
          workspaceId,
          projectId,
          userId: options.user ?? `usr_${randomBytes(12).toString('base64url')}`,
          scopes: options.scopes,
          expiresAt: options.expiresAt ?? null,
        });
        printResult(options, keyResult(key), keyText(key));
      });
    });

  apiKeys
    .command('revoke')
    .description('Revoke an API key, by its token or its id')
    .addOption(new Option('--token <token>', 'the key token').argParser(parseText).conflicts('id'))
    .addOption(new Option('--id <keyId>', 'the key id').argParser(parseText))
    .option('--json', 'print the result as one JSON line')
    .action((options: RevokeOptions) => {
      const { token, id } = options;
      if (token === undefined && id === undefined) throw new UsageError('api-keys revoke needs --token or --id');
      return session(async ({ keys }) => {
        const revoked = await keys.revoke(token !== undefined ? { token } : { id: id! });
        printResult(options, { revoked }, revoked ? 'Revoked the key' : 'Nothing revoked');
        if (!revoked) throw new CommandFailedError(token !== undefined ? 'No unrevoked key has this token' : `No unrevoked key ${id}`);
      });
    });
}

/** The workspace and project the key is for: the ones named, or a new workspace and its project. */
async function keyTarget(workspaces: WorkspaceAdmin, options: CreateOptions, logger: CliLogger): Promise<{ workspaceId: string; projectId: string }> {
  const workspaceId = options.workspace;
  if (workspaceId === undefined) {
    const workspace = await workspaces.create(`Workspace ${new Date().toISOString()}`, options.tier);
    logger.log(`Created the ${workspace.tier} workspace ${workspace.id} with the project ${workspace.projectId}`);
    return { workspaceId: workspace.id, projectId: workspace.projectId };
  }
  if (!(await workspaces.exists(workspaceId))) throw new UnknownWorkspaceError(workspaceId);
  if (options.project === undefined) return { workspaceId, projectId: await workspaces.firstProjectOf(workspaceId) };
  if (!(await workspaces.projectBelongs(workspaceId, options.project))) {
    throw new CommandFailedError(`Project ${options.project} is not in workspace ${workspaceId}`);
  }
  return { workspaceId, projectId: options.project };
}

function keyResult(key: IssuedKey): object {
  const { token, id, workspaceId, projectId, userId, scopes, expiresAt } = key;
  return { token, id, workspaceId, projectId, userId, scopes, expiresAt };
}

function keyText(key: IssuedKey): string {
  return [
    `Created the API key ${key.id} for user ${key.userId} in workspace ${key.workspaceId}, project ${key.projectId}`,
    `Scopes: ${key.scopes.join(', ')}; expires: ${key.expiresAt ?? 'never'}`,
    `Token (shown only this once): ${key.token}`,
  ].join('\n');
}
