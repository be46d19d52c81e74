import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Agent } from '../../domain/agent.js';
import { AgentNotFoundError, AgentVersionNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { changeContextFor, originOf } from '../change-context.js';
import { WorkspaceProviders } from '../workspace-providers.port.js';
import { RestoreVersionCommand } from './restore-version.command.js';

/** A new version with an earlier version's configuration, checked again as any change is, timed under the row lock. */
@CommandHandler(RestoreVersionCommand)
export class RestoreVersionHandler implements ICommandHandler<RestoreVersionCommand> {
  constructor(
    private readonly agents: AgentRepository,
    private readonly workspaces: WorkspaceProviders,
  ) {}

  async execute({ agentId, version, newVersion, caller }: RestoreVersionCommand): Promise<Agent> {
    const source = await this.agents.findVersion(caller.projectId, agentId, version);
    const context = await changeContextFor(caller, source?.configuration.model, this.workspaces);
    const agent = await this.agents.modify(caller.projectId, agentId, (current) => {
      if (!source) throw new AgentVersionNotFoundError(agentId, version);
      current.restore(source, newVersion, { ...context, now: new Date() });
    }, { origin: originOf(caller), cause: 'restore' });
    if (!agent) throw new AgentNotFoundError(agentId);
    return agent;
  }
}
