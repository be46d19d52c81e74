import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AgentVersion } from '../../domain/agent-version.js';
import { AgentNotFoundError, AgentVersionNotFoundError } from '../../domain/agent.errors.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { GetVersionQuery } from './get-version.query.js';

@QueryHandler(GetVersionQuery)
export class GetVersionHandler implements IQueryHandler<GetVersionQuery> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, version, caller }: GetVersionQuery): Promise<AgentVersion> {
    // A deleted agent's versions go with it, as far as any route can tell.
    if (!(await this.agents.findById(caller.projectId, agentId))) throw new AgentNotFoundError(agentId);
    const found = await this.agents.findVersion(caller.projectId, agentId, version);
    if (!found) throw new AgentVersionNotFoundError(agentId, version);
    return found;
  }
}
