import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AgentVersion } from '../../domain/agent-version.js';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentQueries, type Page } from '../agent-queries.port.js';
import { ListVersionsQuery } from './list-versions.query.js';

@QueryHandler(ListVersionsQuery)
export class ListVersionsHandler implements IQueryHandler<ListVersionsQuery> {
  constructor(private readonly queries: AgentQueries) {}

  async execute({ agentId, page, caller }: ListVersionsQuery): Promise<Page<AgentVersion, number>> {
    const versions = await this.queries.listVersions(caller.projectId, agentId, page);
    if (!versions) throw new AgentNotFoundError(agentId);
    return versions;
  }
}
