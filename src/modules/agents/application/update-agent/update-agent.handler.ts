import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Agent } from '../../domain/agent.js';
import { AgentNotFoundError, PreconditionFailedError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { changeContextFor, entityTagMatches, originOf } from '../change-context.js';
import { WorkspaceProviders } from '../workspace-providers.port.js';
import { UpdateAgentCommand } from './update-agent.command.js';

/**
 * The agent is changed under its row lock: concurrent PATCHes are serialised (no lost update),
 * If-Match is judged against the state the change applies to, and the change is timed once the
 * lock is held (a PATCH that waited is not timed before the one it waited for).
 */
@CommandHandler(UpdateAgentCommand)
export class UpdateAgentHandler implements ICommandHandler<UpdateAgentCommand> {
  constructor(
    private readonly agents: AgentRepository,
    private readonly workspaces: WorkspaceProviders,
  ) {}

  async execute({ agentId, patch, ifMatch, caller }: UpdateAgentCommand): Promise<Agent> {
    const context = await changeContextFor(caller, patch.model, this.workspaces);
    const agent = await this.agents.modify(caller.projectId, agentId, (current) => {
      if (!entityTagMatches(ifMatch, current.entityTag)) throw new PreconditionFailedError(agentId);
      current.update(patch, { ...context, now: new Date() });
    }, { origin: originOf(caller), cause: 'patch', mayBecomeDefault: patch.isDefault === true });
    if (!agent) throw new AgentNotFoundError(agentId);
    return agent;
  }
}
