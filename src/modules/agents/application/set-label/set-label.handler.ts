import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AgentLabel } from '../../domain/agent-label.js';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { assertEntityTagMatches, originOf } from '../change-context.js';
import { SetLabelCommand } from './set-label.command.js';

/** If-Match is judged against the agent as it is under its row lock, which every label move takes. */
@CommandHandler(SetLabelCommand)
export class SetLabelHandler implements ICommandHandler<SetLabelCommand> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, name, version, ifMatch, caller }: SetLabelCommand): Promise<AgentLabel> {
    const move = await this.agents.setLabel(caller.projectId, agentId, name, version, (agent) => assertEntityTagMatches(ifMatch, agent), originOf(caller));
    if (!move) throw new AgentNotFoundError(agentId);
    return move.label;
  }
}
