import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AgentLabel } from '../../domain/agent-label.js';
import { AgentNotFoundError } from '../../domain/agent.errors.js';
import { AgentQueries } from '../agent-queries.port.js';
import { ListLabelsQuery } from './list-labels.query.js';

@QueryHandler(ListLabelsQuery)
export class ListLabelsHandler implements IQueryHandler<ListLabelsQuery> {
  constructor(private readonly queries: AgentQueries) {}

  async execute({ agentId, caller }: ListLabelsQuery): Promise<AgentLabel[]> {
    const labels = await this.queries.listLabels(caller.projectId, agentId);
    if (!labels) throw new AgentNotFoundError(agentId);
    return labels;
  }
}
