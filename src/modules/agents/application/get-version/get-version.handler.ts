import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AgentVersion } from '../../domain/agent-version.js';
import { AgentRepository } from '../../domain/agent.repository.js';
import { resolveVersions } from '../resolve-version.js';
import { GetVersionQuery } from './get-version.query.js';

/** One version, named by its semver, a label or latest. */
@QueryHandler(GetVersionQuery)
export class GetVersionHandler implements IQueryHandler<GetVersionQuery> {
  constructor(private readonly agents: AgentRepository) {}

  async execute({ agentId, ref, caller }: GetVersionQuery): Promise<AgentVersion> {
    const [found] = await resolveVersions(this.agents, caller.projectId, agentId, [ref]);
    return found;
  }
}
