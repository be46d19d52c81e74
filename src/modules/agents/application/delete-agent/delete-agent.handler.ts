import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isInternal } from '../../../../shared/domain/caller.js';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { originOf } from '../change-context.js';
import { DeleteAgentCommand } from './delete-agent.command.js';

@CommandHandler(DeleteAgentCommand)
export class DeleteAgentHandler implements ICommandHandler<DeleteAgentCommand> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, mode, caller }: DeleteAgentCommand): Promise<void> {
    const actor = { userId: caller.userId, internal: isInternal(caller) };
    const removed = await this.agents.remove(caller.projectId, agentId, mode, (agent) => agent.assertDeletableBy(actor), originOf(caller));
    if (!removed) throw new AgentNotFoundError(agentId);
  }
}
