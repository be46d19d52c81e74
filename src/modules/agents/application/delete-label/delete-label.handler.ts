import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { assertEntityTagMatches, originOf } from '../change-context.js';
import { DeleteLabelCommand } from './delete-label.command.js';

@CommandHandler(DeleteLabelCommand)
export class DeleteLabelHandler implements ICommandHandler<DeleteLabelCommand> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, name, ifMatch, caller }: DeleteLabelCommand): Promise<void> {
    const agent = await this.agents.removeLabel(caller.projectId, agentId, name, (current) => assertEntityTagMatches(ifMatch, current), originOf(caller));
    if (!agent) throw new AgentNotFoundError(agentId);
  }
}
