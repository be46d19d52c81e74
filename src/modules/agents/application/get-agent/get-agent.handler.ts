import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Agent } from '../../domain/agent.js';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { GetAgentQuery } from './get-agent.query.js';

@QueryHandler(GetAgentQuery)
export class GetAgentHandler implements IQueryHandler<GetAgentQuery> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, caller }: GetAgentQuery): Promise<Agent> {
    const agent = await this.agents.findById(caller.projectId, agentId);
    if (!agent) throw new AgentNotFoundError(agentId);
    return agent;
  }
}
