import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Agent } from '../../domain/agent.js';
import { AgentQueries, type AgentCursor, type Page } from '../agent-queries.port.js';
import { ListAgentsQuery } from './list-agents.query.js';

@QueryHandler(ListAgentsQuery)
export class ListAgentsHandler implements IQueryHandler<ListAgentsQuery> {
  constructor(private readonly queries: AgentQueries) {}

  execute({ filter, page, caller }: ListAgentsQuery): Promise<Page<Agent, AgentCursor>> {
    return this.queries.list(caller.projectId, filter, page);
  }
}
